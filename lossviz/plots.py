"""Pure chart builders: arrays in, plotly Figure out. No Streamlit, no torch.

Charts are drawn for a projector: large fonts, thick lines, Okabe–Ito colours (safe for the
common forms of colour blindness) and a dash pattern per series, so lines stay apart in grey.
Only SVG traces (``go.Scatter``); WebGL traces are several times slower without a GPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
DASHES = ("solid", "dash", "dot", "dashdot")
FONT_SIZE = 16
POINT_COLOR = "#D55E00"


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
    tangent: str = "tangent"
    point: str = "current point"


def _compact(values: np.ndarray) -> list[float | None]:
    """Rounded to 5 significant digits (smaller figure JSON); non-finite values become gaps."""
    return [float(f"{v:.5g}") if np.isfinite(v) else None for v in np.asarray(values, dtype=np.float64)]


def _y_range(series: Sequence[np.ndarray], pad: float = 0.06) -> list[float] | None:
    """The full y range, unless a few extreme values (a gradient like −1/p near p = 0) would
    flatten everything else: then the 2nd–98th percentile range, and the spike runs off-chart."""
    finite = np.concatenate([np.asarray(s)[np.isfinite(s)] for s in series]) if series else np.array([])
    if finite.size == 0:
        return None
    low, high = float(finite.min()), float(finite.max())
    p_low, p_high = (float(v) for v in np.percentile(finite, [2, 98]))
    if high - low > 8 * (p_high - p_low) > 0:
        low, high = min(p_low, 0.0) if low >= 0 else p_low, p_high
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    span = high - low
    return [low - pad * span, high + pad * span]


def loss_and_gradient_figure(
    curves: Sequence[CurveSeries], point: CurrentPoint | None, titles: AxisTitles, height: int = 500
) -> go.Figure:
    """Two linked panels sharing x: the loss(es) on top, their gradient(s) below."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.58, 0.42])
    for i, curve in enumerate(curves):
        style = dict(color=OKABE_ITO[i % len(OKABE_ITO)], width=3.5 if i == 0 else 2.5, dash=DASHES[i % len(DASHES)])
        x = _compact(curve.x)
        fig.add_trace(
            go.Scatter(x=x, y=_compact(curve.loss), name=curve.name, legendgroup=curve.name, mode="lines", line=style),
            row=1, col=1,
        )
        fig.add_trace(
            go.Scatter(x=x, y=_compact(curve.grad), name=curve.name, legendgroup=curve.name, showlegend=False,
                       mode="lines", line=style),
            row=2, col=1,
        )
    if point is not None:
        if len(point.tangent_x):
            fig.add_trace(
                go.Scatter(x=list(point.tangent_x), y=list(point.tangent_y), name=titles.tangent, mode="lines",
                           line=dict(color="#444444", width=2.5, dash="dot"), showlegend=False),
                row=1, col=1,
            )
        marker = dict(color=POINT_COLOR, size=14, line=dict(color="white", width=2))
        fig.add_trace(go.Scatter(x=[point.x], y=[point.loss], name=titles.point, mode="markers", marker=marker,
                                 showlegend=False), row=1, col=1)
        fig.add_trace(go.Scatter(x=[point.x], y=[point.grad], name=titles.point, mode="markers", marker=marker,
                                 showlegend=False), row=2, col=1)
    fig.add_hline(y=0, line=dict(color="#999999", width=1), row=2, col=1)
    fig.update_yaxes(title_text=titles.loss, range=_y_range([c.loss for c in curves]), row=1, col=1)
    fig.update_yaxes(title_text=titles.grad, range=_y_range([c.grad for c in curves]), row=2, col=1)
    fig.update_xaxes(title_text=titles.x, row=2, col=1)
    fig.update_layout(
        height=height,
        margin=dict(l=70, r=20, t=40, b=50),
        font=dict(size=FONT_SIZE),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0, font=dict(size=FONT_SIZE)),
        hovermode="x unified",
        template="plotly_white",
    )
    return fig
