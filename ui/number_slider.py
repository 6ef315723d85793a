"""A URL-bound numeric slider with a display format (``ui.url_state.url_slider`` has none).

Same contract as ``url_slider``: Streamlit's own ``bind="query-params"`` on ``?<setting.name>=``,
invalid URL values dropped by Streamlit and reported by ``ui.common.show_url_notices``. The
format matters for learning rates (0.0005 shows as "0.00" with Streamlit's default) and
integer settings (a seed of "3", not "3.00").
"""

from __future__ import annotations

import streamlit as st

from lossviz.state import Setting


def url_number_slider(setting: Setting, label: str, help_text: str | None = None, fmt: str = "%.4f") -> float:
    return st.slider(label, min_value=setting.low, max_value=setting.high, value=setting.default,
                     step=setting.step, key=setting.name, bind="query-params", help=help_text, format=fmt)
