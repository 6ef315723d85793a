"""Send plotly figures (built as JSON dicts by lossviz.plots) to the browser without re-validating.

``st.plotly_chart`` turns a dict into ``plotly.graph_objects.Figure(**dict)``, which validates
every property: ~3 ms for a plain chart, but over a second for a chart carrying a client-side
scrubber (``lossviz.scrub``: hundreds of slider steps, each with its own data). A ``BaseFigure``
is passed through as ``figure.to_dict()``, so we hand Streamlit a Figure whose ``to_dict`` is the
dict itself. The dicts are validated once, in the tests (``go.Figure(fig)`` in tests/test_plots.py
and tests/test_scrub.py), instead of on every rerun.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st


class PrebuiltFigure(go.Figure):
    """A plotly Figure standing for an already valid figure dict."""

    def __init__(self, figure: dict) -> None:
        super().__init__()
        self._prebuilt = figure

    def to_dict(self) -> dict:
        return self._prebuilt


def plotly_chart(figure: dict, **kwargs) -> None:
    """``st.plotly_chart`` for a figure dict from lossviz.plots, without the per-rerun validation."""
    st.plotly_chart(PrebuiltFigure(figure), **kwargs)
