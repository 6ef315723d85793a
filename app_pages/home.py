"""Home: what lossviz is, what each page teaches, learning paths. No torch here."""

import streamlit as st

from lossviz.lessons import lessons
from ui.common import tr

st.title(tr("home.title"))
st.markdown(tr("home.intro"))

st.subheader(tr("home.pages"))
with st.container(border=True):
    st.page_link("app_pages/explorer.py", label=tr("nav.explorer"), icon="📈")
    st.markdown(tr("home.explorer.teaches"))
with st.container(border=True):
    st.page_link("app_pages/interview.py", label=tr("nav.interview"), icon="🎓")
    st.markdown(tr("home.interview.teaches"))

with st.container(border=True):  # presentation mode: ui/presentation.py
    st.markdown(f"**🎓 {tr('classroom.home.title')}** — {tr('classroom.home.teaches')}")
    for lesson_id in lessons():
        st.page_link("app_pages/home.py", label=tr(f"classroom.lesson.{lesson_id}.title"), icon="▶️",
                     query_params={"present": "1", "lesson": lesson_id})

st.subheader(tr("home.paths"))
st.markdown(tr("home.paths.body"))
st.caption(tr("home.share"))
