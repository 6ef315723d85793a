"""Helpers every page uses: the current language, translation, URL notices, plot config."""

from __future__ import annotations

from typing import Iterable

import streamlit as st

from lossviz.i18n import normalize_lang, t
from lossviz.state import Setting

# Plotly config: no logo, keep the mode bar for zoom/reset/download (teachers save figures).
PLOT_CONFIG = {"displaylogo": False, "responsive": True}


def lang() -> str:
    """The language chosen in the sidebar (bound to ``?lang=`` in app.py)."""
    return normalize_lang(st.session_state.get("lang"))


def tr(key: str, **values: object) -> str:
    """Translate ``key`` into the current language."""
    return t(key, lang(), **values)


def show_url_notices(page: str, settings: Iterable[Setting]) -> None:
    """Start the page's view (``ui.url_state.arrive``) and say which values of an opened
    link were ignored, and why, in the page's language."""
    from ui import url_state

    url_state.arrive(page, {s.name: s for s in settings})
    url_state.show_notices(page, tr)
