r"""Binary losses on logits: ``pred`` is z (N,), ``target`` is y in [0, 1] (N,).

Everything is computed from the logit with stable primitives (``binary_cross_entropy_with_logits``,
``logsigmoid``), never from ``log(sigmoid(z))``, so logits of ±1e4 stay finite in float32.
The gradient that teaches the most sits next to BCE: on the logit it is simply σ(z) − y.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .base import Loss
from .params import ALPHA, GAMMA, LABEL_SMOOTHING, MARGIN


def bce(z: torch.Tensor, target: torch.Tensor, label_smoothing: float) -> torch.Tensor:
    r"""Binary cross-entropy on logits, with label smoothing :math:`\tilde y = y(1-\varepsilon) + \varepsilon/2`.

    .. math:: \ell = -\left[\tilde y \log \sigma(z) + (1 - \tilde y) \log(1 - \sigma(z))\right]

    PyTorch: ``F.binary_cross_entropy_with_logits(z, y * (1 - ε) + ε / 2, reduction='none')``
    (the ε/2 convention is Keras's ``BinaryCrossentropy(label_smoothing=ε)``).
    Use it for any yes/no output; smoothing stops the logits from growing without bound.
    """
    y = target.to(z.dtype)
    y_smooth = y * (1.0 - label_smoothing) + label_smoothing / 2.0
    return F.binary_cross_entropy_with_logits(z, y_smooth, reduction="none")


def bce_logit_grad(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r""":math:`\partial\,\mathrm{BCE} / \partial z = \sigma(z) - y`.

    Bounded by 1 and linear in the error: the sigmoid's flat tails cancel against the log,
    which is why we put BCE on logits rather than MSE on probabilities.
    """
    return torch.sigmoid(z) - y


def focal(z: torch.Tensor, target: torch.Tensor, gamma: float, alpha: float) -> torch.Tensor:
    r"""Sigmoid focal loss (Lin et al., 2017, https://arxiv.org/abs/1708.02002), exactly as
    ``torchvision.ops.sigmoid_focal_loss``:

    .. math:: p_t = p y + (1-p)(1-y),\ \alpha_t = \alpha y + (1-\alpha)(1-y),\
              \mathrm{FL} = \alpha_t (1 - p_t)^\gamma\, \mathrm{BCE}(z, y)

    with :math:`p = \sigma(z)`; for y ∈ {0, 1} this is :math:`-\alpha_t (1-p_t)^\gamma \log p_t`.
    ``alpha < 0`` turns the α weighting off (torchvision 0.29 itself accepts only ``-1`` for that).
    γ = 0 with α off is plain BCE. Use it when easy negatives swamp the loss (dense detection).

    :math:`(1 - p_t)^\gamma` is computed as :math:`\exp(\gamma \log(1 - p_t))` with
    :math:`1 - p_t = y\,\sigma(-z) + (1-y)\,\sigma(z)` in log space: the naive power has an
    infinite derivative at :math:`p_t = 1` for γ < 1, which saturated logits reach in float32.
    """
    y = target.to(z.dtype)
    ce = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    log_one_minus_p_t = torch.logaddexp(torch.log(y) + F.logsigmoid(-z), torch.log1p(-y) + F.logsigmoid(z))
    loss = ce * torch.exp(gamma * log_one_minus_p_t)  # ce * (1 - p_t) ** gamma
    if alpha >= 0:
        alpha_t = alpha * y + (1.0 - alpha) * (1.0 - y)
        loss = alpha_t * loss
    return loss


def _signed_label(target: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """Labels 0/1 → t = −1/+1 (soft labels land in between)."""
    return 2.0 * target.to(like.dtype) - 1.0


def hinge(z: torch.Tensor, target: torch.Tensor, margin: float) -> torch.Tensor:
    r"""Hinge loss :math:`\max(0,\ m - t z)` with :math:`t = 2y - 1 \in \{-1, +1\}`.

    Zero once the logit is on the right side by at least the margin; gradient −t before that.
    PyTorch has no per-sample built-in; write ``torch.clamp(m - (2 * y - 1) * z, min=0)``
    (Keras ``Hinge`` maps 0/1 labels the same way). Use it for max-margin (SVM-style) classifiers.
    """
    t = _signed_label(target, z)
    return torch.relu(margin - t * z)


def squared_hinge(z: torch.Tensor, target: torch.Tensor, margin: float) -> torch.Tensor:
    r"""Squared hinge :math:`\max(0,\ m - t z)^2`, :math:`t = 2y - 1`.

    Differentiable at the margin, and punishes large violations quadratically.
    PyTorch: ``torch.clamp(m - (2 * y - 1) * z, min=0) ** 2``. Use it as a smooth hinge
    (the default loss of a linear SVM in scikit-learn's ``LinearSVC``).
    """
    t = _signed_label(target, z)
    return torch.relu(margin - t * z) ** 2


BINARY_LOSSES: tuple[Loss, ...] = (
    Loss(
        key="bce",
        family="binary",
        fn=bce,
        formula=(
            r"\ell = -\left[\tilde y \log \sigma(z) + (1 - \tilde y) \log\big(1 - \sigma(z)\big)\right],"
            r"\quad \tilde y = y(1 - \varepsilon) + \tfrac{\varepsilon}{2}"
        ),
        torch_equivalent=(
            "F.binary_cross_entropy_with_logits(logits, target * (1 - {label_smoothing})"
            " + {label_smoothing} / 2, reduction='none')"
        ),
        params=(LABEL_SMOOTHING,),
        reference="torch.nn.functional.binary_cross_entropy_with_logits on the smoothed targets",
    ),
    Loss(
        key="focal",
        family="binary",
        fn=focal,
        formula=(
            r"\begin{gathered}\mathrm{FL} = \alpha_t (1 - p_t)^{\gamma}\, \mathrm{BCE}(z, y),\quad p = \sigma(z),"
            r"\quad p_t = p\,y + (1 - p)(1 - y) \\"
            r" \alpha_t = \alpha y + (1 - \alpha)(1 - y)\quad (\alpha\ \text{off}:\ \alpha_t = 1)\end{gathered}"
        ),
        torch_equivalent=(
            "torchvision.ops.sigmoid_focal_loss(logits, target, alpha={alpha}, gamma={gamma}, reduction='none')"
        ),
        params=(GAMMA, ALPHA),
        code_values=lambda v: {**v, "alpha": -1 if v["alpha"] < 0 else v["alpha"]},
        reference="torchvision.ops.sigmoid_focal_loss (0.29.1 source vendored in tests/reference)",
    ),
    Loss(
        key="hinge",
        family="binary",
        fn=hinge,
        formula=r"\ell = \max(0,\ m - t\,z),\quad t = 2y - 1 \in \{-1, +1\}",
        torch_equivalent="torch.clamp({margin} - (2 * target - 1) * logits, min=0)",
        params=(MARGIN,),
        hard_labels=True,
        reference="hand-computed values and a naive Python max(0, m - t*z) in float64",
    ),
    Loss(
        key="squared_hinge",
        family="binary",
        fn=squared_hinge,
        formula=r"\ell = \max(0,\ m - t\,z)^2,\quad t = 2y - 1 \in \{-1, +1\}",
        torch_equivalent="torch.clamp({margin} - (2 * target - 1) * logits, min=0) ** 2",
        params=(MARGIN,),
        hard_labels=True,
        reference="hand-computed values and a naive Python max(0, m - t*z)**2 in float64",
    ),
)
