"""Every widget kind the pages use, each value shown as a metric (tests/bench/test_st_client.py).

``?preset=1`` sets the keyed widgets' values from session state before they are drawn, as
ui/url_state.py does from a link, so the server sends them as ``raw_value`` / ``set_value``.
"""

import streamlit as st

LRS = ["0.001", "0.01", "0.1", "1"]
if st.query_params.get("preset") == "1" and "lr" not in st.session_state:
    st.session_state.update(lr="0.1", span=("0.01", "1"), pick=["b"], name="preset")


def show(name: str, value: object) -> None:
    st.metric(name, repr(value))


show("lr", st.select_slider("learning rate", LRS, value="0.01", key="lr"))
show("span", st.select_slider("span", LRS, value=("0.001", "0.1"), key="span"))
show("x", st.slider("x", 0.0, 1.0, 0.5, 0.25, key="x"))
show("menu", st.selectbox("menu", ["a", "b", "c"], index=1, key="menu"))
show("radio", st.radio("radio", ["r1", "r2"], key="radio"))
show("multi", st.multiselect("multi", ["m1", "m2", "m3"], default=["m2"], key="multi"))
show("pick", st.pills("pick", ["a", "b", "c"], selection_mode="multi", default=["a"], key="pick"))
show("on", st.toggle("on", value=True, key="on"))
show("n", st.number_input("n", 0, 10, 3, key="n"))
show("name", st.text_input("name", "abc", key="name"))


@st.fragment
def part() -> None:
    show("inner", st.select_slider("inner", ["lo", "mid", "hi"], value="mid", key="inner"))


part()


def play() -> None:
    st.session_state.playing, st.session_state.ticks = True, 0


st.button("go", on_click=play, key="go")


@st.fragment(run_every=0.1 if st.session_state.get("playing") else None)
def ticker() -> None:
    """Like /training's live view: ticks while playing, then a whole-page rerun stops it."""
    if st.session_state.get("playing"):
        st.session_state.ticks += 1
        if st.session_state.ticks >= 5:
            st.session_state.playing = False
            st.rerun()
    show("ticks", st.session_state.get("ticks", 0))


ticker()
