"""Chart builders for /gan: arrays in, plotly figure dicts out (no Streamlit, no torch).

Same conventions as ``lossviz.plots``: JSON dicts (not graph_objects), float32 arrays with
non-finite values as gaps, SVG traces only, Okabe–Ito colours with a dash per series, big fonts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from lossviz.plots import DASHES, FONT_SIZE, OKABE_ITO, TEMPLATE, _array

MAX_HISTORY_POINTS = 400  # loss-over-time lines are thinned to this many points for the wire
REAL_COLOR, FAKE_COLOR, D_COLOR = OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2]


@dataclass(frozen=True)
class GanTitles:
    """Translated labels, so these builders stay language-free."""

    x: str = "x"
    density: str = "density"
    d_axis: str = "D(x)"
    real: str = "real"
    fake: str = "generated"
    d_trace: str = "D(x)"


def _layout(height: int, **extra: object) -> dict:
    return {"height": height, "template": TEMPLATE, "font": {"size": FONT_SIZE},
            "margin": {"l": 70, "r": 20, "t": 40, "b": 50}, "uirevision": "keep",
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "font": {"size": FONT_SIZE}},
            **extra}


def density_figure(view: dict, titles: GanTitles, d_is_probability: bool, height: int = 380) -> dict:
    """Real density (exact), generated samples (histogram) and the discriminator's D(x) (right axis)."""
    real = {"type": "scatter", "mode": "lines", "x": _array(view["x"]), "y": _array(view["real_density"]),
            "name": titles.real, "line": {"color": REAL_COLOR, "width": 3.5}, "fill": "tozeroy",
            "fillcolor": "rgba(0,114,178,0.15)"}
    fake = {"type": "scatter", "mode": "lines", "x": _array(view["bins"]), "y": _array(view["fake_hist"]),
            "name": titles.fake, "line": {"color": FAKE_COLOR, "width": 3, "shape": "hvh"}, "fill": "tozeroy",
            "fillcolor": "rgba(230,159,0,0.25)"}
    d_trace = {"type": "scatter", "mode": "lines", "x": _array(view["x"]), "y": _array(view["d_of_x"]),
               "name": titles.d_trace, "yaxis": "y2", "line": {"color": D_COLOR, "width": 3, "dash": "dash"}}
    peak = max(1e-6, float(np.nanmax(np.concatenate([_array(view["real_density"]), _array(view["fake_hist"])]))))
    layout = _layout(
        height, hovermode="x unified",
        xaxis={"title": {"text": titles.x}, "range": [view["x"][0], view["x"][-1]]},
        yaxis={"title": {"text": titles.density}, "range": [0, 1.1 * min(peak, 5.0)]},
        yaxis2={"title": {"text": titles.d_axis}, "overlaying": "y", "side": "right", "showgrid": False,
                "tickfont": {"size": FONT_SIZE}, "zeroline": False,
                **({"range": [-0.02, 1.02], "tickvals": [0, 0.25, 0.5, 0.75, 1]} if d_is_probability
                   else {"tickmode": "auto", "nticks": 6, "tickformat": ".2~f"})},
    )
    layout["margin"] = {**layout["margin"], "r": 70}
    return {"data": [real, fake, d_trace], "layout": layout}


def thin(values: Sequence[float], max_points: int = MAX_HISTORY_POINTS) -> list[int]:
    """Indices of at most ``max_points`` evenly spaced entries, always keeping the last."""
    n = len(values)
    if n <= max_points:
        return list(range(n))
    stride = int(np.ceil(n / max_points))
    keep = list(range(0, n, stride))
    return keep if keep[-1] == n - 1 else keep + [n - 1]


def loss_history_figure(steps: Sequence[int], series: dict[str, Sequence[float]], x_title: str, y_title: str,
                        height: int = 300) -> dict:
    """Each named loss over the training steps (thinned for the wire)."""
    keep = thin(steps)
    x = _array(np.asarray(steps)[keep]) if len(steps) else _array([])
    data = []
    for i, (name, values) in enumerate(series.items()):
        y = _array(np.asarray(values)[keep]) if len(values) else _array([])
        data.append({"type": "scatter", "mode": "lines", "x": x, "y": y, "name": name,
                     "line": {"color": OKABE_ITO[(i + 3) % len(OKABE_ITO)], "width": 3, "dash": DASHES[i % len(DASHES)]}})
    layout = _layout(height, hovermode="x unified", xaxis={"title": {"text": x_title}},
                     yaxis={"title": {"text": y_title}})
    return {"data": data, "layout": layout}


def saturation_figure(curves: dict, names: dict[str, str], titles: dict[str, str], current_d: float | None,
                      height: int = 440) -> dict:
    """Minimax vs non-saturating generator loss (top) and ∂L/∂logit (bottom) against D(G(z)).

    ``current_d`` (the run's mean D(G(z)), if any) is marked with a vertical dotted line.
    """
    x = _array(curves["d"])
    data = []
    for i, key in enumerate(("minimax", "nonsaturating")):
        style = {"color": OKABE_ITO[4 if i == 0 else 0], "width": 3.5, "dash": DASHES[i]}
        data.append({"type": "scatter", "mode": "lines", "x": x, "y": _array(curves[f"{key}_loss"]),
                     "name": names[key], "legendgroup": key, "line": style, "xaxis": "x", "yaxis": "y"})
        data.append({"type": "scatter", "mode": "lines", "x": x, "y": _array(curves[f"{key}_grad_logit"]),
                     "name": names[key], "legendgroup": key, "showlegend": False, "line": style,
                     "xaxis": "x2", "yaxis": "y2"})
    shapes = []
    if current_d is not None and np.isfinite(current_d):
        for yref in ("y domain", "y2 domain"):
            shapes.append({"type": "line", "xref": "x2" if yref.startswith("y2") else "x", "yref": yref,
                           "x0": current_d, "x1": current_d, "y0": 0, "y1": 1,
                           "line": {"color": "#444444", "width": 2.5, "dash": "dot"}})
    layout = _layout(
        height, hovermode="x unified", shapes=shapes,
        annotations=[{"xref": "x2", "yref": "y2 domain", "x": current_d, "y": 1.0, "text": titles["now"],
                      "showarrow": False, "yanchor": "bottom", "font": {"size": FONT_SIZE - 2}}]
        if shapes else [],
        xaxis={"anchor": "y", "domain": [0, 1], "matches": "x2", "showticklabels": False},
        yaxis={"anchor": "x", "domain": [0.5, 1.0], "title": {"text": titles["loss"]}, "range": [-4.2, 4.2]},
        xaxis2={"anchor": "y2", "domain": [0, 1], "title": {"text": titles["x"]}, "range": [0, 1]},
        yaxis2={"anchor": "x2", "domain": [0.0, 0.40], "title": {"text": titles["grad"]}, "range": [-1.05, 0.05]},
    )
    return {"data": data, "layout": layout}
