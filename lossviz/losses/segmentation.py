r"""Overlap losses for segmentation: ``pred`` logits (N, P), ``target`` in [0, 1] (N, P).

Each of the N samples is an image flattened to P pixels (one foreground class); ``p = σ(z)``
is the predicted foreground probability and ``y`` the (possibly soft) mask. Soft counts,
summed over the P pixels of each sample:

.. math:: \mathrm{TP} = \textstyle\sum y p,\quad \mathrm{FP} = \sum (1-y) p,\quad
          \mathrm{FN} = \sum y (1-p)

One loss per sample (N,). They score the overlap of the whole mask, so a small object is not
drowned by the background as it is under per-pixel cross-entropy. ``1 − p`` is computed as
σ(−z), so saturated logits stay exact. If a sum is 0 (smooth = 0, an empty mask predicted
empty in float32), the ratio is taken as 0/tiny instead of 0/0: the loss is finite (1).
"""

from __future__ import annotations

import torch

from .base import Loss
from .params import SMOOTH, TVERSKY_ALPHA, TVERSKY_BETA, TVERSKY_GAMMA


def _soft_counts(z: torch.Tensor, target: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(TP, FP, FN) per sample, each (N,)."""
    y = target.to(z.dtype)
    p, one_minus_p = torch.sigmoid(z), torch.sigmoid(-z)
    return (y * p).sum(1), ((1.0 - y) * p).sum(1), (y * one_minus_p).sum(1)


def _tiny(t: torch.Tensor) -> float:
    return torch.finfo(t.dtype).tiny


def dice(z: torch.Tensor, target: torch.Tensor, smooth: float) -> torch.Tensor:
    r"""Soft Dice loss (Milletari et al. 2016, V-Net, https://arxiv.org/abs/1606.04797, squares
    omitted as in most libraries):

    .. math:: \ell = 1 - \frac{2\sum y p + s}{\sum y + \sum p + s},\quad p = \sigma(z)

    PyTorch has no built-in; see ``torch_equivalent``. Use it for segmentation with a small
    foreground; s keeps empty masks defined and smooths the gradient.
    """
    y = target.to(z.dtype)
    p = torch.sigmoid(z)
    numerator = 2.0 * (y * p).sum(1) + smooth
    denominator = (y.sum(1) + p.sum(1) + smooth).clamp_min(_tiny(z))
    return 1.0 - numerator / denominator


def _one_minus_tversky(z, target, tversky_alpha, tversky_beta, smooth) -> torch.Tensor:
    r""":math:`1 - \mathrm{TI} = (\alpha\,\mathrm{FP} + \beta\,\mathrm{FN}) / (\mathrm{TP} + \alpha\,\mathrm{FP}
    + \beta\,\mathrm{FN} + s)`, computed directly (no cancellation in 1 − TI)."""
    tp, fp, fn = _soft_counts(z, target)
    misses = tversky_alpha * fp + tversky_beta * fn
    return misses / (tp + misses + smooth).clamp_min(_tiny(z))


def tversky(z, target, tversky_alpha: float, tversky_beta: float, smooth: float) -> torch.Tensor:
    r"""Tversky loss (Salehi et al. 2017, https://arxiv.org/abs/1706.05721):

    .. math:: \ell = 1 - \frac{\mathrm{TP} + s}{\mathrm{TP} + \alpha\,\mathrm{FP} + \beta\,\mathrm{FN} + s}

    α weights false positives, β false negatives (β > α favours recall). α = β = ½ with s = 0
    is Dice. PyTorch has no built-in. Use it when missing foreground costs more than a false alarm.
    """
    return _one_minus_tversky(z, target, tversky_alpha, tversky_beta, smooth)


def focal_tversky(z, target, tversky_alpha, tversky_beta, smooth, tversky_gamma) -> torch.Tensor:
    r"""Focal Tversky loss (Abraham & Khan 2019, https://arxiv.org/abs/1810.07842):

    .. math:: \ell = (1 - \mathrm{TI})^{1/\gamma}

    γ in [1, 3] as in the paper (best at 4/3): for γ > 1 samples that are already mostly right
    (1 − TI small) keep a larger loss and gradient. γ = 1 is Tversky. PyTorch has no built-in.
    The power is taken of max(1 − TI, tiny): its derivative is infinite at exactly 0.
    """
    base = _one_minus_tversky(z, target, tversky_alpha, tversky_beta, smooth)
    return base.clamp_min(_tiny(z)) ** (1.0 / tversky_gamma)


# The torch one-liners spell the soft counts out: p = torch.sigmoid(logits).
_TP = "(target * torch.sigmoid(logits)).sum(1)"
_TVERSKY_CODE = (
    f"1 - ({_TP} + {{smooth}}) / ({_TP} + {{tversky_alpha}} * ((1 - target) * torch.sigmoid(logits)).sum(1)"
    " + {tversky_beta} * (target * torch.sigmoid(-logits)).sum(1) + {smooth})"
)

SEGMENTATION_LOSSES: tuple[Loss, ...] = (
    Loss(
        key="dice",
        family="segmentation",
        fn=dice,
        formula=r"\ell = 1 - \frac{2\sum_i y_i p_i + s}{\sum_i y_i + \sum_i p_i + s},\quad p_i = \sigma(z_i)",
        torch_equivalent=(
            "1 - (2 * (target * torch.sigmoid(logits)).sum(1) + {smooth})"
            " / (target.sum(1) + torch.sigmoid(logits).sum(1) + {smooth})"
        ),
        params=(SMOOTH,),
        reference="the V-Net formula written out with sigmoid in float64; Tversky at α = β = ½, s = 0",
    ),
    Loss(
        key="tversky",
        family="segmentation",
        fn=tversky,
        formula=(
            r"\ell = 1 - \frac{\mathrm{TP} + s}{\mathrm{TP} + \alpha\,\mathrm{FP} + \beta\,\mathrm{FN} + s},"
            r"\quad \mathrm{TP} = \sum y p,\ \mathrm{FP} = \sum (1-y) p,\ \mathrm{FN} = \sum y (1-p)"
        ),
        torch_equivalent=_TVERSKY_CODE,
        params=(TVERSKY_ALPHA, TVERSKY_BETA, SMOOTH),
        reference="Salehi et al.'s formula written out in float64; equals Dice at α = β = ½, s = 0",
    ),
    Loss(
        key="focal_tversky",
        family="segmentation",
        fn=focal_tversky,
        formula=r"\ell = \left(1 - \frac{\mathrm{TP} + s}{\mathrm{TP} + \alpha\,\mathrm{FP} + \beta\,\mathrm{FN} + s}"
        r"\right)^{1/\gamma}",
        torch_equivalent=f"({_TVERSKY_CODE}) ** (1 / {{tversky_gamma}})",
        params=(TVERSKY_ALPHA, TVERSKY_BETA, SMOOTH, TVERSKY_GAMMA),
        reference="Abraham & Khan's formula written out in float64; equals Tversky at γ = 1",
    ),
)
