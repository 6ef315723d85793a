r"""The classification lab's maths: one sample with K logits, through softmax, to four losses.

Every number the /classification page shows comes from here, in float64 and from the loss
library (``lossviz.get_loss``), so it matches ``F.cross_entropy`` and friends:

- temperature T divides the logits before anything else, :math:`s = z / T`; every loss on the
  page (CE, smoothed CE, focal, weighted CE, multi-margin) sees the same s. Gradients are
  taken with respect to the raw logits z, so they carry the factor 1/T;
- the smoothed target is :math:`\tilde y = y(1-\varepsilon) + \varepsilon/K` (PyTorch's
  ``label_smoothing``), and it sums to 1;
- focal is the softmax form :math:`-\alpha\,(1-p_y)^\gamma \log p_y`: the true class plays the
  paper's "positive", so :math:`\alpha_t = \alpha`;
- weighted CE puts weight w on the true class (all other classes 1) with reduction 'none',
  i.e. :math:`w \cdot \mathrm{CE}`. With reduction 'mean' PyTorch divides by the weights of
  the batch, so for one sample the weight cancels: it only matters relative to other samples.

The curves that explain *why* (MSE vs CE, focal, label smoothing, logit vs probability
gradient) are in ``lossviz.classification_curves``.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F

from .losses import get_loss

LOSS_KEYS = ("ce", "smoothed_ce", "focal", "weighted_ce")  # the four metrics, in display order


def scaled_logits(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    r""":math:`s = z / T`. T > 1 flattens the softmax, T < 1 sharpens it (distillation, calibration)."""
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0. Received: temperature={temperature!r}")
    return logits / temperature


def softmax_with_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    r""":math:`p_k = \frac{e^{z_k/T}}{\sum_j e^{z_j/T}}`; PyTorch: ``torch.softmax(z / T, dim=-1)``."""
    return torch.softmax(scaled_logits(logits, temperature), dim=-1)


def smoothed_target(k: int, y: int, label_smoothing: float, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    r""":math:`\tilde y = \mathrm{onehot}(y)(1-\varepsilon) + \varepsilon/K`, the target
    ``F.cross_entropy(..., label_smoothing=ε)`` uses; ε = 0 gives the one-hot target."""
    if not 0 <= y < k:
        raise ValueError(f"y must be a class index in [0, {k - 1}]. Received: y={y!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1]. Received: label_smoothing={label_smoothing!r}")
    onehot = F.one_hot(torch.tensor(y), k).to(dtype)
    return onehot * (1.0 - label_smoothing) + label_smoothing / k


def entropy(target: torch.Tensor) -> torch.Tensor:
    r""":math:`H(\tilde y) = -\sum_k \tilde y_k \log \tilde y_k` with :math:`0 \log 0 = 0` (``torch.xlogy``)."""
    return -torch.xlogy(target, target).sum(dim=-1)


def _losses(z: torch.Tensor, y: int, temperature: float, label_smoothing: float, gamma: float,
            alpha: float, weight: float) -> dict[str, torch.Tensor]:
    """The four per-sample losses of logits z (K,), as 0-d tensors differentiable in z."""
    k = z.shape[-1]
    s = scaled_logits(z, temperature)[None]  # (1, K)
    target = torch.tensor([y])
    ce, focal = get_loss("cross_entropy"), get_loss("focal_multiclass")
    class_weight = torch.ones(k, dtype=z.dtype)
    class_weight[y] = weight
    return {
        "ce": ce(s, target, label_smoothing=0.0)[0],
        "smoothed_ce": ce(s, target, label_smoothing=label_smoothing)[0],
        "focal": focal(s, target, gamma=gamma, alpha=torch.full((k,), float(alpha), dtype=z.dtype))[0],
        "weighted_ce": ce(s, target, label_smoothing=0.0, weight=class_weight)[0],
    }


def classification_readout(
    logits: Sequence[float], y: int, temperature: float = 1.0, label_smoothing: float = 0.0,
    gamma: float = 2.0, alpha: float = 0.25, weight: float = 1.0,
) -> dict[str, object]:
    r"""Everything the lab's first tab shows for one sample, as plain floats and numpy arrays.

    Keys: "probs" :math:`\operatorname{softmax}(z/T)`, "onehot", "target" (smoothed),
    "losses" {ce, smoothed_ce, focal, weighted_ce}, "grads" {same keys: ∂loss/∂z, (K,)},
    "p_true", and the decomposition of the smoothed CE: "cross_entropy" = "entropy" + "kl".
    """
    z = torch.tensor([float(v) for v in logits], dtype=torch.float64, requires_grad=True)
    k = z.shape[0]
    smoothed_target(k, y, label_smoothing)  # checks y and ε before anything indexes with them
    losses = _losses(z, y, temperature, label_smoothing, gamma, alpha, weight)
    grads = {}
    for name in LOSS_KEYS:
        (grad,) = torch.autograd.grad(losses[name], z, retain_graph=True)
        grads[name] = grad.numpy().copy()
    with torch.no_grad():
        s = scaled_logits(z, temperature)
        probs = torch.softmax(s, dim=-1)
        target = smoothed_target(k, y, label_smoothing)
        h = entropy(target)
        kl = get_loss("kl_div")(s[None], target[None])[0]
    return {
        "probs": probs.numpy().copy(),
        "onehot": smoothed_target(k, y, 0.0).numpy(),
        "target": target.numpy(),
        "losses": {name: value.item() for name, value in losses.items()},
        "grads": grads,
        "p_true": float(probs[y]),
        "cross_entropy": losses["smoothed_ce"].item(),
        "entropy": float(h),
        "kl": float(kl),
    }


def cross_entropy_grad_closed_form(logits: Sequence[float], target: Sequence[float], temperature: float) -> np.ndarray:
    r""":math:`\partial\,\mathrm{CE}(\tilde y, \operatorname{softmax}(z/T)) / \partial z = (p - \tilde y)/T`.

    The lesson of softmax + cross-entropy: the push on each logit is the probability it has
    too much (or too little). Shown beside the autograd bars; the tests check they agree.
    """
    z = torch.tensor([float(v) for v in logits], dtype=torch.float64)
    p = softmax_with_temperature(z, temperature)
    return ((p - torch.tensor(target, dtype=torch.float64)) / temperature).numpy()


def margin_readout(logits: Sequence[float], y: int, temperature: float = 1.0, margin: float = 1.0) -> dict[str, object]:
    r"""Multi-class hinge on the same scaled logits s = z/T, for contrast with cross-entropy.

    "violations": :math:`\max(0, m - s_y + s_k)` per class (0 for k = y), "loss": their sum / K
    (``F.multi_margin_loss(s, y, p=1, margin=m)``), "grad": ∂loss/∂z. Once every wrong class
    trails the true one by the margin, loss and gradient are exactly 0, unlike CE, which keeps
    pushing the logits apart forever.
    """
    z = torch.tensor([float(v) for v in logits], dtype=torch.float64, requires_grad=True)
    s = scaled_logits(z, temperature)
    loss = get_loss("multi_margin")(s[None], torch.tensor([y]), margin=margin)[0]
    (grad,) = torch.autograd.grad(loss, z)
    with torch.no_grad():
        violations = torch.relu(margin - s[y] + s)
        violations[y] = 0.0
    return {"loss": loss.item(), "grad": grad.numpy().copy(), "violations": violations.numpy().copy()}


def optimal_logit_gap(k: int, label_smoothing: float) -> float:
    r"""The logit gap :math:`z_y - z_k` (every wrong k) that minimises label-smoothed CE:

    .. math:: \log\frac{1 - \varepsilon + \varepsilon/K}{\varepsilon/K} = \log\!\Big(\frac{K(1-\varepsilon)}{\varepsilon} + 1\Big)

    Cross-entropy is minimised when softmax(z) equals the target; softmax ratios are
    exponentials of logit gaps, so the gap is the log of the target's ratio. Finite for any
    ε > 0 (infinite at ε = 0: plain CE keeps growing the logits).
    """
    if label_smoothing <= 0:
        return math.inf
    return math.log(k * (1.0 - label_smoothing) / label_smoothing + 1.0)


def optimal_confidence(k: int, label_smoothing: float) -> float:
    r"""The largest probability a label-smoothed model should give: :math:`1 - \varepsilon + \varepsilon/K`."""
    return 1.0 - label_smoothing + label_smoothing / k


def focal_weight_ratio(gamma: float, easy: float = 0.9, hard: float = 0.1) -> dict[str, float]:
    r"""How many times less an easy example weighs than a hard one under focal loss.

    "factor": :math:`\big((1-p_{hard})/(1-p_{easy})\big)^\gamma` (:math:`9^\gamma` for 0.1 vs 0.9),
    the ratio of the modulating factors; "loss": the ratio of the focal losses themselves,
    :math:`9^\gamma \cdot \log p_{hard} / \log p_{easy}` (CE alone already gives ≈ 21.9).
    """
    factor = ((1.0 - hard) / (1.0 - easy)) ** gamma
    return {"factor": factor, "loss": factor * math.log(hard) / math.log(easy)}
