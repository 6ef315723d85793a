"""A text input whose *valid* value lives in the URL (``?logits=100,99,-800``).

Not Streamlit's ``bind="query-params"``: a bound text input would show and keep whatever a
link or the user typed, valid or not. Here the URL is read and validated once (the page's
``show_url_notices`` names a bad value), the input starts from the URL value if it parses,
else from the default, and the URL is written back only when the text parses. Text that does
not parse gets a notice and the last valid value stays in use: the page never sees bad input.
"""

from __future__ import annotations

import streamlit as st

from lossviz.state import Setting
from ui.common import tr


def url_text(setting: Setting, label: str, help_text: str | None = None) -> object:
    """The parsed value of a text input synced with ``?<setting.name>=``."""
    key, last_key = f"url_{setting.name}", f"_last_valid_{setting.name}"
    if key not in st.session_state:
        text = str(setting.default)
        if setting.name in st.query_params:
            try:
                setting.parse(st.query_params.get_all(setting.name))
                text = st.query_params.get_all(setting.name)[-1]
            except ValueError:
                pass  # show_url_notices says so
        st.session_state[key] = text
    text = st.text_input(label, key=key, help=help_text)
    try:
        value = setting.parse(text)
    except ValueError as err:
        st.warning(tr("url_text.invalid", received=text[:60], expected=str(err)), icon="⚠️")
        return st.session_state.get(last_key, setting.parse(str(setting.default)))
    st.session_state[last_key] = value
    if text == str(setting.default):
        if setting.name in st.query_params:
            del st.query_params[setting.name]
    elif st.query_params.get(setting.name) != text:
        st.query_params[setting.name] = text
    return value
