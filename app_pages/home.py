"""Home: what lossviz is, what each page teaches, learning paths. No torch here."""

import streamlit as st

from ui.common import tr

st.title(tr("home.title"))
st.markdown(tr("home.intro"))

st.subheader(tr("home.pages"))
with st.container(border=True):
    st.page_link("app_pages/explorer.py", label=tr("nav.explorer"), icon="📈")
    st.markdown(tr("home.explorer.teaches"))
with st.container(border=True):
    st.page_link("app_pages/custom.py", label=tr("nav.custom"), icon="✏️")
    st.markdown(tr("home.custom.teaches"))

st.subheader(tr("home.paths"))
st.markdown(tr("home.paths.body"))
st.caption(tr("home.share"))
