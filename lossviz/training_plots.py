"""Chart builders for /training: arrays in, plotly JSON dicts out. No Streamlit, no torch.

Same conventions as ``lossviz.plots``: our small ``TEMPLATE``, Okabe–Ito colours, large fonts,
float32 arrays, SVG traces only. Run A is blue and solid, run B orange and dashed, everywhere.
Panels of one chart are axes domains of one figure (one element to send per tick, not four).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .plots import FONT_SIZE, OKABE_ITO, TEMPLATE, _array

RUN_STYLE = {"A": {"color": OKABE_ITO[0], "dash": "solid"}, "B": {"color": OKABE_ITO[1], "dash": "dash"}}
CLASS_COLORS = (OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[4], OKABE_ITO[5])
CLASS_SYMBOLS = ("circle", "x", "diamond", "square", "triangle-up", "star")
_MARGIN = {"l": 60, "r": 15, "t": 40, "b": 45}
# The live charts are redrawn several times a second: keep what each tick sends small.
LIVE_THIN = 2  # every 2nd row and column of the 60 x 60 boundary grid: 30 x 30 (19 KB instead of 145 KB)
MAX_CURVE_POINTS = 400  # per-step series (batch loss, gradient norm) are thinned evenly to this many points


@dataclass(frozen=True)
class Points:
    """The training points: ``x`` (N, 2) with class ``label`` (N,), or ``x`` (N,) and ``y`` (N,) targets."""

    x: np.ndarray
    label: np.ndarray | None = None
    y: np.ndarray | None = None


def _layout(height: int, **extra: object) -> dict:
    return {"height": height, "template": TEMPLATE, "font": {"size": FONT_SIZE}, "margin": dict(_MARGIN),
            "uirevision": "keep", "showlegend": False, **extra}


def _domains(n: int, gap: float = 0.08) -> list[list[float]]:
    width = (1 - gap * (n - 1)) / n
    return [[max(0.0, round(i * (width + gap), 6)), min(1.0, round(i * (width + gap) + width, 6))] for i in range(n)]


def _scatter_classes(points: Points, axis: str, n_classes: int) -> list[dict]:
    traces = []
    for k in range(max(n_classes, 2)):
        mask = points.label == k
        traces.append({"type": "scatter", "mode": "markers", "x": _array(points.x[mask, 0]),
                       "y": _array(points.x[mask, 1]), "xaxis": "x" + axis, "yaxis": "y" + axis,
                       "hoverinfo": "skip", "name": str(k),
                       "marker": {"color": CLASS_COLORS[k % 6], "symbol": CLASS_SYMBOLS[k % 6], "size": 8,
                                  "line": {"color": "white", "width": 1}}})
    return traces


def _class_field(grid: dict, axis: str, n_classes: int) -> list[dict]:
    """Two classes: p(class 1) shaded blue→white→orange with the p = 0.5 line drawn thick, by one
    contour trace (heatmap colouring). K classes: each region in its class colour. On the grid
    thinned by ``LIVE_THIN`` (the replay uses the same thinning: the two look alike)."""
    t = LIVE_THIN
    common = {"x": _array(grid["xs"][::t]), "y": _array(grid["ys"][::t]), "xaxis": "x" + axis, "yaxis": "y" + axis,
              "showscale": False, "hoverinfo": "skip"}
    if n_classes <= 2:
        scale = [[0, "#9CC7E4"], [0.5, "#FFFFFF"], [1, "#F5C97A"]]
        return [{"type": "contour", "z": _array(grid["prob"][::t, ::t]), "zmin": 0, "zmax": 1, "colorscale": scale,
                 "autocontour": False, "contours": {"start": 0.5, "end": 0.5, "size": 1, "coloring": "heatmap"},
                 "line": {"color": "#333333", "width": 3}, **common}]
    k = n_classes
    scale = []
    for c in range(k):  # a stepped colour scale: one flat band per class
        scale += [[c / k, CLASS_COLORS[c % 6]], [(c + 1) / k, CLASS_COLORS[c % 6]]]
    return [{"type": "heatmap", "z": _array(grid["label"][::t, ::t]), "zmin": -0.5, "zmax": k - 0.5, "opacity": 0.3,
             "colorscale": scale, **common}]


def boundary_figure(grids: Sequence[tuple[str, dict]], points: Points, n_classes: int, height: int = 360) -> dict:
    """The model over the data, one panel per run: decision regions (classification) or the
    fitted curve ŷ(x) over the points (regression, both runs on one panel)."""
    if points.label is None:  # regression
        data = [{"type": "scatter", "mode": "markers", "x": _array(points.x), "y": _array(points.y),
                 "hoverinfo": "skip", "marker": {"color": "#777777", "size": 6, "opacity": 0.7}, "name": "data"}]
        for run, grid in grids:
            data.append({"type": "scatter", "mode": "lines", "x": _array(grid["xs"]), "y": _array(grid["pred"]),
                         "name": run, "line": {**RUN_STYLE[run], "width": 4}})
        y = np.asarray(points.y)
        low, high = float(np.min(y)), float(np.max(y))
        pad = 0.05 * (high - low + 1e-9)
        return {"data": data, "layout": _layout(height, showlegend=len(grids) > 1,
                                                yaxis={"range": [low - pad, high + pad]},
                                                legend={"orientation": "h", "y": 1.08, "x": 0})}
    data, layout = [], _layout(height)
    for i, ((run, grid), domain) in enumerate(zip(grids, _domains(len(grids), 0.04))):
        axis = "" if i == 0 else str(i + 1)
        data += _class_field(grid, axis, n_classes) + _scatter_classes(points, axis, n_classes)
        layout["xaxis" + axis] = {"domain": domain, "anchor": "y" + axis, "showgrid": False, "constrain": "domain",
                                  "zeroline": False,
                                  "range": [float(grid["xs"][0]), float(grid["xs"][-1])]}
        layout["yaxis" + axis] = {"anchor": "x" + axis, "showgrid": False, "scaleanchor": "x" + axis,
                                  "constrain": "domain", "zeroline": False,
                                  "range": [float(grid["ys"][0]), float(grid["ys"][-1])],
                                  "showticklabels": i == 0}
        if len(grids) > 1:
            layout.setdefault("annotations", []).append(
                {"text": f"<b>{run}</b>", "xref": f"x{axis} domain", "yref": f"y{axis} domain", "x": 0.02,
                 "y": 0.98, "showarrow": False, "font": {"size": FONT_SIZE + 4, "color": RUN_STYLE[run]["color"]},
                 "bgcolor": "rgba(255,255,255,0.8)"})
    return {"data": data, "layout": layout}


@dataclass(frozen=True)
class RunCurves:
    """One run's series for the curves figure."""

    run: str  # "A" or "B"
    steps: Sequence[float]
    batch_loss: Sequence[float]
    grad_norm: Sequence[float]
    eval_steps: Sequence[float]
    train_loss: Sequence[float]
    val_loss: Sequence[float]
    metric: Sequence[float]  # validation accuracy or MAE


def thin(n: int, most: int = MAX_CURVE_POINTS) -> slice:
    """A slice keeping at most about ``most`` evenly spaced items of ``n`` (and the last when it can)."""
    stride = max(1, -(-n // most))
    return slice((n - 1) % stride, None, stride)


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k not below ``value`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * power >= value * (1 - 1e-12))


def _finite(series: Sequence[np.ndarray]) -> np.ndarray:
    values = np.concatenate([np.asarray(s, dtype=float).ravel() for s in series]) if series else np.array([])
    return values[np.isfinite(values)]


def fixed_ranges(runs: Sequence[RunCurves], total_steps: int, metric_is_accuracy: bool) -> dict[str, list[float]]:
    """Axis ranges for the live curves that change only when the data outgrow them: the step
    axis is the whole run, [0, total_steps]; the loss and metric axes go from 0 to a round
    number above the largest value so far; the gradient-norm axis (log) spans whole decades.
    With the axes fixed, a tick's new points are drawn by moving the curves alone, no replot
    (ui/scrub_readouts.py)."""
    loss = _finite([a for r in runs for a in (r.batch_loss, r.train_loss, r.val_loss)])
    metric = _finite([r.metric for r in runs])
    grad = _finite([r.grad_norm for r in runs])
    grad = grad[grad > 0]
    top = lambda values: _nice_ceiling(float(values.max()) * 1.04) if values.size and values.max() > 0 else 1.0  # noqa: E731
    return {
        "xaxis": [0.0, float(max(total_steps, 1))],
        "yaxis": [0.0, top(loss)],
        "yaxis2": [0.0, 1.02] if metric_is_accuracy else [0.0, top(metric)],
        "yaxis3": ([math.floor(math.log10(grad.min())), math.ceil(math.log10(grad.max()) + 1e-9)]
                   if grad.size else [-3.0, 1.0]),
    }


def curves_figure(runs: Sequence[RunCurves], titles: dict[str, str], height: int = 330,
                  ranges: dict[str, list[float]] | None = None) -> dict:
    """Three stacked panels sharing the step axis: loss (batch faint, train solid, validation
    dotted), the validation metric, and the gradient norm (log scale: it spans decades).
    Per-step series are thinned evenly to ``MAX_CURVE_POINTS`` (the newest step always kept).
    ``ranges`` (``fixed_ranges``): fixed axes, for a chart redrawn every tick; else autorange."""
    data = []
    for r in runs:
        keep = thin(len(r.steps))
        r = RunCurves(r.run, r.steps[keep], r.batch_loss[keep], r.grad_norm[keep], r.eval_steps, r.train_loss,
                      r.val_loss, r.metric)
        color = RUN_STYLE[r.run]["color"]
        run = f"{r.run} · " if len(runs) > 1 else ""
        data += [
            {"type": "scatter", "mode": "lines", "x": _array(r.steps), "y": _array(r.batch_loss), "xaxis": "x",
             "yaxis": "y", "name": run + titles["batch"], "opacity": 0.35, "line": {"color": color, "width": 1.5}},
            {"type": "scatter", "mode": "lines", "x": _array(r.eval_steps), "y": _array(r.train_loss), "xaxis": "x",
             "yaxis": "y", "name": run + titles["train"], "line": {"color": color, "width": 3.5}},
            {"type": "scatter", "mode": "lines", "x": _array(r.eval_steps), "y": _array(r.val_loss), "xaxis": "x",
             "yaxis": "y", "name": run + titles["val"], "line": {"color": color, "width": 3, "dash": "dot"}},
            {"type": "scatter", "mode": "lines", "x": _array(r.eval_steps), "y": _array(r.metric), "xaxis": "x",
             "yaxis": "y2", "name": run + titles["metric"], "line": {**RUN_STYLE[r.run], "width": 3.5}},
            {"type": "scatter", "mode": "lines", "x": _array(r.steps), "y": _array(np.maximum(r.grad_norm, 1e-12)),
             "xaxis": "x", "yaxis": "y3", "name": run + "‖g‖", "line": {**RUN_STYLE[r.run], "width": 2}},
        ]
    layout = _layout(height, hovermode="x")
    layout["margin"] = {**_MARGIN, "t": 10}
    layout["xaxis"] = {"anchor": "y3", "title": {"text": titles["step"], "standoff": 4}, "rangemode": "tozero"}
    gap = 0.07
    panel = (1 - 2 * gap) / 3
    for i, key in enumerate(("loss", "metric", "grad")):  # top to bottom
        axis = "" if i == 0 else str(i + 1)
        top = 1 - i * (panel + gap)
        domain = [max(0.0, round(top - panel, 6)), min(1.0, round(top, 6))]
        layout["yaxis" + axis] = {"anchor": "x", "domain": domain, "nticks": 4,
                                  "type": "log" if key == "grad" else "linear",
                                  "rangemode": "normal" if key == "grad" else "tozero"}
        layout.setdefault("annotations", []).append(
            {"text": titles[key], "xref": "paper", "yref": "paper", "x": 0.99, "y": top, "xanchor": "right",
             "yanchor": "top", "showarrow": False, "font": {"size": FONT_SIZE - 1},
             "bgcolor": "rgba(255,255,255,0.85)"})
    for axis, axis_range in (ranges or {}).items():
        layout[axis].update({"range": axis_range, "autorange": False})
    return {"data": data, "layout": layout}


def per_sample_figure(points: Points, grad: np.ndarray, loss: np.ndarray, titles: dict[str, str],
                      height: int = 340) -> dict:
    """Every training point sized by its share of the gradient, coloured by its loss."""
    grad = np.asarray(grad, dtype=np.float64)
    grad = np.where(np.isfinite(grad), grad, 0.0)  # a diverged run: no size rather than an invalid one
    size = 5 + 25 * np.sqrt(grad / grad.max()) if grad.max() > 0 else np.full(grad.shape, 5.0)
    xs, ys = (points.x, points.y) if points.label is None else (points.x[:, 0], points.x[:, 1])
    data = [{"type": "scatter", "mode": "markers", "x": _array(xs), "y": _array(ys),
             "customdata": np.stack([_array(loss), _array(grad)], axis=1),
             "hovertemplate": titles["hover"],
             "marker": {"size": _array(size), "color": _array(loss), "colorscale": "Viridis", "showscale": True,
                        "colorbar": {"title": {"text": titles["loss"]}, "thickness": 14},
                        "line": {"color": "white", "width": 0.5}}, "name": ""}]
    layout = _layout(height)
    if points.label is not None:
        layout["yaxis"] = {"scaleanchor": "x", "showgrid": False}
        layout["xaxis"] = {"showgrid": False}
    return {"data": data, "layout": layout}


def calibration_figure(calibration: dict, titles: dict[str, str], height: int = 340) -> dict:
    """Bars: how many validation points fall in each confidence bin; line: their accuracy
    against the diagonal a calibrated model would follow."""
    edges = np.asarray(calibration["edges"])
    centres = (edges[:-1] + edges[1:]) / 2
    data = [
        {"type": "bar", "x": _array(centres), "y": _array(calibration["counts"]), "width": float(edges[1] - edges[0]) * 0.9,
         "marker": {"color": OKABE_ITO[5]}, "name": titles["count"]},
        {"type": "scatter", "mode": "lines", "x": [0, 1], "y": [0, 1], "name": titles["ideal"], "yaxis": "y2",
         "line": {"color": "#888888", "width": 2, "dash": "dot"}},
        {"type": "scatter", "mode": "lines+markers", "x": _array(centres), "y": _array(calibration["accuracy"]),
         "name": titles["accuracy"], "yaxis": "y2", "line": {"color": OKABE_ITO[4], "width": 3.5},
         "marker": {"size": 9}},
    ]
    layout = _layout(height, showlegend=True, legend={"orientation": "h", "y": 1.12, "x": 0},
                     xaxis={"range": [0, 1], "title": {"text": titles["confidence"]}},
                     yaxis={"title": {"text": titles["count"]}, "rangemode": "tozero"},
                     yaxis2={"overlaying": "y", "side": "right", "showgrid": False, "range": [0, 1.02],
                             "title": {"text": titles["accuracy"]}})
    layout["margin"] = {**_MARGIN, "r": 60}
    return {"data": data, "layout": layout}
