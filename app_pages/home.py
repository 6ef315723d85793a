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
    st.page_link("app_pages/classification.py", label=tr("nav.classification"), icon="🎯")
    st.markdown(tr("home.classification.teaches"))
with st.container(border=True):
    st.page_link("app_pages/stability.py", label=tr("nav.stability"), icon="🧮")
    st.markdown(tr("home.stability.teaches"))

st.subheader(tr("home.paths"))
st.markdown(tr("home.paths.body"))
st.caption(tr("home.share"))
