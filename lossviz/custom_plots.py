"""Chart additions for /custom: shade where the typed loss or its gradient is NaN or ±inf.

Takes a figure from ``plots.loss_and_gradient_figure`` (plotly JSON dict) and returns a new dict
with one translucent band per interval across both panels, labelled once, drawn below the lines.
"""

from __future__ import annotations

from typing import Sequence

NONFINITE_FILL = "rgba(213, 94, 0, 0.16)"  # Okabe-Ito vermilion, light: reads as "warning"


def with_nonfinite_regions(figure: dict, intervals: Sequence[tuple[float, float]], label: str) -> dict:
    """``figure`` plus shaded x-intervals (x0, x1) spanning both panels, the first one labelled."""
    if not intervals:
        return figure
    bands = [{"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
              "fillcolor": NONFINITE_FILL, "line": {"width": 0}, "layer": "below"} for x0, x1 in intervals]
    x0, x1 = intervals[0]
    note = {"xref": "x", "yref": "paper", "x": (x0 + x1) / 2, "y": 0.98, "text": label, "showarrow": False,
            "font": {"size": 14, "color": "#A33A00"}, "bgcolor": "rgba(255,255,255,0.8)", "yanchor": "top"}
    layout = dict(figure["layout"])
    layout["shapes"] = [*bands, *layout.get("shapes", [])]
    layout["annotations"] = [*layout.get("annotations", []), note]
    return {"data": figure["data"], "layout": layout}
