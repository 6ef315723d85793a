"""LLM-era objectives: one tab per idea, each a fragment with its own URL-bound sliders.

Reads like a storyboard: title -> URL notices -> tabs. Maths in lossviz.llm, charts in
lossviz.llm_plots, the tabs' widgets in ui/llm_text_tabs.py and ui/llm_objective_tabs.py.
"""

import streamlit as st

from lossviz import state
from ui.common import show_url_notices, tr
from ui.llm_objective_tabs import contrastive_tab, kl_tab, moe_tab, rlhf_tab
from ui.llm_text_tabs import ctc_tab, mlm_tab, next_token_tab, smoothing_tab
from ui.perf import freeze_import_time_objects

freeze_import_time_objects()  # torch is imported by now; see ui/perf.py

TABS = (("lm", next_token_tab), ("ls", smoothing_tab), ("mlm", mlm_tab), ("ctc", ctc_tab),
        ("nce", contrastive_tab), ("kl", kl_tab), ("rlhf", rlhf_tab), ("moe", moe_tab))

st.title(tr("llm.title"))
st.caption(tr("llm.caption"))
show_url_notices("llm", state.LLM_SETTINGS)
for tab, (_, render) in zip(st.tabs([tr(f"llm.tab.{name}") for name, _ in TABS]), TABS):
    with tab:
        render()
