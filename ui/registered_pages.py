"""The pages registered in app.py, read from its source (no Streamlit run needed).

Fuzz tests, the soak bench and lesson checks cover every page the router knows, including pages
added later, without a second list to keep in sync: each ``st.Page("app_pages/x.py", ...,
url_path="x")`` in app.py's ``pages`` list is one ``RegisteredPage``. A page without
``url_path`` is reached at ``/`` if it is the default, else at its file name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

APP_PY = Path(__file__).resolve().parents[1] / "app.py"


@dataclass(frozen=True)
class RegisteredPage:
    script: str  # "app_pages/explorer.py", as AppTest.switch_page wants it
    url_path: str  # "explorer"; "" for the default page

    @property
    def name(self) -> str:
        return Path(self.script).stem


def registered_pages(app_py: Path = APP_PY) -> list[RegisteredPage]:
    """Every ``st.Page(...)`` call in app.py, in order."""
    pages = []
    for node in ast.walk(ast.parse(app_py.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"):
            continue
        if not (node.args and isinstance(node.args[0], ast.Constant)):
            continue
        script = node.args[0].value
        keywords = {k.arg: k.value for k in node.keywords}
        is_default = isinstance(keywords.get("default"), ast.Constant) and keywords["default"].value
        url = keywords.get("url_path")
        if isinstance(url, ast.Constant):
            url_path = url.value
        else:
            url_path = "" if is_default else Path(script).stem
        pages.append(RegisteredPage(script, "" if is_default else url_path))
    return pages


def registered_url_paths() -> frozenset[str]:
    """``{"explorer", "interview", ...}``: the url_path of every registered page but home.
    (The interview bank shows a link only when its page is registered.)"""
    return frozenset(page.url_path for page in registered_pages() if page.url_path)
