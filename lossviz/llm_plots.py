"""Chart builders for /llm: arrays in, plotly figure dicts out (no Streamlit, no torch).

Same conventions as ``lossviz.plots``: figures as plotly JSON dicts, our small TEMPLATE,
Okabe–Ito colours with a dash pattern per series, fonts sized for a projector, SVG traces only.
Non-finite values become gaps (heat-map cells that do not count are left blank).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .plots import DASHES, FONT_SIZE, OKABE_ITO, POINT_COLOR, TEMPLATE, _array

# Light-to-dark blue for losses and probabilities; readable text on every cell.
SEQUENTIAL = [[0.0, "#F7FBFF"], [0.5, "#6BAED6"], [1.0, "#08306B"]]
DIVERGING = [[0.0, "#B2182B"], [0.5, "#F7F7F7"], [1.0, "#2166AC"]]


@dataclass(frozen=True)
class Series:
    name: str
    x: Sequence[float]
    y: Sequence[float]


def _layout(height: int, x_title: str, y_title: str, **extra) -> dict:
    layout = {"height": height, "template": TEMPLATE, "font": {"size": FONT_SIZE},
              "margin": {"l": 70, "r": 20, "t": 40, "b": 55},
              "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "font": {"size": FONT_SIZE}},
              "xaxis": {"title": {"text": x_title}}, "yaxis": {"title": {"text": y_title}}, "uirevision": "keep"}
    layout.update(extra)
    return layout


def lines(series: Sequence[Series], x_title: str, y_title: str, *, height: int = 360,
          vline: float | None = None, band: tuple[float, float] | None = None,
          points: Sequence[tuple[float, float]] = ()) -> dict:
    """Curves with an optional vertical marker line, a shaded x band and marked points."""
    data = [{"type": "scatter", "mode": "lines", "x": _array(s.x), "y": _array(s.y), "name": s.name,
             "line": {"color": OKABE_ITO[i % len(OKABE_ITO)], "width": 3.5 if i == 0 else 3,
                      "dash": DASHES[i % len(DASHES)]}} for i, s in enumerate(series)]
    shapes = []
    if band is not None:
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": band[0], "x1": band[1], "y0": 0, "y1": 1,
                       "fillcolor": "#999999", "opacity": 0.15, "line": {"width": 0}, "layer": "below"})
    if vline is not None and np.isfinite(vline):
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": vline, "x1": vline, "y0": 0, "y1": 1,
                       "line": {"color": "#444444", "width": 2, "dash": "dot"}})
    for x, y in points:
        if np.isfinite(x) and np.isfinite(y):
            shapes.append({"type": "circle", "xref": "x", "yref": "y", "xsizemode": "pixel", "ysizemode": "pixel",
                           "xanchor": float(x), "yanchor": float(y), "x0": -7, "x1": 7, "y0": -7, "y1": 7,
                           "fillcolor": POINT_COLOR, "line": {"color": "white", "width": 2}})
    return {"data": data, "layout": _layout(height, x_title, y_title, shapes=shapes, hovermode="x unified")}


def heatmap(z: np.ndarray, x_labels: Sequence[str], y_labels: Sequence[str], colorbar_title: str, *,
            cell_text: Sequence[Sequence[str]] | None = None, zmin: float = 0.0, zmax: float | None = None,
            height: int = 300, diverging: bool = False, text_size: int = FONT_SIZE, colorbar: bool = True) -> dict:
    """A heat map (first row on top) with optional text in every cell; NaN cells stay blank."""
    z = _array(z)
    finite = z[np.isfinite(z)]
    top = zmax if zmax is not None else (float(finite.max()) if finite.size else 1.0)
    trace = {"type": "heatmap", "z": z, "x": list(x_labels), "y": list(y_labels), "zmin": zmin,
             "zmax": max(top, zmin + 1e-9), "colorscale": DIVERGING if diverging else SEQUENTIAL,
             "colorbar": {"title": {"text": colorbar_title}, "tickfont": {"size": FONT_SIZE - 2}},
             "xgap": 2, "ygap": 2, "hoverongaps": False, "showscale": colorbar}
    if cell_text is not None:
        trace.update({"text": [list(row) for row in cell_text], "texttemplate": "%{text}",
                      "textfont": {"size": text_size}})
    layout = _layout(height, "", "", margin={"l": 20, "r": 20, "t": 20, "b": 40})
    # category axes: labels such as "1" or "10" must not become a numeric axis
    layout["yaxis"] = {"autorange": "reversed", "automargin": True, "tickfont": {"size": FONT_SIZE}, "type": "category"}
    layout["xaxis"] = {"automargin": True, "tickfont": {"size": FONT_SIZE}, "side": "top", "type": "category"}
    return {"data": [trace], "layout": layout}


def bars(categories: Sequence[str], groups: Sequence[Series], y_title: str, *, height: int = 320,
         hline: float | None = None) -> dict:
    """Grouped bars: one colour per group (each Series' y over the categories)."""
    data = [{"type": "bar", "x": list(categories), "y": _array(g.y), "name": g.name,
             "marker": {"color": OKABE_ITO[i % len(OKABE_ITO)]}} for i, g in enumerate(groups)]
    shapes = []
    if hline is not None:
        shapes.append({"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": hline, "y1": hline,
                       "line": {"color": "#444444", "width": 2, "dash": "dot"}})
    return {"data": data, "layout": _layout(height, "", y_title, barmode="group", shapes=shapes)}


def embedding_points(points: np.ndarray, image_name: str, text_name: str, *, height: int = 380) -> dict:
    """2-D (image, text) pairs on the unit circle: pair i joined by a thin line, labelled i."""
    angles = np.linspace(0.0, 2 * np.pi, 181)
    data = [{"type": "scatter", "mode": "lines", "x": _array(np.cos(angles)), "y": _array(np.sin(angles)),
             "line": {"color": "#CCCCCC", "width": 1.5}, "hoverinfo": "skip", "showlegend": False}]
    for i in range(points.shape[0]):
        data.append({"type": "scatter", "mode": "lines", "x": [float(points[i, 0, 0]), float(points[i, 1, 0])],
                     "y": [float(points[i, 0, 1]), float(points[i, 1, 1])], "hoverinfo": "skip", "showlegend": False,
                     "line": {"color": OKABE_ITO[i % len(OKABE_ITO)], "width": 2}})
    labels = [str(i + 1) for i in range(points.shape[0])]
    for kind, name, symbol in ((0, image_name, "circle"), (1, text_name, "diamond")):
        data.append({"type": "scatter", "mode": "markers+text" if kind == 0 else "markers", "name": name,
                     "x": _array(points[:, kind, 0]), "y": _array(points[:, kind, 1]), "text": labels,
                     "textposition": "top center", "hovertemplate": name + " %{text}<extra></extra>",
                     "textfont": {"size": FONT_SIZE},
                     "marker": {"symbol": symbol, "size": 16, "color": list(OKABE_ITO[: points.shape[0]]),
                                "line": {"color": "#222222", "width": 1.5}}})
    # constrain="domain": keep the range and shrink the drawing area, so the circle stays round and big
    axis = {"range": [-1.3, 1.3], "zeroline": False, "showticklabels": False, "ticks": "", "constrain": "domain"}
    layout = _layout(height, "", "", margin={"l": 10, "r": 10, "t": 40, "b": 10})
    layout["xaxis"] = dict(axis)
    layout["yaxis"] = {**axis, "scaleanchor": "x"}
    return {"data": data, "layout": layout}
