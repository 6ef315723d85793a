"""A page-view slider (``ui.url_state``) with a display format, and an integer variant.

Same mechanism as ``ui.url_state.slider`` (the value lives in the page's view, the widget key
includes the language), plus ``format`` so 0.999 does not show as "1.00" and 100 steps not as
"100.00". Kept in its own file while ``ui/url_state.py`` belongs to the lead; it uses that
module's ``_prepare`` (the one step that puts the view's value into the widget).
"""

from __future__ import annotations

import streamlit as st

from lossviz.state import Setting
from ui import url_state
from ui.common import lang


def number_slider(page: str, setting: Setting, label: str, help_text: str | None = None, *,
                  number_format: str | None = None, integer: bool = False) -> float | int:
    """A slider showing ``view[setting.name]``; ``integer`` makes every value an int."""
    key, kwargs = url_state._prepare(page, setting.name, lang())
    cast = int if integer else float
    st.session_state[key] = cast(st.session_state[key])  # a link's "100" is parsed as 100.0
    return st.slider(label, min_value=cast(setting.low), max_value=cast(setting.high), step=cast(setting.step),
                     help=help_text, format=number_format, **kwargs)
