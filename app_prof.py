"""lossviz entry point: page config, the language switch (bound to ?lang=) and the router.

Nothing else lives here.

The pages live in ``app_pages/``, not ``pages/``: Streamlit 1.67 still switches to its old
directory-based multipage mode for a server's first session when a ``pages/`` folder sits next
to the entry point, so a first visitor arriving by a deep link (``/explorer?...``) would bypass
this file, its language switch and its navigation, for every session of that server.

The language radio is bound in this file, not in a page, because Streamlit keeps widgets bound
in the entry point on every page (page-bound query parameters are cleared when the user
switches pages). Its options are the codes ("en", "zh"), so the URL reads ``?lang=zh``; the
names are captions (with ``format_func`` a bound radio reads and writes the formatted label).
"""

import streamlit as st

from lossviz.i18n import LANG_NAMES, LANGS, t
from ui.common import show_url_notices
from ui.presentation import LANG_SETTING, presentation_mode

st.set_page_config(page_title="lossviz", page_icon="📉", layout="wide")

# Less empty space above the content and smaller page titles, so a 720-pixel projector shows
# the whole chart; the language switch sits at the top right of every page.
st.html(
    "<style>[data-testid='stMainBlockContainer']{padding-top:3.6rem;padding-bottom:2rem}"
    "h1{font-size:2rem !important;padding-top:0 !important}"
    # the language radio shares the title's row, on the right
    ".st-key-lang_bar{align-self:flex-end;width:auto !important;margin-bottom:-3.4rem;z-index:5}"
    # pills (compare lists) wrap onto more rows instead of hiding what does not fit
    "[data-testid='stButtonGroup']>div{flex-wrap:wrap !important}</style>"
)

show_url_notices("lang", [LANG_SETTING], shell=True)  # before the radio, which drops a bad ?lang= silently
with st.container(key="lang_bar"):
    # Options are the language codes themselves, so the URL reads ?lang=en / ?lang=zh.
    lang = st.radio(
        "Language · 语言",
        LANGS,
        key="lang",
        bind="query-params",
        horizontal=True,
        captions=[LANG_NAMES[code] for code in LANGS],  # not format_func: a bound radio would
        label_visibility="collapsed",  # then expect "简体中文" in the URL instead of "zh"
    )

pages = [  # in the order of the DESIGN.md table, as a learner would visit them
    st.Page("app_pages/home.py", title=t("nav.home", lang), icon="🏠", default=True),
    st.Page("app_pages/explorer.py", title=t("nav.explorer", lang), icon="📈", url_path="explorer"),
    st.Page("app_pages/classification.py", title=t("nav.classification", lang), icon="🎯", url_path="classification"),
    st.Page("app_pages/stability.py", title=t("nav.stability", lang), icon="🧮", url_path="stability"),
    st.Page("app_pages/surfaces.py", title=t("nav.surfaces", lang), icon="🗺️", url_path="surfaces"),
    st.Page("app_pages/training.py", title=t("nav.training", lang), icon="🏋️", url_path="training"),
    st.Page("app_pages/custom.py", title=t("nav.custom", lang), icon="✏️", url_path="custom"),
    st.Page("app_pages/gan.py", title=t("nav.gan", lang), icon="🎭", url_path="gan"),
    st.Page("app_pages/llm.py", title=t("nav.llm", lang), icon="🤖", url_path="llm"),
    st.Page("app_pages/interview.py", title=t("nav.interview", lang), icon="🎓", url_path="interview"),
]
# Navigation across the top: the sidebar would take ~300 px of an 800-pixel-wide screen.
page = st.navigation(pages, position="top")
presentation_mode()  # ?present=1: large text, no navigation bar, ?show= controls, lesson stepper
import time as _t, json as _j
_t0 = _t.perf_counter()
try:
    page.run()
finally:
    with open("/tmp/lead/runtimes.log", "a") as _f:
        _f.write(f"{(_t.perf_counter() - _t0) * 1000:.1f}\n")

