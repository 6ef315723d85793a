"""Choices synced with the URL by hand, because their URL value must be a stable key.

Streamlit's ``bind="query-params"`` writes a select widget's *displayed* label into the URL
(checked on Streamlit 1.67). Our menus show translated names, so a bound ``loss`` selectbox
would put ``loss=Huber 损失`` in a Chinese link and break it for English readers. For these
few widgets we keep the key (``loss=huber``) in the URL ourselves; numeric sliders, whose
labels are not in the URL, use Streamlit's native binding.
"""

from __future__ import annotations

from typing import Callable, Sequence

import streamlit as st

from lossviz.state import Setting


def _initial_value(setting: Setting) -> object:
    """The URL's value if it is valid, else the default (the notice is shown elsewhere)."""
    if setting.name not in st.query_params:
        return setting.default
    try:
        return setting.parse(st.query_params.get_all(setting.name))
    except ValueError:
        return setting.default


def _write_url(setting: Setting, value: object) -> None:
    text = ",".join(value) if isinstance(value, list) else str(value)
    default = ",".join(setting.default) if isinstance(setting.default, list) else str(setting.default)
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
