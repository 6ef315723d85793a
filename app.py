"""lossviz entry point: page config, the language switch (bound to ?lang=) and the router.

Nothing else lives here. The language radio is bound in this file, not in a page, because
Streamlit keeps widgets bound in the entry point on every page (page-bound query parameters
are cleared when the user switches pages).
"""

import streamlit as st

from lossviz.i18n import LANG_NAMES, LANGS, t

st.set_page_config(page_title="lossviz", page_icon="📉", layout="wide")

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
    st.Page("pages/home.py", title=t("nav.home", lang), icon="🏠", default=True),
    st.Page("pages/explorer.py", title=t("nav.explorer", lang), icon="📈", url_path="explorer"),
]
st.navigation(pages).run()
