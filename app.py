"""lossviz entry point: page config, the language switch (bound to ?lang=) and the router.

Nothing else lives here.

The pages live in ``app_pages/``, not ``pages/``: Streamlit 1.67 still switches to its old
directory-based multipage mode for a server's first session when a ``pages/`` folder sits next
to the entry point, so a first visitor arriving by a deep link (``/explorer?...``) would bypass
this file, its language switch and its navigation, for every session of that server.

The language radio is bound in this file, not in a page, because Streamlit keeps widgets bound
in the entry point on every page (page-bound query parameters are cleared when the user
switches pages).
"""

import streamlit as st

from lossviz.i18n import LANG_NAMES, LANGS, t

st.set_page_config(page_title="lossviz", page_icon="📉", layout="wide")

# Less empty space above the content, so a 720-pixel projector shows both chart panels.
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:2rem;padding-bottom:2rem}</style>")

with st.sidebar:
    # Options are the language codes themselves, so the URL reads ?lang=en / ?lang=zh.
    lang = st.radio(
        "Language · 语言",
        LANGS,
        key="lang",
        bind="query-params",
        horizontal=True,
        captions=[LANG_NAMES[code] for code in LANGS],
    )

pages = [
    st.Page("app_pages/home.py", title=t("nav.home", lang), icon="🏠", default=True),
    st.Page("app_pages/explorer.py", title=t("nav.explorer", lang), icon="📈", url_path="explorer"),
    st.Page("app_pages/custom.py", title=t("nav.custom", lang), icon="✏️", url_path="custom"),
]
st.navigation(pages).run()
