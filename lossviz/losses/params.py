"""The slider parameters, declared once and shared by every loss that takes them.

Sliders and URL keys are named after the parameter (``?margin=0.5``), so two losses with a
``margin`` must mean the same range; declaring each ``Param`` once makes that automatic.
"""

from __future__ import annotations

from .base import Param


def _param(name: str, default: float, low: float, high: float, step: float, symbol: str) -> Param:
    return Param(name, default, low, high, step, symbol, help_key=f"param.{name}")


DELTA = _param("delta", 1.0, 0.1, 5.0, 0.1, "δ")  # Huber: where the quadratic turns linear
BETA = _param("beta", 1.0, 0.1, 5.0, 0.1, "β")  # smooth L1: same knee, curvature 1/β
TAU = _param("tau", 0.5, 0.01, 0.99, 0.01, "τ")  # quantile level; 0.5 is the median (½·MAE)
LABEL_SMOOTHING = _param("label_smoothing", 0.0, 0.0, 0.5, 0.01, "ε")
GAMMA = _param("gamma", 2.0, 0.0, 5.0, 0.1, "γ")  # focal: 2 is the paper's default
ALPHA = _param("alpha", 0.25, -1.0, 1.0, 0.05, "α")  # binary focal: < 0 turns α off
MARGIN = _param("margin", 1.0, 0.0, 3.0, 0.1, "m")
