"""A text input whose value lives in the URL, checked before it is used.

Not Streamlit's ``bind="query-params"``: bound text inputs take any URL value (silently cut to
``max_chars``), and /custom must refuse a hostile ``?expr=`` with a notice instead. So, like
``ui.url_state.url_choice``: the URL value is read once per session, checked by ``validate``
(which raises ``ValueError`` with a message), used if it passes, and otherwise replaced by the
default with a visible notice; the widget's value is written back to the URL when it changes,
and removed when it equals the default.
"""

from __future__ import annotations

from typing import Callable

import streamlit as st


def shown_value(raw: str, limit: int = 40) -> str:
    """A URL value made safe to show inside a notice: printable, no backticks, at most ``limit``."""
    cleaned = "".join(ch if ch.isprintable() and ch != "`" else "?" for ch in raw[: limit + 1])
    return cleaned[:limit] + ("…" if len(raw) > limit else "")


def url_text_input(name: str, default: str, label: str, validate: Callable[[str], object],
                   notice: Callable[[str, str, ValueError], None], max_chars: int, **kwargs: object) -> str:
    """A text input synced with ``?<name>=``; ``notice(name, shown, error)`` reports a refused value."""
    key = f"custom_{name}"
    if key not in st.session_state:
        st.session_state[key] = default
        if name in st.query_params:
            raw = (st.query_params.get_all(name) or [""])[-1]
            try:
                validate(raw)
                st.session_state[key] = raw
            except ValueError as err:
                notice(name, shown_value(raw), err)
    value = st.text_input(label, key=key, max_chars=max_chars, **kwargs)
    if value == default:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value
    return value
