"""Page widgets whose values live in the URL.

Choices (the loss, the compare list, the x-axis) are synced from Python through
``st.query_params`` rather than Streamlit's own ``bind="query-params"``, because binding
writes a select widget's *displayed* label into the URL (checked on Streamlit 1.67). Our
menus show translated names, so a bound ``loss`` menu would put ``loss=Huber 损失`` into a
Chinese link and break it for English readers. We keep the key (``loss=huber``).
Numeric sliders, whose labels never reach the URL, do use native binding (``url_slider``).
Both follow one table (``lossviz.state``): the choices here are read and validated once when
the widget first appears, written back when they change, and removed from the URL when they
equal the default.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import streamlit as st
from streamlit.errors import StreamlitAPIException

from lossviz.state import Setting


def _initial_value(setting: Setting) -> object:
    """The URL's value if it is valid, else the default (the notice is shown elsewhere)."""
    if setting.name not in st.query_params:
        return setting.default
    try:
        return setting.parse(st.query_params.get_all(setting.name))
    except ValueError:
        return setting.default


def _url_text(value: object) -> str:
    return ",".join(value) if isinstance(value, list) else str(value)


def _write_url(setting: Setting, value: object) -> None:
    text, default = _url_text(value), _url_text(setting.default)
    if text == default or text == "":
        if setting.name in st.query_params:
            del st.query_params[setting.name]
    elif st.query_params.get(setting.name) != text:
        st.query_params[setting.name] = text


def url_choice(
    setting: Setting,
    label: str,
    format_func: Callable[[str], str],
    options: Sequence[str] | None = None,
    widget: Callable = st.selectbox,
    **widget_kwargs: object,
) -> object:
    """A select/radio/multiselect whose value lives in ``?<setting.name>=`` as a key.

    ``options`` may narrow the setting's options (e.g. compare only within one family);
    a remembered value outside them falls back to the default.
    """
    options = list(setting.options if options is None else options)
    key = f"url_{setting.name}"
    if key not in st.session_state:
        st.session_state[key] = _initial_value(setting)
    current = st.session_state[key]
    if isinstance(current, list):
        st.session_state[key] = [item for item in current if item in options]
    elif current not in options:
        st.session_state[key] = setting.default if setting.default in options else options[0]
    value = widget(label, options, key=key, format_func=format_func, **widget_kwargs)
    _write_url(setting, value)
    return value


def url_slider(setting: Setting, label: str, help_text: str | None = None) -> float:
    """A float slider bound to ``?<setting.name>=`` by Streamlit itself (``bind="query-params"``).

    Streamlit drops malformed or out-of-range URL values and falls back to the default; the
    page's notice (``ui.common.show_url_notices``) says which were ignored. Native binding
    updates the URL in the browser, which measured cheaper than writing it from Python on
    the page's hot path (bench/latency.py: +5.6 ms against +10 ms per slider move).
    """
    return st.slider(label, min_value=setting.low, max_value=setting.high, value=setting.default,
                     step=setting.step, key=setting.name, bind="query-params", help=help_text)


def drop_from_url(names: Iterable[str]) -> None:
    """Remove settings that are not on screen now (e.g. δ after switching away from Huber)."""
    for name in names:
        if name in st.query_params:
            try:
                del st.query_params[name]
            except StreamlitAPIException:  # still bound to a widget this run: Streamlit owns it
                pass
