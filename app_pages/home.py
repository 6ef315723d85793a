"""Home: what lossviz is, what each page teaches, learning paths, lessons. No torch here."""

import streamlit as st

from lossviz.lessons import lessons
from ui.common import tr

# (page script, name key, icon, what it teaches): in the order a learner would visit them
PAGE_CARDS = [
    ("app_pages/explorer.py", "nav.explorer", "📈", "home.explorer.teaches"),
    ("app_pages/classification.py", "nav.classification", "🎯", "home.classification.teaches"),
    ("app_pages/stability.py", "nav.stability", "🧮", "home.stability.teaches"),
    ("app_pages/surfaces.py", "nav.surfaces", "🗺️", "home.surfaces.teaches"),
    ("app_pages/training.py", "nav.training", "🏋️", "home.training.teaches"),
    ("app_pages/custom.py", "nav.custom", "✏️", "home.custom.teaches"),
    ("app_pages/gan.py", "nav.gan", "🎭", "home.gan.teaches"),
    ("app_pages/llm.py", "nav.llm", "🤖", "home.llm.teaches"),
    ("app_pages/interview.py", "nav.interview", "🎓", "home.interview.teaches"),
]

st.title(tr("home.title"))
st.markdown(tr("home.intro"))

st.subheader(tr("home.pages"))
for script, name_key, icon, teaches_key in PAGE_CARDS:
    with st.container(border=True):
        st.page_link(script, label=tr(name_key), icon=icon)
        st.markdown(tr(teaches_key))

with st.container(border=True):  # presentation mode: ui/presentation.py
    st.markdown(f"**🎓 {tr('classroom.home.title')}** — {tr('classroom.home.teaches')}")
    for lesson_id in lessons():
        st.page_link("app_pages/home.py", label=tr(f"classroom.lesson.{lesson_id}.title"), icon="▶️",
                     query_params={"present": "1", "lesson": lesson_id})

st.subheader(tr("home.paths"))
st.markdown(tr("home.paths.body"))
st.caption(tr("home.share"))
