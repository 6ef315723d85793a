"""/training at narrow widths (e.g. 800 px, a laptop with the sidebar open or a projector).

Side by side, the settings column and the charts column squeeze the boundary into a stamp and the
three curve panels into strips. Below 1100 px the two columns stack: the charts column first (Play,
status and the live charts at full width, where a learner looks while it trains), the settings under
it; inside the charts column, the boundary and the curves sit side by side while each gets 320 px and
stack below that. Pure CSS on the keyed container the page draws its columns in (as /surfaces does).
"""

from __future__ import annotations

import streamlit as st

LAYOUT_KEY = "training_layout"

_CSS = f"""<style>@media (max-width: 1100px) {{
 .st-key-{LAYOUT_KEY} [data-testid="stHorizontalBlock"] {{flex-wrap: wrap}}
 .st-key-{LAYOUT_KEY} [data-testid="stColumn"]:not([data-testid="stColumn"] [data-testid="stColumn"]) {{
   min-width: 100%; flex: 1 1 100%}}
 .st-key-{LAYOUT_KEY} [data-testid="stColumn"]:not([data-testid="stColumn"] [data-testid="stColumn"]):has(.st-key-training_play) {{
   order: -1}}
 .st-key-{LAYOUT_KEY} [data-testid="stColumn"] [data-testid="stColumn"]:has([data-testid="stPlotlyChart"]) {{
   min-width: 320px}}
}}</style>"""


def layout_container():
    """The container /training draws its settings and charts columns in, with the narrow-width CSS."""
    st.html(_CSS)
    return st.container(key=LAYOUT_KEY)
