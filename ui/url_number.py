"""A URL-bound number slider with a display format, and an integer variant (steps, counts).

Same binding as ``ui.url_state.url_slider`` (Streamlit's own ``bind="query-params"``, key =
the setting's name), plus ``format`` so 0.999 does not show as "1.00" and 100 steps not as
"100.00". Kept in its own file while ``ui/url_state.py`` is being changed on main.
"""

from __future__ import annotations

import streamlit as st

from lossviz.state import Setting


def url_number_slider(setting: Setting, label: str, help_text: str | None = None, *,
                      number_format: str | None = None, integer: bool = False) -> float | int:
    """A slider bound to ``?<setting.name>=``; ``integer`` makes every value (and the URL) an int."""
    cast = int if integer else float
    return st.slider(label, min_value=cast(setting.low), max_value=cast(setting.high), value=cast(setting.default),
                     step=cast(setting.step), key=setting.name, bind="query-params", help=help_text,
                     format=number_format)
