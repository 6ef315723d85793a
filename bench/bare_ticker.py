"""The baseline for bench/refresh_rate.py: the smallest Streamlit app that ticks a chart.

A ``st.fragment(run_every=0.1)`` adds one point per tick to a 2-trace plotly line chart
and shows the tick count: the most chart updates per second Streamlit's fragment timer gives on
this machine, with no torch and no real work. Same tick interval as /training.
"""

import streamlit as st

st.title("ticker")


@st.fragment(run_every=0.1)
def ticker() -> None:
    n = st.session_state.get("n", 0) + 1
    st.session_state["n"] = n
    xs = list(range(n))
    st.markdown(f"Tick {n}")
    st.plotly_chart({"data": [{"type": "scatter", "mode": "lines", "x": xs, "y": [x % 17 for x in xs]},
                              {"type": "scatter", "mode": "lines", "x": xs, "y": [x % 5 for x in xs]}],
                     "layout": {"height": 300, "uirevision": "keep"}}, key="ticker_chart")


ticker()
