r"""Numerical stability of softmax, log-softmax and binary cross-entropy, per floating dtype.

Softmax and log-softmax are computed three ways in float16, bfloat16, float32 and float64:

- naive: :math:`e^{z_k} / \sum_j e^{z_j}` — :math:`e^{z}` overflows to inf (z > 11.09 in
  float16, > 88.7 in float32 and bfloat16, > 709.8 in float64), and inf / inf is NaN;
- max-subtraction: :math:`e^{z_k - m} / \sum_j e^{z_j - m}`, m = max z — every exponent is
  ≤ 0, so nothing overflows; but a tiny probability can still underflow to 0 and its log is −inf;
- log-sum-exp: :math:`\log p_k = z_k - m - \log \sum_j e^{z_j - m}` (``F.log_softmax``,
  ``torch.logsumexp``) — the log is never taken of a rounded probability, so log p stays finite.

The truth is the log-sum-exp form in float64. ``classify`` names what went wrong in a value.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F

DTYPES: dict[str, torch.dtype] = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
}
METHODS = ("naive", "max_subtraction", "log_sum_exp")
OUTPUTS = ("softmax", "log_softmax")
CLIP_EPS = 1e-7  # Keras's default epsilon for clipping probabilities


def softmax_naive(z: torch.Tensor) -> torch.Tensor:
    r""":math:`e^{z_k} / \sum_j e^{z_j}` exactly as written; overflows for large logits."""
    e = torch.exp(z)
    return e / e.sum()


def softmax_max_subtraction(z: torch.Tensor) -> torch.Tensor:
    r""":math:`e^{z_k - m} / \sum_j e^{z_j - m}` with :math:`m = \max_j z_j` (what ``torch.softmax`` does)."""
    e = torch.exp(z - z.max())
    return e / e.sum()


def log_softmax_log_sum_exp(z: torch.Tensor) -> torch.Tensor:
    r""":math:`z_k - m - \log \sum_j e^{z_j - m}`, m = max z: ``F.log_softmax(z, dim=-1)`` itself.

    PyTorch's kernel accumulates float16/bfloat16 in float32 and rounds once at the end;
    writing ``z - torch.logsumexp(z)`` in float16 rounds the log-sum-exp first (about 0.06
    off at |z| ≈ 16). Both are stable; we show what PyTorch gives.
    """
    return F.log_softmax(z, dim=-1)


def softmax_three_ways(logits: Sequence[float], dtype: torch.dtype) -> dict[tuple[str, str], np.ndarray]:
    """{(method, output): values as float64 numpy} for logits cast to ``dtype``.

    Each method's log-softmax is the log of its own softmax, except log-sum-exp, which never
    takes the log of a probability (its softmax is exp of its log-softmax).
    """
    z = torch.tensor([float(v) for v in logits], dtype=torch.float64).to(dtype)
    naive = softmax_naive(z)
    shifted = softmax_max_subtraction(z)
    log_p = log_softmax_log_sum_exp(z)
    results = {
        ("naive", "softmax"): naive,
        ("naive", "log_softmax"): torch.log(naive),
        ("max_subtraction", "softmax"): shifted,
        ("max_subtraction", "log_softmax"): torch.log(shifted),
        ("log_sum_exp", "softmax"): torch.exp(log_p),
        ("log_sum_exp", "log_softmax"): log_p,
    }
    return {key: value.to(torch.float64).numpy() for key, value in results.items()}


def truth(logits: Sequence[float]) -> dict[str, np.ndarray]:
    """The reference: log-sum-exp in float64 (``F.log_softmax`` / ``torch.softmax``)."""
    z = torch.tensor([float(v) for v in logits], dtype=torch.float64)
    return {"softmax": torch.softmax(z, dim=-1).numpy(), "log_softmax": F.log_softmax(z, dim=-1).numpy()}


def classify(value: float, true_value: float) -> str:
    """"nan", "inf" (either sign), "zero" (0 where the truth is not exactly 0) or "ok"."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf"
    if value == 0.0 and true_value != 0.0:
        return "zero"
    return "ok"


def stability_table(logits: Sequence[float]) -> dict[str, object]:
    """Every (method, output, dtype) result with a status per value, and the float64 truth.

    {"truth": {output: array}, "results": {(method, output, dtype): array},
     "status": {(method, output, dtype): [status per logit]}}
    """
    reference = truth(logits)
    results, status = {}, {}
    for dtype_name, dtype in DTYPES.items():
        for (method, output), values in softmax_three_ways(logits, dtype).items():
            key = (method, output, dtype_name)
            results[key] = values
            status[key] = [classify(float(v), float(t)) for v, t in zip(values, reference[output])]
    return {"truth": reference, "results": results, "status": status}


def epsilon_in_log_curves(epsilons: Sequence[float], n: int = 241) -> dict[str, object]:
    r"""The loss :math:`-\log(p + \varepsilon)` of a positive example and its gradient
    :math:`-1/(p+\varepsilon)` against p on a log grid from 1e-10 to 1, per ε (float64).

    ε = 0 is the exact :math:`-\log p`: infinite at p = 0. An ε caps the loss at :math:`-\log\varepsilon`
    and the gradient at :math:`1/\varepsilon`, but below p ≈ ε the curve goes flat: the model
    is told nothing about how wrong it is. At p = 1 the loss is :math:`-\log(1+\varepsilon) < 0`.
    (For a negative example, :math:`-\log(1 - p + \varepsilon)`, the picture mirrors at p = 1.)
    """
    p = torch.logspace(-10, 0, n, dtype=torch.float64)
    out: dict[str, object] = {"p": p.numpy(), "loss": {}, "grad": {}}
    for eps in epsilons:
        leaf = p.clone().requires_grad_(True)
        loss = -torch.log(leaf + eps)
        (grad,) = torch.autograd.grad(loss.sum(), leaf)
        out["loss"][eps] = loss.detach().numpy()
        out["grad"][eps] = grad.numpy()
    return out


def bce_over_logit(dtype: torch.dtype, eps: float = CLIP_EPS, n: int = 261, low: float = -110.0,
                   high: float = 20.0) -> dict[str, np.ndarray]:
    r"""BCE of a positive example (y = 1) against the logit z, computed in ``dtype``, four ways,
    each with its gradient ∂L/∂z (autograd):

    - "logits": ``F.binary_cross_entropy_with_logits(z, 1)`` = softplus(−z): exact, gradient σ(z) − 1;
    - "clipped": :math:`-\log \operatorname{clip}(\sigma(z), \varepsilon, 1-\varepsilon)` (Keras):
      capped loss and zero gradient outside the clip, exactly where the model is most wrong;
    - "plus_eps": :math:`-\log(\sigma(z) + \varepsilon)`: the gradient fades to 0 below σ ≈ ε;
    - "naive": :math:`-\log \sigma(z)`: inf once σ(z) underflows to 0.
    In float16 and bfloat16, 1 − 1e-7 rounds to 1, so the clip's upper bound is no clip at all.
    The default range reaches z = −110, past where float32's σ(z) = 1/(1 + e^{−z}) becomes 0
    (e^{−z} overflows for z < −88.7).
    """
    z64 = torch.linspace(low, high, n, dtype=torch.float64)

    def bce_logits(z):
        return F.binary_cross_entropy_with_logits(z, torch.ones_like(z), reduction="none")

    ways = {
        "logits": bce_logits,
        "clipped": lambda z: -torch.log(torch.clamp(torch.sigmoid(z), eps, 1.0 - eps)),
        "plus_eps": lambda z: -torch.log(torch.sigmoid(z) + eps),
        "naive": lambda z: -torch.log(torch.sigmoid(z)),
    }
    out = {"z": z64.numpy()}
    for name, fn in ways.items():
        leaf = z64.to(dtype).clone().requires_grad_(True)
        loss = fn(leaf)
        (grad,) = torch.autograd.grad(loss.sum(), leaf)
        out[name] = loss.detach().to(torch.float64).numpy()
        out[name + "_grad"] = grad.to(torch.float64).numpy()
    out["truth"] = bce_logits(z64).numpy()
    return out
