"""Chart builders for /surfaces: arrays in, plotly JSON dicts out. No Streamlit, no torch.

* ``contour_figure``: filled contours (plotly "contour" trace) of the loss, the gradient field as
  arrows (−∇L, the way down), the minimum, the current point and up to four optimizer paths.
* ``surface3d_figure``: the same loss as a 3-D "surface" with the paths lifted onto it.

Colour is :math:`\\log_{10}(1 + L - L_{min})` over the window (``color_values``), so Rosenbrock's
valley floor (L < 1) and its walls (L > 1000) are readable on one chart; the colour bar is
labelled in loss values. Each path's current position is one marker per path in a single trace
(``HEADS``), so the client-side step scrubber (``lossviz.scrub``) restyles one tiny trace per step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .plots import FONT_SIZE, OKABE_ITO, POINT_COLOR, TEMPLATE, _array

PATH_DASHES = ("solid", "dash", "dot", "dashdot")
ARROWS_PER_SIDE = 15
PATH_LIFT = 0.06  # 3-D: paths drawn this far (in log₁₀ units) above the surface, so it does not hide them
COLORSCALE = "Viridis"


@dataclass(frozen=True)
class PathTrace:
    """One optimizer path as drawn: its points (cut at the last finite one) and losses."""

    name: str
    points: np.ndarray  # (n, 2)
    losses: np.ndarray  # (n,)


@dataclass(frozen=True)
class SurfaceTitles:
    x: str
    y: str
    color: str  # colour-bar title, e.g. "loss L"
    start: str  # hover name of the current point
    minimum: str


def color_values(loss: np.ndarray, floor: float) -> np.ndarray:
    """:math:`\\log_{10}(1 + L - floor)`: monotone in L, so contours stay level sets of L."""
    return np.log10(1.0 + np.maximum(np.asarray(loss, dtype=np.float64) - floor, 0.0))


def colorbar_ticks(loss: np.ndarray, floor: float) -> tuple[list[float], list[str]]:
    """Tick positions on the colour scale and their labels in loss units (1-2-5 steps)."""
    finite = np.asarray(loss)[np.isfinite(loss)]
    top = float(finite.max()) - floor if finite.size else 1.0
    labels = []
    for exponent in range(-3, 12):
        for mantissa in (1, 2, 5):
            gap = mantissa * 10.0**exponent
            if gap <= top:
                labels.append(gap)
    labels = [g for g in labels if g >= top / 5000] or [top]
    span = float(color_values(np.array(floor + top), floor)) or 1.0
    kept, positions, last = [], [], -1.0
    for gap in labels:  # at least 8 % of the bar apart, so labels never overlap
        position = float(color_values(np.array(floor + gap), floor))
        if position - last >= 0.08 * span:
            kept.append(gap)
            positions.append(position)
            last = position
    return positions, [f"{floor + g:.3g}" for g in kept]


def arrow_segments(x: np.ndarray, y: np.ndarray, grad_x: np.ndarray, grad_y: np.ndarray,
                   per_side: int = ARROWS_PER_SIDE) -> tuple[np.ndarray, np.ndarray]:
    """Line segments (NaN-separated) for arrows along −∇L on a per_side² subgrid.

    Arrows show direction only (length 0.8 of a cell, head 0.3); the colour shows the size.
    A zero gradient draws nothing.
    """
    rows = np.linspace(0, len(y) - 1, per_side).round().astype(int)
    cols = np.linspace(0, len(x) - 1, per_side).round().astype(int)
    cell_x = (x[-1] - x[0]) / per_side
    cell_y = (y[-1] - y[0]) / per_side
    xs, ys = [], []
    for r in rows:
        for c in cols:
            dx, dy = -grad_x[r, c], -grad_y[r, c]
            # direction in screen units (cells), so arrows look the same length on both axes
            u, v = dx / cell_x, dy / cell_y
            norm = math.hypot(u, v)
            if not math.isfinite(norm) or norm == 0.0:
                continue
            u, v = 0.8 * u / norm, 0.8 * v / norm
            x0, y0 = x[c] - 0.5 * u * cell_x, y[r] - 0.5 * v * cell_y
            x1, y1 = x0 + u * cell_x, y0 + v * cell_y
            xs += [x0, x1, None]
            ys += [y0, y1, None]
            for turn in (2.6, -2.6):  # two head strokes, ±150° from the shaft
                cos_t, sin_t = math.cos(turn), math.sin(turn)
                hu, hv = 0.35 * (u * cos_t - v * sin_t), 0.35 * (u * sin_t + v * cos_t)
                xs += [x1, x1 + hu * cell_x, None]
                ys += [y1, y1 + hv * cell_y, None]
    return np.array(xs, dtype=float), np.array(ys, dtype=float)


DRAW_LIMIT = 1e30  # float32 (the wire format) overflows near 3.4e38; a diverging path passes it


def _drawable(values) -> np.ndarray:
    """Values clipped to ±DRAW_LIMIT for drawing: far outside any window, but finite in float32."""
    return np.clip(np.asarray(values, dtype=np.float64), -DRAW_LIMIT, DRAW_LIMIT)


def head_positions(paths: Sequence[PathTrace], step: int) -> tuple[list[float], list[float], list[float]]:
    """Each path's point and loss at ``step`` (its last point if it ended earlier)."""
    xs, ys, ls = [], [], []
    for path in paths:
        i = min(step, len(path.points) - 1)
        x, y = _drawable(path.points[i])
        xs.append(float(x))
        ys.append(float(y))
        ls.append(float(path.losses[i]))  # the exact value, for the readout
    return xs, ys, ls


PLOT_RIGHT = 0.9  # the plot takes the left 90 %, the colour bar the rest
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.01, "yanchor": "bottom",
          "font": {"size": FONT_SIZE}, "bgcolor": "rgba(255,255,255,0)"}


def _layout(grid: dict, titles: SurfaceTitles, height: int) -> dict:
    """The whole window, filling the width: on a 1280x720 projector an equal-scale (square)
    plot would be a third of the width. Arrows follow −∇L in data units either way."""
    return {
        "height": height, "template": TEMPLATE, "font": {"size": FONT_SIZE},
        "margin": {"l": 60, "r": 10, "t": 10, "b": 55}, "uirevision": "keep", "legend": LEGEND,
        "xaxis": {"title": {"text": titles.x, "standoff": 4}, "range": [float(grid["x"][0]), float(grid["x"][-1])],
                  "domain": [0, PLOT_RIGHT]},
        "yaxis": {"title": {"text": titles.y, "standoff": 4}, "range": [float(grid["y"][0]), float(grid["y"][-1])]},
    }


def contour_figure(grid: dict, paths: Sequence[PathTrace], start: tuple[float, float],
                   minimum: tuple[float, float] | None, titles: SurfaceTitles, *, arrows: bool = True,
                   height: int = 440) -> dict:
    """Contours of L with arrows, the minimum (☆), the start (●) and the paths; the last trace
    holds the paths' current positions (restyled by the step scrubber)."""
    floor = float(np.nanmin(grid["loss"]))
    tickvals, ticktext = colorbar_ticks(grid["loss"], floor)
    data = [{"type": "contour", "x": _array(grid["x"]), "y": _array(grid["y"]),
             "z": _array(color_values(grid["loss"], floor)), "colorscale": COLORSCALE, "ncontours": 24,
             "contours": {"coloring": "fill", "showlines": True}, "line": {"width": 0.5, "color": "white"},
             "opacity": 0.85, "hoverinfo": "skip", "showscale": True,
             "colorbar": {"title": {"text": titles.color, "side": "right"}, "tickvals": tickvals,
                          "ticktext": ticktext, "thickness": 14, "tickfont": {"size": FONT_SIZE - 2},
                          "x": PLOT_RIGHT + 0.01, "xanchor": "left", "len": 1.0}}]
    if arrows:
        ax, ay = arrow_segments(grid["x"], grid["y"], grid["grad_x"], grid["grad_y"])
        data.append({"type": "scatter", "mode": "lines", "x": _array(ax), "y": _array(ay), "showlegend": False,
                     "hoverinfo": "skip", "line": {"color": "rgba(255,255,255,0.75)", "width": 1.5}})
    for i, path in enumerate(paths):
        data.append({"type": "scatter", "mode": "lines", "name": path.name, "x": _array(_drawable(path.points[:, 0])),
                     "y": _array(_drawable(path.points[:, 1])), "customdata": _array(_drawable(path.losses)),
                     "line": {"color": OKABE_ITO[i % len(OKABE_ITO)], "width": 3.5,
                              "dash": PATH_DASHES[i % len(PATH_DASHES)]},
                     "hovertemplate": "%{x:.3f}, %{y:.3f}<br>L = %{customdata:.4g}<extra>" + path.name + "</extra>"})
    if minimum is not None:
        data.append({"type": "scatter", "mode": "markers", "name": titles.minimum, "showlegend": False, "x": [minimum[0]],
                     "y": [minimum[1]], "marker": {"symbol": "star", "size": 18, "color": "white",
                                                   "line": {"color": "black", "width": 1.5}}})
    data.append({"type": "scatter", "mode": "markers", "name": titles.start, "x": [start[0]], "y": [start[1]],
                 "showlegend": False, "marker": {"size": 15, "color": POINT_COLOR, "line": {"color": "white", "width": 2}}})
    hx, hy, _ = head_positions(paths, 10**9)
    data.append({"type": "scatter", "mode": "markers", "x": hx, "y": hy, "showlegend": False, "hoverinfo": "skip",
                 "marker": {"size": 13, "symbol": "diamond", "color": list(OKABE_ITO[: len(paths)]),
                            "line": {"color": "black", "width": 1.5}}})
    return {"data": data, "layout": _layout(grid, titles, height)}


def surface3d_figure(grid: dict, paths: Sequence[PathTrace], start: tuple[float, float], start_loss: float,
                     titles: SurfaceTitles, *, height: int = 440) -> dict:
    """The loss as a 3-D surface (height = colour = log₁₀(1 + L − L_min)), paths lifted onto it."""
    floor = float(np.nanmin(grid["loss"]))
    tickvals, ticktext = colorbar_ticks(grid["loss"], floor)
    lift = lambda loss: _array(color_values(loss, floor) + PATH_LIFT)  # noqa: E731  (paths float just above)
    data = [{"type": "surface", "x": _array(grid["x"]), "y": _array(grid["y"]),
             "z": _array(color_values(grid["loss"], floor)),
             "colorscale": COLORSCALE, "opacity": 0.75, "hoverinfo": "skip",
             "colorbar": {"title": {"text": titles.color}, "tickvals": tickvals, "ticktext": ticktext,
                          "thickness": 14, "x": PLOT_RIGHT + 0.05, "xanchor": "left", "len": 0.9}}]
    for i, path in enumerate(paths):
        data.append({"type": "scatter3d", "mode": "lines", "name": path.name, "x": _array(_drawable(path.points[:, 0])),
                     "y": _array(_drawable(path.points[:, 1])), "z": lift(_drawable(path.losses)),
                     "line": {"color": OKABE_ITO[i % len(OKABE_ITO)], "width": 9}})
    data.append({"type": "scatter3d", "mode": "markers", "name": titles.start, "x": [start[0]], "y": [start[1]],
                 "showlegend": False,
                 "z": [float(color_values(np.array(start_loss), floor)) + PATH_LIFT],
                 "marker": {"size": 6, "color": POINT_COLOR}})
    hx, hy, hl = head_positions(paths, 10**9)
    data.append({"type": "scatter3d", "mode": "markers", "x": hx, "y": hy, "z": list(lift(_drawable(hl))),
                 "showlegend": False, "marker": {"size": 6, "symbol": "diamond",
                                                 "color": list(OKABE_ITO[: len(paths)])}})
    scene_axis = {"backgroundcolor": "white", "nticks": 5, "tickfont": {"size": FONT_SIZE - 4}}
    layout = {"height": height, "template": TEMPLATE, "font": {"size": FONT_SIZE}, "uirevision": "keep",
              "margin": {"l": 0, "r": 0, "t": 40, "b": 0},
              "legend": LEGEND,
              "scene": {"domain": {"x": [0, PLOT_RIGHT + 0.05], "y": [0, 1]},
                        "xaxis": {**scene_axis, "title": {"text": titles.x}},
                        "yaxis": {**scene_axis, "title": {"text": titles.y}},
                        "zaxis": {**scene_axis, "title": {"text": "log₁₀(1+L−L_min)", "font": {"size": FONT_SIZE - 4}}},
                        "camera": {"eye": {"x": 0.9, "y": -1.6, "z": 1.6}}}}
    return {"data": data, "layout": layout}


def step_annotation(text: str) -> dict:
    """The scrubber's readout, top left inside the plot on a white box (contours stay visible around it)."""
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0.005, "y": 0.995, "xanchor": "left",
            "yanchor": "top", "showarrow": False, "align": "left", "font": {"size": FONT_SIZE - 1},
            "bgcolor": "rgba(255,255,255,0.85)", "borderpad": 3}


def step_frames(paths: Sequence[PathTrace], steps: int, label: str, three_d: bool = False,
                floor: float = 0.0) -> tuple[list[dict], list[str]]:
    """One scrubber frame per step 0..steps: the heads' positions and an annotation with each
    path's exact loss at that step (paths that ended early stay at their last point)."""
    frames, labels = [], []
    for step in range(steps + 1):
        hx, hy, hl = head_positions(paths, step)
        data = {"x": [hx], "y": [hy]}
        if three_d:
            data["z"] = [list(color_values(_drawable(hl), floor) + PATH_LIFT)]
        text = f"<b>{label} {step}</b>  " + "  ".join(
            f"<span style='color:{OKABE_ITO[i % len(OKABE_ITO)]}'>◆</span> {loss:.4g}" for i, loss in enumerate(hl))
        frames.append({"data": data, "layout": {"annotations": [step_annotation(text)]}})
        labels.append(str(step))
    return frames, labels
