"""The loss landscape figure of /training: arrays of ``lossviz.train.landscape`` in, plotly JSON out.

Two panels side by side. Left: log₁₀ of the loss over the plane of two filter-normalised random
directions around the current weights (a star at the centre: the weights now). Right: the same over
the plane of the trajectory's top two principal directions, with the path the weights took (a circle
at the start, the star at (0, 0): the weights now), each axis titled with its share of the variance.
Colour is log₁₀(loss): the loss spans decades between the basin and the edges of the plane, and a
linear scale would paint the whole basin one colour. Either panel may be missing (``None``), e.g.
no trajectory yet at step 0. No Streamlit, no torch.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .plots import FONT_SIZE, OKABE_ITO, TEMPLATE, _array

LEVELS = 16  # contour levels per panel


def _log_loss(loss: np.ndarray) -> np.ndarray:
    loss = np.asarray(loss, dtype=np.float64)
    return np.log10(np.where(np.isfinite(loss) & (loss > 0), loss, np.nan).clip(1e-12))


def _contour(plane, axis: str, hover: str, colorbar_x: float | None, colorbar_title: str,
             bounds: tuple[float, float]) -> dict:
    z = _log_loss(plane.loss)
    trace = {"type": "contour", "x": _array(plane.alphas), "y": _array(plane.betas), "z": _array(z),
             "zmin": bounds[0], "zmax": bounds[1], "zauto": False,
             "xaxis": "x" + axis, "yaxis": "y" + axis, "colorscale": "Viridis", "ncontours": LEVELS,
             "contours": {"coloring": "heatmap"}, "line": {"width": 0.5, "color": "rgba(255,255,255,0.5)"},
             "hovertemplate": hover + "<extra></extra>", "showscale": colorbar_x is not None}
    if colorbar_x is not None:
        trace["colorbar"] = {"x": colorbar_x, "thickness": 12, "title": {"text": colorbar_title, "side": "right"}}
    return trace


def landscape_figure(random_plane, pca, titles: dict[str, str], height: int = 430) -> dict:
    """``random_plane``: a ``Plane`` or None; ``pca``: (``Plane``, ``Trajectory``) or None.
    ``titles``: "random", "pca", "alpha", "beta", "pc" (with {k} and {share}), "colorbar",
    "hover", "start", "now"."""
    panels = [p for p in ("random", "pca") if (random_plane if p == "random" else pca) is not None]
    layout = {"height": height, "template": TEMPLATE, "font": {"size": FONT_SIZE}, "showlegend": False,
              "margin": {"l": 60, "r": 20, "t": 40, "b": 55}, "annotations": []}
    data: list[dict] = []
    planes = [p for p in (random_plane, pca[0] if pca is not None else None) if p is not None]
    finite = np.concatenate([z[np.isfinite(z)] for z in (_log_loss(p.loss) for p in planes)] or [np.zeros(1)])
    bounds = (float(finite.min()), float(max(finite.max(), finite.min() + 1e-6)))  # one scale for both panels
    gap = 0.14
    width = (1 - gap * (len(panels) - 1)) / max(len(panels), 1)
    for i, panel in enumerate(panels):
        axis = "" if i == 0 else str(i + 1)
        domain = [round(i * (width + gap), 6), round(min(1.0, i * (width + gap) + width), 6)]
        last = i == len(panels) - 1
        bar_x = 1.0 if last else domain[1] + 0.01
        if panel == "random":
            plane, x_title, y_title = random_plane, titles["alpha"], titles["beta"]
        else:
            plane, trajectory = pca
            share = trajectory.explained
            x_title = titles["pc"].format(k=1, share=f"{100 * share[0]:.1f}")
            y_title = titles["pc"].format(k=2, share=f"{100 * share[1]:.1f}")
        data.append(_contour(plane, axis, titles["hover"], bar_x if last else None, titles["colorbar"], bounds))
        if panel == "pca":
            coords = np.asarray(trajectory.coords)
            data.append({"type": "scatter", "mode": "lines+markers", "x": _array(coords[:, 0]),
                         "y": _array(coords[:, 1]), "xaxis": "x" + axis, "yaxis": "y" + axis,
                         "line": {"color": "white", "width": 3}, "marker": {"size": 4, "color": "white"},
                         "customdata": np.asarray(trajectory.steps), "hovertemplate": "step %{customdata}<extra></extra>"})
            data.append({"type": "scatter", "mode": "markers+text", "x": [float(coords[0, 0])],
                         "y": [float(coords[0, 1])], "xaxis": "x" + axis, "yaxis": "y" + axis,
                         "text": [titles["start"]], "textposition": "top center", "hoverinfo": "skip",
                         "textfont": {"color": "white", "size": FONT_SIZE},
                         "marker": {"size": 13, "color": OKABE_ITO[1], "line": {"color": "white", "width": 2}}})
        data.append({"type": "scatter", "mode": "markers", "x": [0.0], "y": [0.0], "xaxis": "x" + axis,
                     "yaxis": "y" + axis, "hovertemplate": titles["now"] + "<extra></extra>",
                     "marker": {"symbol": "star", "size": 18, "color": OKABE_ITO[4], "line": {"color": "white", "width": 1.5}}})
        layout["xaxis" + axis] = {"domain": domain, "anchor": "y" + axis, "title": {"text": x_title, "standoff": 4},
                                  "showgrid": False, "zeroline": False,
                                  "range": [float(plane.alphas[0]), float(plane.alphas[-1])]}
        layout["yaxis" + axis] = {"anchor": "x" + axis, "title": {"text": y_title, "standoff": 2},
                                  "showgrid": False, "zeroline": False,
                                  "range": [float(plane.betas[0]), float(plane.betas[-1])]}
        layout["annotations"].append({"text": titles[panel], "xref": "paper", "yref": "paper", "x": sum(domain) / 2,
                                      "y": 1.0, "yanchor": "bottom", "xanchor": "center", "showarrow": False,
                                      "font": {"size": FONT_SIZE}})
    return {"data": data, "layout": layout}


def explained_text(explained: Sequence[float]) -> list[str]:
    """The two shares of variance as percentages with one decimal."""
    return [f"{100 * float(share):.1f} %" for share in explained]
