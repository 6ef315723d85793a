"""Each registered page's URL names, for the fuzz tests (AppTest + hypothesis, and the browser).

Read from a real run of the page (AppTest, no server): the settings tables ui/url_state.py
registered, ui/url_text.py's text settings and the widgets' keys, plus the shell's names. So a
page added to app.py, or a setting added to a page, is fuzzed without editing a list.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.registered_pages import registered_pages
from ui.url_state import SETTINGS
from ui.url_text import STORE as TEXTS

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = registered_pages()
SHELL_PARAMS = ["lang", "present", "lesson", "step", "show"]


def open_page(script: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update(query or {})
    if script != PAGES[0].script:
        at.switch_page(script)
    return at.run()


def widget_names(at: AppTest) -> list[str]:
    """The URL names a page answers to: every setting of the settings tables the run registered
    (ui/url_state.py keeps them per page, the shell's included, and those of tabs not on screen),
    the text settings of ui/url_text.py (/custom's ``expr`` and ``params``), and its widgets' keys,
    without url_state's ``url_`` prefix, and ``name`` for the page views' ``w.<page>.<name>.<lang>``."""
    keys = [w.key for kind in ("slider", "select_slider", "selectbox", "multiselect", "radio", "checkbox",
                               "number_input", "toggle", "button_group", "text_input", "text_area")
            for w in getattr(at, kind) if w.key]
    names = {k.split(".")[2] if k.startswith("w.") and k.count(".") >= 3 else k.removeprefix("url_") for k in keys}
    tables = at.session_state[SETTINGS] if SETTINGS in at.session_state else {}
    texts = at.session_state[TEXTS] if TEXTS in at.session_state else {}  # ui/url_text.py's ?<name>=
    return sorted(names | {name for table in tables.values() for name in table} | set(texts))


_NAMES: dict[str, list[str]] = {}


def names_for(script: str) -> list[str]:
    if script not in _NAMES:
        _NAMES[script] = sorted(set(widget_names(open_page(script))) | set(SHELL_PARAMS))
    return _NAMES[script]
