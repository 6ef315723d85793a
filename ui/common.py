"""Helpers every page uses: the current language, translation, URL notices, plot config."""

from __future__ import annotations

from typing import Iterable

import streamlit as st

from lossviz.i18n import normalize_lang, t
from lossviz.state import Setting, invalid_query_values

# Plotly config: no logo, keep the mode bar for zoom/reset/download (teachers save figures).
PLOT_CONFIG = {"displaylogo": False, "responsive": True}


def lang() -> str:
    """The language chosen in the sidebar (bound to ``?lang=`` in app.py)."""
    return normalize_lang(st.session_state.get("lang"))


def tr(key: str, **values: object) -> str:
    """Translate ``key`` into the current language."""
    return t(key, lang(), **values)


def show_url_notices(page: str, settings: Iterable[Setting]) -> None:
    """Once per page visit: say which values of the opened link were ignored, and why."""
    flag = f"_url_checked_{page}"
    if st.session_state.get(flag):
        return
    st.session_state[flag] = True
    query = {name: st.query_params.get_all(name) for name in st.query_params.keys()}
    for name, received, expected in invalid_query_values(settings, query):
        st.warning(tr("url.ignored", name=name, received=received, expected=expected), icon="⚠️")
