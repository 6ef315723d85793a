"""The baseline for bench/latency.py: the smallest Streamlit app with a slider and a metric.

Every slider step changes the metric's text (2x + 1 is monotonic and shown to 2 decimals, one
step of 0.01 moves it by 0.02), so each key press gives one latency sample.
"""

import streamlit as st

x = st.slider("x", min_value=-5.0, max_value=5.0, value=0.0, step=0.01, key="x")
st.metric("2x + 1", f"{2 * x + 1:.2f}")
