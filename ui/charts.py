"""Send plotly figures (built as JSON dicts by lossviz.plots) to the browser without re-validating.

``st.plotly_chart`` turns a dict into ``plotly.graph_objects.Figure(**dict)``, which validates
every property: ~3 ms for a plain chart, but over a second for a chart carrying a client-side
scrubber (``lossviz.scrub``: hundreds of slider steps, each with its own data). A ``BaseFigure``
is passed through as ``figure.to_dict()``, so we hand Streamlit a Figure whose ``to_dict`` is the
dict itself. The dicts are validated once, in the tests (``go.Figure(fig)`` in tests/test_plots.py
and tests/test_scrub.py), instead of on every rerun.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import streamlit as st
from plotly.io.json import to_json_plotly


class PrebuiltFigure(go.Figure):
    """A plotly Figure standing for an already valid figure dict."""

    def __init__(self, figure: dict) -> None:
        # an empty template: plotly would otherwise copy its default template (~1.7 ms) into a
        # figure nobody reads; Streamlit takes ``to_dict()`` only
        super().__init__(layout={"template": {}})
        self._prebuilt = figure

    def to_dict(self) -> dict:
        return self._prebuilt


def plotly_chart(figure: dict, **kwargs) -> None:
    """``st.plotly_chart`` for a figure dict from lossviz.plots, without the per-rerun validation."""
    st.plotly_chart(PrebuiltFigure(figure), **kwargs)


def figure_json(figure: dict) -> str:
    """A figure dict (numpy arrays allowed) as compact plotly JSON, without building a Figure."""
    return to_json_plotly(figure)


class MountedChart:
    """One chart that stays mounted across server reruns; new figures reach it through the
    scrubber component (``ui.scrub_readouts``, ``figure=``), which draws them with
    ``Plotly.react`` into the mounted graph.

    ``st.plotly_chart`` derives its element id from the spec: a new spec is a new element, which
    the browser builds from nothing, twice (measured on /explorer: ~2,500 then ~1,000 DOM
    changes per move of a server slider). Here Streamlit keeps getting the spec of the view's
    first figure (same id, no remount) until the view's ``identity`` changes (another loss,
    axis or language: a new chart is built then, as before).

        mounted = MountedChart("explorer_mounted")
        shell, update = mounted.split(identity, figure)   # update is None when shell is figure
        scrub_readouts(..., figure=update)
        plotly_chart(shell, ...)
    """

    def __init__(self, state_key: str) -> None:
        self.state_key = state_key

    def split(self, identity: object, figure: dict | str) -> tuple[dict, str | None]:
        """(the spec to give Streamlit, the figure for the component to draw as JSON text, or
        None). ``figure``: a figure dict, or its JSON text (``figure_json``)."""
        kept = st.session_state.get(self.state_key)
        if kept is None or kept[0] != identity:
            shell = json.loads(figure) if isinstance(figure, str) else figure
            st.session_state[self.state_key] = (identity, shell)
            return shell, None
        return kept[1], figure if isinstance(figure, str) else figure_json(figure)


def mounted_plotly_chart(chart_key: str, identity: object, figure: dict, **kwargs) -> None:
    """``plotly_chart`` for a chart redrawn often (a ticking fragment, a server slider): it stays
    mounted while ``identity`` holds, and each new figure is drawn into it with ``Plotly.react``
    by a small invisible component (``MountedChart``). The chart sits in
    ``st.container(key=chart_key)``."""
    from ui.scrub_readouts import scrub_readouts

    shell, update = MountedChart(f"_mounted.{chart_key}").split(identity, figure)
    with st.container(key=chart_key):
        scrub_readouts(chart_key, [], [], 0, key=f"{chart_key}.redraw", figure=update)
        plotly_chart(shell, **kwargs)
