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
# Families beyond regression and classification (segmentation, embedding, sequence, counts).
SMOOTH = _param("smooth", 1.0, 0.0, 10.0, 0.1, "s")  # Dice/Tversky: added to numerator and denominator
# Tversky (Salehi et al. 2017): α weights false positives, β false negatives; the paper's best
# lesion results used α = 0.3, β = 0.7 (recall over precision). α = β = 0.5 is Dice.
TVERSKY_ALPHA = _param("tversky_alpha", 0.3, 0.0, 1.0, 0.05, "α")
TVERSKY_BETA = _param("tversky_beta", 0.7, 0.0, 1.0, 0.05, "β")
# Focal Tversky (Abraham & Khan 2019): (1 − TI)^(1/γ), γ in [1, 3] in the paper.
TVERSKY_GAMMA = _param("tversky_gamma", 1.33, 1.0, 3.0, 0.01, "γ")  # paper: best at 4/3
COSINE_MARGIN = _param("cosine_margin", 0.0, -1.0, 1.0, 0.05, "m")  # F.cosine_embedding_loss's margin
TEMPERATURE = _param("temperature", 0.1, 0.01, 2.0, 0.01, "τ")  # InfoNCE / CLIP (CLIP starts at 0.07)
