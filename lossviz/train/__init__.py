"""The mini training core: data sets, models, optimizers and loops (no Streamlit)."""
