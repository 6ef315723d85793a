"""The replay of a /training run: the model's view and the loss curves, scrubbed in the browser.

One figure, two rows: on top the decision regions (or the fitted curve) of every run, below the
train and validation loss of every run with a vertical line and a dot at the replayed step. The
slider under it (``lossviz.scrub``) has one position per snapshot the run kept
(``LiveRun.snapshots``, at most 120); each position restyles only the boundary fields, the line and
the dots: the points and the loss curves are sent once. Everything shown is what torch computed at
that step (the grids are the kept snapshots, thinned 2x to 30 x 30 and probabilities rounded to 2 decimals to keep
the figure light; nothing is interpolated). Arrays in, a plotly JSON dict out; no Streamlit, no torch.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .plots import FONT_SIZE, TEMPLATE
from .scrub import add_scrubber
from .training_plots import CLASS_COLORS, RUN_STYLE, Points, _domains, _scatter_classes

THIN = 2  # keep every 2nd grid row and column in the replay (60 x 60 -> 30 x 30)
BOUNDARY_SCALE = [[0, "#9CC7E4"], [0.5, "#FFFFFF"], [1, "#F5C97A"]]  # as the live chart


@dataclass(frozen=True)
class ReplayRun:
    """One run's kept snapshots and evaluated losses."""

    name: str  # "A" or "B"
    frames: Sequence[tuple[int, dict]]  # (step, views.boundary_grid) in step order
    eval_steps: Sequence[float]
    train_loss: Sequence[float]
    val_loss: Sequence[float]


def _list(values: object, decimals: int) -> list:
    """Rounded plain floats for the slider's arguments; NaN and inf become None (a gap)."""
    out = np.round(np.asarray(values, dtype=np.float64), decimals)
    if np.isfinite(out).all():
        return out.tolist()
    return [[v if math.isfinite(v) else None for v in row] if isinstance(row, list) else
            (row if math.isfinite(row) else None) for row in out.tolist()]


def timeline(runs: Sequence[ReplayRun]) -> list[int]:
    """The replayed steps: the first run's snapshot steps (A and B advance together)."""
    return [int(step) for step, _ in runs[0].frames]


def frame_at(run: ReplayRun, step: int) -> int:
    """Index of the run's last snapshot at or before ``step`` (a run that stopped early stays put)."""
    steps = [s for s, _ in run.frames]
    return max(0, bisect.bisect_right(steps, step) - 1)


def value_at(steps: Sequence[float], values: Sequence[float], step: int) -> float:
    """The evaluated value at the last evaluation at or before ``step`` (NaN if none)."""
    i = bisect.bisect_right(list(steps), step) - 1
    return float(values[i]) if i >= 0 else float("nan")


def _field(grid: dict, n_classes: int, axis: str) -> tuple[dict, dict]:
    """The trace of one run's view and the attributes a slider step changes on it."""
    common = {"xaxis": "x" + axis, "yaxis": "y" + axis, "hoverinfo": "skip"}
    if n_classes == 0:  # regression: the fitted curve
        x, y = _list(grid["xs"][::THIN], 4), _list(grid["pred"][::THIN], 4)
        return {"type": "scatter", "mode": "lines", "x": x, "y": y, **common}, {"x": x, "y": y, "z": None}
    xs, ys = _list(grid["xs"][::THIN], 4), _list(grid["ys"][::THIN], 4)
    if n_classes <= 2:  # p(class 1) shaded, the p = 0.5 line drawn by the same trace
        z = _list(grid["prob"][::THIN, ::THIN], 2)
        trace = {"type": "contour", "x": xs, "y": ys, "z": z, "zmin": 0, "zmax": 1, "colorscale": BOUNDARY_SCALE,
                 "showscale": False, "autocontour": False, "contours": {"start": 0.5, "end": 0.5, "size": 1, "coloring": "heatmap"},
                 "line": {"color": "#333333", "width": 3}, **common}
        return trace, {"x": xs, "y": ys, "z": z}
    k = n_classes
    scale = []
    for c in range(k):
        scale += [[c / k, CLASS_COLORS[c % 6]], [(c + 1) / k, CLASS_COLORS[c % 6]]]
    z = _list(grid["label"][::THIN, ::THIN], 0)
    trace = {"type": "heatmap", "x": xs, "y": ys, "z": z, "zmin": -0.5, "zmax": k - 0.5, "opacity": 0.3,
             "colorscale": scale, "showscale": False, **common}
    return trace, {"x": xs, "y": ys, "z": z}


def replay_figure(runs: Sequence[ReplayRun], points: Points, n_classes: int, titles: dict[str, str],
                  prefix: str, height: int = 560, active: int | None = None) -> dict:
    """The figure with its scrubber: ``len(timeline(runs))`` slider steps, starting at ``active``
    (default: the newest). ``titles``: "step", "loss", "train", "val"."""
    steps = timeline(runs)
    active = len(steps) - 1 if active is None else active
    regression = n_classes == 0
    top, bottom = [0.42, 1.0], [0.0, 0.28]
    layout = {"height": height, "template": TEMPLATE, "font": {"size": FONT_SIZE}, "showlegend": False,
              "margin": {"l": 60, "r": 15, "t": 15, "b": 45}, "uirevision": "replay", "annotations": []}
    data: list[dict] = []
    field_traces: list[int] = []
    panels = 1 if regression else len(runs)
    for i, domain in enumerate(_domains(panels, 0.04)):
        axis = "" if i == 0 else str(i + 1)
        grid = runs[i].frames[frame_at(runs[i], steps[active])][1]
        layout["xaxis" + axis] = {"domain": domain, "anchor": "y" + axis, "showgrid": False, "zeroline": False,
                                  "range": [float(grid["xs"][0]), float(grid["xs"][-1])]}
        layout["yaxis" + axis] = {"domain": top, "anchor": "x" + axis, "showgrid": False, "zeroline": False,
                                  "showticklabels": i == 0}
        if not regression:
            layout["yaxis" + axis].update(scaleanchor="x" + axis, constrain="domain",
                                          range=[float(grid["ys"][0]), float(grid["ys"][-1])])
            layout["xaxis" + axis]["constrain"] = "domain"
            if len(runs) > 1:
                layout["annotations"].append(
                    {"text": f"<b>{runs[i].name}</b>", "xref": f"x{axis} domain", "yref": f"y{axis} domain",
                     "x": 0.02, "y": 0.98, "showarrow": False, "bgcolor": "rgba(255,255,255,0.8)",
                     "font": {"size": FONT_SIZE + 4, "color": RUN_STYLE[runs[i].name]["color"]}})
    curve_axis = str(panels + 1)
    if regression:
        data.append({"type": "scatter", "mode": "markers", "x": _list(points.x, 4), "y": _list(points.y, 4),
                     "hoverinfo": "skip", "marker": {"color": "#777777", "size": 6, "opacity": 0.7}})
        y = np.asarray(points.y, dtype=np.float64)
        pad = 0.05 * (float(y.max() - y.min()) + 1e-9)
        layout["yaxis"]["range"] = [float(y.min()) - pad, float(y.max()) + pad]
    for i, run in enumerate(runs):
        axis = "" if (regression or i == 0) else str(i + 1)
        trace, _ = _field(run.frames[frame_at(run, steps[active])][1], n_classes, axis)
        if regression:
            trace["line"] = {**RUN_STYLE[run.name], "width": 4}
        field_traces.append(len(data))
        data.append(trace)
        if not regression:
            data += _scatter_classes(points, axis, n_classes)
    # Loss curves (static) and the replayed step's line and dots (moved by the slider).
    finite = [v for r in runs for v in (*r.train_loss, *r.val_loss) if math.isfinite(v)]
    high = 1.05 * max(finite) if finite else 1.0
    for run in runs:
        color = RUN_STYLE[run.name]["color"]
        data.append({"type": "scatter", "mode": "lines", "x": _list(run.eval_steps, 6), "y": _list(run.train_loss, 6),
                     "xaxis": "x" + curve_axis, "yaxis": "y" + curve_axis, "line": {"color": color, "width": 3},
                     "name": f"{run.name} · {titles['train']}"})
        data.append({"type": "scatter", "mode": "lines", "x": _list(run.eval_steps, 6), "y": _list(run.val_loss, 6),
                     "xaxis": "x" + curve_axis, "yaxis": "y" + curve_axis,
                     "line": {"color": color, "width": 2.5, "dash": "dot"}, "name": f"{run.name} · {titles['val']}"})
    marker_traces = [len(data)]
    data.append({"type": "scatter", "mode": "lines", "x": [steps[active]] * 2, "y": [0, high], "hoverinfo": "skip",
                 "xaxis": "x" + curve_axis, "yaxis": "y" + curve_axis, "line": {"color": "#333333", "width": 2}})
    for run in runs:
        marker_traces.append(len(data))
        data.append({"type": "scatter", "mode": "markers", "x": [steps[active]], "hoverinfo": "skip",
                     "y": [_none(value_at(run.eval_steps, run.val_loss, steps[active]))],
                     "xaxis": "x" + curve_axis, "yaxis": "y" + curve_axis,
                     "marker": {"color": RUN_STYLE[run.name]["color"], "size": 12, "line": {"color": "white", "width": 2}}})
    layout["xaxis" + curve_axis] = {"domain": [0, 1], "anchor": "y" + curve_axis, "rangemode": "tozero",
                                    "title": {"text": titles["step"], "standoff": 4}}
    layout["yaxis" + curve_axis] = {"domain": bottom, "anchor": "x" + curve_axis, "range": [0, high], "nticks": 4,
                                    "title": {"text": titles["loss"]}}
    frames = []
    for step in steps:
        changes = [_field(run.frames[frame_at(run, step)][1], n_classes, "")[1] for run in runs]
        frames.append({"data": {
            "x": [c["x"] for c in changes] + [[step, step]] + [[step] for _ in runs],
            "y": [c["y"] for c in changes] + [[0, high]] + [[_none(value_at(r.eval_steps, r.val_loss, step))]
                                                            for r in runs],
            "z": [c["z"] for c in changes] + [None] * (1 + len(runs)),
        }})
    figure = {"data": data, "layout": layout}
    return add_scrubber(figure, frames, [str(s) for s in steps], active=active, prefix=prefix,
                        trace_indices=field_traces + marker_traces, plain=True)


def _none(value: float) -> float | None:
    return round(value, 6) if math.isfinite(value) else None

