"""Which pages the app registers right now (the url_path of every ``st.Page`` in app.py).

Pages are being built on other branches; the interview bank stores links to all of them and
shows a link only when its page is registered. Reading app.py (once) rather than asking
Streamlit keeps this correct in AppTest and in every session, whatever page runs first.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

APP_FILE = Path(__file__).resolve().parent.parent / "app.py"
_URL_PATH = re.compile(r"""url_path\s*=\s*["']([\w-]+)["']""")


@lru_cache(maxsize=1)
def registered_pages() -> frozenset[str]:
    """``{"explorer", "interview", ...}``; empty if app.py cannot be read."""
    try:
        return frozenset(_URL_PATH.findall(APP_FILE.read_text(encoding="utf-8")))
    except OSError:
        return frozenset()
