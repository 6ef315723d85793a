"""Bar charts for per-class quantities (probabilities, targets, gradients), as plotly dicts.

Same conventions as ``lossviz.plots``: figures are plain JSON dicts with our small
``TEMPLATE``, Okabe–Ito colours, projector-sized fonts, SVG traces only. Several panels sit
side by side in one figure (one x axis per panel), each titled under its axis, so a row of
"softmax | target | gradient" is one chart and one round trip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .plots import FONT_SIZE, OKABE_ITO, TEMPLATE, _array

PANEL_GAP = 0.07  # fraction of the width between panels
MAX_LABELLED_BARS = 6  # print values on a single series' bars only when they fit


@dataclass(frozen=True)
class BarSeries:
    name: str
    values: np.ndarray
    color: str = OKABE_ITO[0]


@dataclass(frozen=True)
class BarPanel:
    title: str  # shown under the panel, as its x-axis title
    series: Sequence[BarSeries]
    y_range: Sequence[float] | None = None  # None: plotly's autorange
    value_format: str = ".2f"


def _axis_names(i: int) -> tuple[str, str, str, str]:
    """("x", "y", "xaxis", "yaxis") for panel 0, ("x2", "y2", "xaxis2", "yaxis2") for panel 1..."""
    suffix = "" if i == 0 else str(i + 1)
    return "x" + suffix, "y" + suffix, "xaxis" + suffix, "yaxis" + suffix


def bar_panels_figure(categories: Sequence[str], panels: Sequence[BarPanel], height: int = 330) -> dict:
    """One figure with a bar panel per entry of ``panels``, side by side, sharing the categories.

    A series name appears once in the legend even if several panels use it.
    """
    width = (1.0 - PANEL_GAP * (len(panels) - 1)) / len(panels)
    data, layout, seen = [], {}, set()
    for i, panel in enumerate(panels):
        x_ref, y_ref, x_axis, y_axis = _axis_names(i)
        left = i * (width + PANEL_GAP)
        labelled = len(panel.series) == 1 and len(categories) <= MAX_LABELLED_BARS
        for series in panel.series:
            trace = {"type": "bar", "x": list(categories), "y": _array(series.values), "name": series.name,
                     "legendgroup": series.name, "showlegend": series.name not in seen,
                     "marker": {"color": series.color}, "xaxis": x_ref, "yaxis": y_ref,
                     "hovertemplate": "%{x}: %{y:.4f}<extra>" + series.name + "</extra>"}
            if labelled:
                trace.update({"texttemplate": "%{y:" + panel.value_format + "}", "textposition": "outside",
                              "textfont": {"size": FONT_SIZE - 2}, "cliponaxis": False,
                              "constraintext": "none"})
            data.append(trace)
            seen.add(series.name)
        layout[x_axis] = {"anchor": y_ref, "domain": [left, left + width], "title": {"text": panel.title},
                          "type": "category"}
        layout[y_axis] = {"anchor": x_ref, "zeroline": True, "zerolinecolor": "#999999", "zerolinewidth": 1.5}
        if panel.y_range is not None:
            layout[y_axis]["range"] = list(panel.y_range)
    layout.update({
        "height": height,
        "template": TEMPLATE,
        "font": {"size": FONT_SIZE},
        "barmode": "group",
        "margin": {"l": 60, "r": 10, "t": 40, "b": 60},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": FONT_SIZE}},
        "uirevision": "keep",
    })
    return {"data": data, "layout": layout}


def symmetric_range(*arrays: np.ndarray, pad: float = 0.25) -> list[float]:
    """[-m, m] around the largest |value| (with room for the value labels); [-1, 1] if all zero."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    values = values[np.isfinite(values)]
    m = float(np.abs(values).max()) if values.size else 0.0
    m = m if m > 0 else 1.0
    return [-(1 + pad) * m, (1 + pad) * m]
