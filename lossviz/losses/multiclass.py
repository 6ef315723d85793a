r"""Multiclass losses on logits: ``pred`` is z (N, K); ``target`` is class indices (N,) or,
for losses with ``accepts_soft_targets``, probabilities (N, K).

Probabilities only ever appear through ``log_softmax`` (log-sum-exp inside), so logits of ±1e4
stay finite in float32. Class-index targets are treated as one-hot rows where a loss is
written over distributions. The gradient to remember sits next to cross-entropy: softmax − y.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .base import Loss
from .params import GAMMA, LABEL_SMOOTHING, MARGIN


def _as_probs(target: torch.Tensor, logits: torch.Tensor) -> torch.Tensor:
    """(N,) class indices → one-hot (N, K); (N, K) probabilities pass through. Logits' dtype."""
    if target.dim() == 1:
        return F.one_hot(target, logits.shape[-1]).to(logits.dtype)
    return target.to(logits.dtype)


def _class_weights(name: str, value: object, logits: torch.Tensor) -> torch.Tensor | None:
    """Check an optional per-class weight tensor: shape (K,), float, finite, non-negative."""
    if value is None:
        return None
    k = logits.shape[-1]
    if not isinstance(value, torch.Tensor) or value.shape != (k,) or not value.is_floating_point():
        shape = tuple(value.shape) if isinstance(value, torch.Tensor) else type(value).__name__
        raise ValueError(f"{name} must be a float tensor of shape ({k},), one weight per class. Received {shape}")
    if not bool(torch.isfinite(value).all()) or bool((value < 0).any()):
        raise ValueError(f"{name} must hold finite, non-negative weights. Received {value.tolist()}")
    return value.to(logits.dtype)


def cross_entropy(
    logits: torch.Tensor, target: torch.Tensor, label_smoothing: float, weight: torch.Tensor | None = None
) -> torch.Tensor:
    r"""Softmax cross-entropy with label smoothing :math:`\tilde y = y(1-\varepsilon) + \varepsilon/K`
    and optional class weights :math:`w`:

    .. math:: \ell = -\sum_k w_k\, \tilde y_k \log \operatorname{softmax}(z)_k

    Same convention as ``F.cross_entropy(z, y, weight=w, label_smoothing=ε, reduction='none')``
    for class indices and for probability rows (no division by the weights with 'none').
    Use it for any single-label classifier; the default choice.
    """
    w = _class_weights("weight", weight, logits)
    k = logits.shape[-1]
    log_p = F.log_softmax(logits, dim=-1)
    y_smooth = _as_probs(target, logits) * (1.0 - label_smoothing) + label_smoothing / k
    if w is not None:
        y_smooth = w * y_smooth  # w_k * y~_k
    return -(y_smooth * log_p).sum(dim=-1)


def cross_entropy_logit_grad(logits: torch.Tensor, target_probs: torch.Tensor) -> torch.Tensor:
    r""":math:`\partial\,\mathrm{CE} / \partial z = \operatorname{softmax}(z) - y` (rows of y sum to 1).

    Each logit is pushed by exactly how much probability it has too much or too little —
    no vanishing gradient however wrong the prediction, unlike MSE on probabilities.
    """
    return torch.softmax(logits, dim=-1) - target_probs


def focal_multiclass(
    logits: torch.Tensor, target: torch.Tensor, gamma: float, alpha: torch.Tensor | None = None
) -> torch.Tensor:
    r"""Softmax focal loss :math:`\mathrm{FL} = -\alpha_y (1 - p_y)^\gamma \log p_y`, p = softmax(z).

    ``alpha`` is an optional per-class weight tensor (K,); without it α_y = 1, and γ = 0 gives
    plain cross-entropy. PyTorch has no built-in; with ``ce = F.cross_entropy(z, y, reduction='none')``
    write ``(1 - torch.exp(-ce)) ** γ * F.cross_entropy(z, y, weight=alpha, reduction='none')``.
    Use it when many easy examples drown out the few hard ones.

    :math:`1 - p_y` is the probability of all other classes, so its log is a log-sum-exp over
    them: finite with a finite gradient even when :math:`p_y` rounds to 1.
    """
    alpha = _class_weights("alpha", alpha, logits)
    log_p = F.log_softmax(logits, dim=-1)
    log_p_y = log_p.gather(1, target[:, None]).squeeze(1)  # (N,)
    is_y = F.one_hot(target, logits.shape[-1]).bool()
    log_one_minus_p_y = torch.logsumexp(log_p.masked_fill(is_y, float("-inf")), dim=-1)
    loss = -torch.exp(gamma * log_one_minus_p_y) * log_p_y  # -(1 - p_y) ** gamma * log p_y
    if alpha is not None:
        alpha_y = alpha[target]
        loss = alpha_y * loss
    return loss


def multi_margin(logits: torch.Tensor, target: torch.Tensor, margin: float) -> torch.Tensor:
    r"""Multiclass hinge (Weston–Watkins: a sum over every wrong class), as ``F.multi_margin_loss`` with p = 1:

    .. math:: \ell = \frac1K \sum_{k \ne y} \max(0,\ m - z_y + z_k)

    PyTorch: ``F.multi_margin_loss(z, y, p=1, margin=m, reduction='none')``.
    Use it for max-margin multiclass classifiers; zero once the true logit leads every other by m.
    """
    k = logits.shape[-1]
    z_y = logits.gather(1, target[:, None])  # (N, 1)
    violations = torch.relu(margin - z_y + logits)  # (N, K); the k = y entry is the margin itself
    is_y = F.one_hot(target, k).bool()
    return violations.masked_fill(is_y, 0.0).sum(dim=-1) / k


def kl_div(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""KL divergence :math:`\mathrm{KL}(y \,\|\, p) = \sum_k y_k \log \frac{y_k}{p_k}`, p = softmax(z).

    Uses :math:`0 \log 0 = 0` (``torch.xlogy``), so targets with zeros stay finite; class indices
    count as one-hot rows; rounding-level negatives are clamped to 0. Equals cross-entropy minus
    the target's entropy H(y), so it has the same gradient as CE but is zero at a perfect fit. PyTorch:
    ``F.kl_div(F.log_softmax(z, -1), y, reduction='none').sum(-1)``.
    Use it for distillation or matching a soft target distribution.
    """
    y = _as_probs(target, logits)
    log_p = F.log_softmax(logits, dim=-1)
    kl = (torch.xlogy(y, y) - y * log_p).sum(dim=-1)
    # KL >= 0 (Gibbs), but log_softmax rounds log-sum-exp, which can leave about -1e-16·|z|
    # when p is within rounding of y; clamp so a learner never sees a negative divergence.
    return kl.clamp_min(0.0)


MULTICLASS_LOSSES: tuple[Loss, ...] = (
    Loss(
        key="cross_entropy",
        family="multiclass",
        fn=cross_entropy,
        formula=(
            r"\ell = -\sum_{k=1}^{K} w_k\, \tilde y_k \log \operatorname{softmax}(z)_k,"
            r"\quad \tilde y_k = y_k (1 - \varepsilon) + \tfrac{\varepsilon}{K}"
        ),
        torch_equivalent=(
            "F.cross_entropy(logits, target, label_smoothing={label_smoothing}, reduction='none')"
        ),
        params=(LABEL_SMOOTHING,),
        options=("weight",),
        reference=(
            "torch.nn.functional.cross_entropy(reduction='none') with label_smoothing, weight,"
            " and class-index or probability targets"
        ),
        accepts_soft_targets=True,
    ),
    Loss(
        key="focal_multiclass",
        family="multiclass",
        fn=focal_multiclass,
        formula=r"\mathrm{FL} = -\alpha_y\, (1 - p_y)^{\gamma} \log p_y,\quad p = \operatorname{softmax}(z)",
        torch_equivalent=(
            "(1 - torch.exp(-F.cross_entropy(logits, target, reduction='none'))) ** {gamma}"
            " * F.cross_entropy(logits, target, reduction='none')"
        ),
        params=(GAMMA,),
        options=("alpha",),
        reference="cross_entropy when γ = 0 and α is None, and hand-computed values",
    ),
    Loss(
        key="multi_margin",
        family="multiclass",
        fn=multi_margin,
        formula=r"\ell = \frac{1}{K} \sum_{k \ne y} \max(0,\ m - z_y + z_k)",
        torch_equivalent="F.multi_margin_loss(logits, target, p=1, margin={margin}, reduction='none')",
        params=(MARGIN,),
        reference="torch.nn.functional.multi_margin_loss(p=1, reduction='none')",
    ),
    Loss(
        key="kl_div",
        family="multiclass",
        fn=kl_div,
        formula=(
            r"\mathrm{KL}(y \,\|\, p) = \sum_k y_k \log \frac{y_k}{p_k},"
            r"\quad p = \operatorname{softmax}(z),\ 0 \log 0 = 0"
        ),
        torch_equivalent="F.kl_div(F.log_softmax(logits, -1), target, reduction='none').sum(-1)",
        reference="torch.nn.functional.kl_div(log_softmax(z), y, reduction='none').sum(-1)",
        accepts_soft_targets=True,
    ),
)
