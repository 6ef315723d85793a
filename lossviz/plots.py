"""Pure chart builders: arrays in, plotly figure out. No Streamlit, no torch.

Figures are returned in plotly's own JSON form (a ``dict`` with "data" and "layout"), which
``st.plotly_chart`` and ``plotly.graph_objects.Figure`` both accept. We do not build
``graph_objects`` here: ``make_subplots`` plus ``add_trace`` validated every property and cost
~40 ms per rerun, against ~0.5 ms for the dict (Streamlit then validates the dict once, ~3 ms
with our small ``TEMPLATE``).
Arrays stay numpy float32, which plotly 7 sends as compact base64 typed arrays; non-finite
values are NaN and plotly.js draws them as gaps.

Charts are drawn for a projector: large fonts, thick lines, Okabe–Ito colours (safe for the
common forms of colour blindness) and a dash pattern per series, so lines stay apart in grey.
Only SVG traces (``go.Scatter``); WebGL traces are several times slower without a GPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import math

import numpy as np

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
DASHES = ("solid", "dash", "dot", "dashdot")
FONT_SIZE = 16
POINT_COLOR = "#D55E00"
_AXIS_STYLE = {"gridcolor": "#E6E6E6", "linecolor": "#666666", "zerolinecolor": "#BBBBBB", "ticks": "outside",
               "tickfont": {"size": FONT_SIZE}, "automargin": True}
# A small template of our own. Without one, plotly applies its default template (~10 KB of JSON,
# ~17 ms to validate on every rerun); the built-in "plotly_white" costs the same.
TEMPLATE = {"layout": {"plot_bgcolor": "white", "paper_bgcolor": "white", "colorway": list(OKABE_ITO),
                       "xaxis": _AXIS_STYLE, "yaxis": _AXIS_STYLE}}


@dataclass(frozen=True)
class CurveSeries:
    """One loss along the x axis, with its gradient."""

    name: str
    x: np.ndarray
    loss: np.ndarray
    grad: np.ndarray


@dataclass(frozen=True)
class CurrentPoint:
    """The slider position: marker on both panels and the tangent segment on the loss panel."""

    x: float
    loss: float
    grad: float
    tangent_x: Sequence[float] = field(default_factory=tuple)
    tangent_y: Sequence[float] = field(default_factory=tuple)


@dataclass(frozen=True)
class AxisTitles:
    x: str
    loss: str
    grad: str


def _array(values: np.ndarray) -> np.ndarray:
    """float32 for the wire (7 significant digits are plenty on screen); inf becomes NaN (a gap)."""
    out = np.asarray(values, dtype=np.float32)
    return np.where(np.isfinite(out), out, np.float32(np.nan))


def _y_range(series: Sequence[np.ndarray], pad: float = 0.06) -> list[float] | None:
    """A y range for a panel: the data's full range, cut back to half a 5–95 % span beyond the
    5th and 95th percentiles, so a blow-up at one edge (∂L/∂p = −1/p as p → 0) shows as a
    curve leaving the chart instead of flattening everything else into a line."""
    finite = np.concatenate([np.asarray(s)[np.isfinite(s)] for s in series]) if series else np.array([])
    if finite.size == 0:
        return None
    q05, q95 = (float(v) for v in np.percentile(finite, [5, 95]))
    spread = q95 - q05
    low = max(float(finite.min()), q05 - 0.5 * spread)
    high = min(float(finite.max()), q95 + 0.5 * spread)
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    low, high = _snapped(low, high)
    span = high - low
    return [low - pad * span, high + pad * span]


def _nice_step(rough: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 × 10^k not below ``rough``."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= rough * (1 - 1e-12))


def _snapped(low: float, high: float) -> tuple[float, float]:
    """``[low, high]`` widened to multiples of a round step (about a fifth of the span), so a
    small change of the data (a target or parameter moved one slider step) keeps the same axis:
    the browser then moves the curve alone instead of redrawing the axes (ui/scrub_readouts.py)."""
    step = _nice_step((high - low) / 5)
    return math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step


def _line(x, y, name: str, panel: str, style: dict, showlegend: bool) -> dict:
    axes = {"loss": ("x", "y"), "grad": ("x2", "y2")}[panel]
    return {"type": "scatter", "mode": "lines", "x": x, "y": y, "name": name, "legendgroup": name,
            "showlegend": showlegend, "line": style, "xaxis": axes[0], "yaxis": axes[1]}


def _point_shapes(point: CurrentPoint) -> list[dict]:
    """The current point on both panels and its tangent, as layout shapes: they stay out of
    the legend and hover, and a circle of fixed pixel size reads the same at any zoom."""
    shapes = []
    if len(point.tangent_x) == 2:
        shapes.append({"type": "line", "xref": "x", "yref": "y", "x0": point.tangent_x[0],
                       "y0": point.tangent_y[0], "x1": point.tangent_x[1], "y1": point.tangent_y[1],
                       "line": {"color": "#444444", "width": 2.5, "dash": "dot"}})
    for xref, yref, y in (("x", "y", point.loss), ("x2", "y2", point.grad)):
        if not (np.isfinite(point.x) and np.isfinite(y)):
            continue
        shapes.append({"type": "circle", "xref": xref, "yref": yref, "xsizemode": "pixel",
                       "ysizemode": "pixel", "xanchor": float(point.x), "yanchor": float(y),
                       "x0": -7, "x1": 7, "y0": -7, "y1": 7, "fillcolor": POINT_COLOR,
                       "line": {"color": "white", "width": 2}})
    return shapes


def loss_and_gradient_figure(
    curves: Sequence[CurveSeries], point: CurrentPoint | None, titles: AxisTitles, height: int = 440
) -> dict:
    """Two linked panels sharing x: the loss(es) on top, their gradient(s) below.

    The current point is marked on both panels, with the tangent segment on the loss panel.
    """
    data = []
    for i, curve in enumerate(curves):
        style = {"color": OKABE_ITO[i % len(OKABE_ITO)], "width": 3.5 if i == 0 else 2.5,
                 "dash": DASHES[i % len(DASHES)]}
        x = _array(curve.x)
        data.append(_line(x, _array(curve.loss), curve.name, "loss", style, showlegend=True))
        data.append(_line(x, _array(curve.grad), curve.name, "grad", style, showlegend=False))
    shapes = _point_shapes(point) if point is not None else []
    axis_font = {"size": FONT_SIZE}
    layout = {
        "height": height,
        "template": TEMPLATE,
        "font": {"size": FONT_SIZE},
        "margin": {"l": 70, "r": 20, "t": 40, "b": 50},
        "hovermode": "x unified",
        "shapes": shapes,
        "uirevision": "keep",  # keep the user's zoom across reruns
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "font": axis_font},
        # top panel: loss; its x axis follows the bottom one and hides its tick labels
        "xaxis": {"anchor": "y", "domain": [0, 1], "matches": "x2", "showticklabels": False},
        "yaxis": {"anchor": "x", "domain": [0.46, 1.0], "title": {"text": titles.loss},
                  "range": _y_range([c.loss for c in curves])},
        "xaxis2": {"anchor": "y2", "domain": [0, 1], "title": {"text": titles.x}},
        "yaxis2": {"anchor": "x2", "domain": [0.0, 0.40], "title": {"text": titles.grad},
                   "range": _y_range([c.grad for c in curves]), "zeroline": True,
                   "zerolinecolor": "#999999", "zerolinewidth": 1.5},
    }
    return {"data": data, "layout": layout}


def clip_segment(
    x0: float, y0: float, slope: float, x_range: tuple[float, float], y_range: tuple[float, float],
    half_width: float,
) -> tuple[list[float], list[float]]:
    """The tangent y = y0 + slope (x − x0) over [x0 − w, x0 + w], cut to the plotted box, so a
    steep tangent is drawn inside the chart instead of stretching an axis."""
    lo, hi = max(x_range[0], x0 - half_width), min(x_range[1], x0 + half_width)
    if slope != 0 and math.isfinite(slope):
        # x where the line leaves the y range
        xa, xb = sorted((x0 + (y_range[0] - y0) / slope, x0 + (y_range[1] - y0) / slope))
        lo, hi = max(lo, xa), min(hi, xb)
    if not (math.isfinite(slope) and lo < hi):
        return [], []
    return [lo, hi], [y0 + slope * (lo - x0), y0 + slope * (hi - x0)]


@dataclass(frozen=True)
class ScrubbedPoint:
    """The current point at every slider position: plotted x, loss, gradient and the tangent."""

    x: np.ndarray  # where each position sits on the chart's x axis (prediction, logit or p)
    loss: np.ndarray
    grad: np.ndarray  # slope along the chart's x axis
    labels: Sequence[str]  # the slider's tick label at each position
    active: int  # the position shown first (the value in the URL)
    prefix: str  # shown before the slider's current value, e.g. "ŷ = "


TANGENT_STYLE = {"color": "#222222", "width": 4}


def _extended(base: list[float] | None, value: float) -> list[float] | None:
    """``base`` widened just enough to show ``value`` (a point off the usual range stays visible)."""
    if base is None or not np.isfinite(value):
        return base
    low, high = base
    span = high - low
    if value > high:
        return [low, float(value) + 0.08 * (float(value) - low)]
    if value < low:
        return [float(value) - 0.08 * (high - float(value)), high]
    return [low, high] if span > 0 else base


def scrubbed_loss_figure(
    curves: Sequence[CurveSeries], point: ScrubbedPoint, titles: AxisTitles,
    x_range: tuple[float, float], height: int = 440,
) -> dict:
    """``scrubbed_loss_parts`` with plotly's own slider inside the figure (self-contained)."""
    from .scrub import add_scrubber

    figure, steps = scrubbed_loss_parts(curves, point, titles, x_range, height)
    shapes = figure["layout"]["shapes"]

    def whole(relayout: dict) -> dict:  # plotly's slider: the whole shapes array per step
        merged = [{**shape, **relayout.get(f"shapes[{k}]", {})} for k, shape in enumerate(shapes)]
        return {"shapes": merged, **{key: value for key, value in relayout.items() if not key.startswith("shapes[")}}

    frames = [{"data": data, "layout": whole(layout)} for data, layout in steps["frames"]]
    return add_scrubber(figure, frames, steps["labels"], active=steps["active"], prefix=steps["prefix"],
                        trace_indices=steps["traces"], plain=True)


def _fixed_x(layout: dict, x_range: tuple[float, float]) -> None:
    """Fixed ranges on both x axes: moving a shape then redraws the shape alone, with no
    autorange recalculation of the whole figure."""
    pad = 0.01 * (x_range[1] - x_range[0])
    for axis in ("xaxis", "xaxis2"):
        layout[axis]["range"] = [x_range[0] - pad, x_range[1] + pad]
        layout[axis]["autorange"] = False


def _point_step(first: int, x: float, loss: float, grad: float, x_range: tuple[float, float],
                loss_range: list[float] | None) -> dict:
    """The relayout that puts the current point (both panels) and its tangent at (x, loss, grad).

    The point and its tangent are layout shapes ``first .. first + 2``, not traces. A step gives
    each shape's changed attributes; the scrubber merges them and relays out the whole shapes
    array (ui/scrub_readouts.py): plotly then redraws the shapes alone (about 3 ms in chromium),
    where restyling a trace, or an edit such as "shapes[1].xanchor", replots the whole figure."""
    tx, ty = ([], [])
    if loss_range is not None and math.isfinite(loss):
        tx, ty = clip_segment(x, loss, grad, x_range, tuple(loss_range), 0.15 * (x_range[1] - x_range[0]))

    def marker(y: float) -> dict:
        visible = math.isfinite(x) and math.isfinite(y)
        return {"xanchor": x if visible else 0, "yanchor": y if visible else 0, "visible": visible}

    return {f"shapes[{first}]": ({"x0": tx[0], "y0": ty[0], "x1": tx[1], "y1": ty[1], "visible": True}
                                 if tx else {"visible": False}),
            f"shapes[{first + 1}]": marker(loss), f"shapes[{first + 2}]": marker(grad)}


def _point_shapes_at(first: int, shown: dict) -> list[dict]:
    """The tangent and the two markers, drawn where ``shown`` (a ``_point_step``) puts them."""
    return [{"type": "line", "xref": "x", "yref": "y", "x0": 0, "y0": 0, "x1": 0, "y1": 0, "line": TANGENT_STYLE,
             **shown[f"shapes[{first}]"]},
            *({"type": "circle", "xref": xref, "yref": yref, "xsizemode": "pixel", "ysizemode": "pixel",
               "x0": -8, "x1": 8, "y0": -8, "y1": 8, "fillcolor": POINT_COLOR,
               "line": {"color": "white", "width": 2}, **shown[f"shapes[{first + k}]"]}
              for k, (xref, yref) in ((1, ("x", "y")), (2, ("x2", "y2"))))]


def scrubbed_loss_parts(
    curves: Sequence[CurveSeries], point: ScrubbedPoint, titles: AxisTitles,
    x_range: tuple[float, float], height: int = 440,
) -> tuple[dict, dict]:
    """The two-panel loss/gradient chart, and the scrubber steps (``lossviz.scrub.scrub_steps``)
    that move the current point, its tangent and, when the point leaves them, the y ranges,
    entirely in the browser. The x axis is fixed to ``x_range``, so nothing jumps during a drag.
    The figure shows position ``point.active``."""
    from .scrub import scrub_steps

    figure = loss_and_gradient_figure(curves, None, titles, height=height)
    layout = figure["layout"]
    _fixed_x(layout, x_range)
    loss_base, grad_base = layout["yaxis"]["range"], layout["yaxis2"]["range"]
    first = len(layout["shapes"])
    frames, widened = [], False
    for x, loss, grad in zip(point.x.tolist(), point.loss.tolist(), point.grad.tolist()):
        loss_range, grad_range = _extended(loss_base, loss), _extended(grad_base, grad)
        widened = widened or loss_range != loss_base or grad_range != grad_base
        frames.append({"data": {}, "layout": {**_point_step(first, x, loss, grad, x_range, loss_range),
                                              "yaxis.range": loss_range, "yaxis2.range": grad_range}})
    shown = frames[point.active]["layout"]
    layout["shapes"] = layout["shapes"] + _point_shapes_at(first, shown)  # the first paint: the active position
    layout["yaxis"]["range"], layout["yaxis2"]["range"] = shown["yaxis.range"], shown["yaxis2.range"]
    if not widened:  # every point fits the usual ranges: steps move the shapes only (no axis redraw)
        for frame in frames:
            del frame["layout"]["yaxis.range"], frame["layout"]["yaxis2.range"]
    return figure, scrub_steps(frames, point.labels, active=point.active, prefix=point.prefix,
                               trace_indices=[], plain=True)


def family_scrubbed_parts(
    family: Sequence[CurveSeries], compared: Sequence[CurveSeries], x_index: int, labels: Sequence[str],
    active: int, prefix: str, titles: AxisTitles, x_range: tuple[float, float], height: int = 440,
) -> tuple[dict, dict]:
    """A curve family scrubbed in the browser: ``family[j]`` is the selected loss at the j-th
    value of one parameter (δ, γ, ε, …), all on the same x grid. Step j redraws the loss and its
    gradient (traces 0 and 1) and moves the current point, fixed at grid position ``x_index``,
    with its tangent. The y ranges cover the whole family and the compared losses, so the axes
    stay still while the curve changes shape, and the browser moves the curves alone. The legend
    keeps ``family[active].name`` (name the family without the scrubbed value: the scrubber
    shows it)."""
    from .scrub import scrub_steps

    figure = loss_and_gradient_figure([family[active], *compared], None, titles, height=height)
    layout = figure["layout"]
    _fixed_x(layout, x_range)
    everything = [*family, *compared]
    layout["yaxis"]["range"] = _y_range([c.loss for c in everything])
    layout["yaxis2"]["range"] = _y_range([c.grad for c in everything])
    loss_range = layout["yaxis"]["range"]
    first = len(layout["shapes"])
    frames = []
    for curve in family:
        x, loss, grad = (float(curve.x[x_index]), float(curve.loss[x_index]), float(curve.grad[x_index]))
        frames.append({"data": {"y": [_array(curve.loss), _array(curve.grad)]},
                       "layout": _point_step(first, x, loss, grad, x_range, loss_range)})
    layout["shapes"] = layout["shapes"] + _point_shapes_at(first, frames[active]["layout"])
    return figure, scrub_steps(frames, labels, active=active, prefix=prefix, trace_indices=[0, 1])
