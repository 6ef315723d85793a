r"""Curves that answer the classification lab's "why" questions, as numpy arrays (float64).

- Why not MSE: loss and gradient against the true class's logit, for sigmoid + MSE vs
  sigmoid + BCE and for softmax + MSE vs softmax + CE (the other logits fixed at 0).
- Focal: the modulating factor :math:`(1-p_t)^\gamma` and the focal loss against :math:`p_t`.
- Label smoothing: the optimal logit gap and the optimal confidence against ε.
- Logit vs probability gradient: ∂L/∂z and ∂L/∂p against p for BCE and CE.

Gradients come from autograd through the loss library (``lossviz.get_loss``); the tests
compare them with the closed forms and with ``torch.nn.functional``.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from .classification import optimal_confidence, optimal_logit_gap
from .losses import get_loss

LOGIT_RANGE = (-10.0, 10.0)
FOCAL_GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)  # the paper's Fig. 1 family


def _grid(low: float, high: float, n: int) -> torch.Tensor:
    return torch.linspace(low, high, n, dtype=torch.float64)


def _value_and_grad(fn, x: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Elementwise loss along x and its derivative (samples are independent)."""
    leaf = x.clone().requires_grad_(True)
    values = fn(leaf)
    (grad,) = torch.autograd.grad(values.sum(), leaf)
    return values.detach().numpy(), grad.numpy()


def sigmoid_mse_vs_bce(n: int = 201) -> dict[str, np.ndarray]:
    r"""True label y = 1, logit z on the x axis.

    MSE: :math:`(\sigma(z) - 1)^2`, gradient :math:`2(\sigma - 1)\,\sigma(1-\sigma)`, which
    vanishes as z → −∞ (confidently wrong). BCE: ``F.binary_cross_entropy_with_logits``,
    gradient :math:`\sigma(z) - 1` → −1 there.
    """
    z = _grid(*LOGIT_RANGE, n)
    mse_loss, mse_grad = _value_and_grad(lambda v: (torch.sigmoid(v) - 1.0) ** 2, z)
    bce_loss, bce_grad = _value_and_grad(
        lambda v: get_loss("bce")(v, torch.ones_like(v), label_smoothing=0.0), z)
    return {"x": z.numpy(), "mse": mse_loss, "mse_grad": mse_grad, "ce": bce_loss, "ce_grad": bce_grad}


def softmax_mse_vs_ce(k: int, n: int = 201) -> dict[str, np.ndarray]:
    r"""K classes, logits (z, 0, …, 0), true class 0, z on the x axis.

    MSE: :math:`\sum_k (p_k - y_k)^2` (``F.mse_loss(p, onehot, reduction='sum')``); CE:
    ``F.cross_entropy``, gradient :math:`p_0 - 1` on z.
    """
    z = _grid(*LOGIT_RANGE, n)

    def logits_of(v: torch.Tensor) -> torch.Tensor:
        return torch.cat([v[:, None], torch.zeros(v.shape[0], k - 1, dtype=v.dtype)], dim=1)

    onehot = F.one_hot(torch.zeros(n, dtype=torch.long), k).to(torch.float64)
    mse_loss, mse_grad = _value_and_grad(
        lambda v: ((torch.softmax(logits_of(v), dim=1) - onehot) ** 2).sum(dim=1), z)
    ce_loss, ce_grad = _value_and_grad(
        lambda v: get_loss("cross_entropy")(logits_of(v), torch.zeros(n, dtype=torch.long), label_smoothing=0.0), z)
    return {"x": z.numpy(), "mse": mse_loss, "mse_grad": mse_grad, "ce": ce_loss, "ce_grad": ce_grad}


def focal_curves(gammas=FOCAL_GAMMAS, n: int = 200) -> dict[str, object]:
    r"""For each γ: the modulating factor :math:`(1-p_t)^\gamma` and the focal loss
    :math:`-(1-p_t)^\gamma \log p_t` (α off) against :math:`p_t \in (0, 1)`.

    The loss is the library's sigmoid focal loss (torchvision's formula) at the logit
    :math:`z = \log(p_t / (1 - p_t))` with label 1, so :math:`\sigma(z) = p_t`.
    """
    p_t = torch.linspace(0.005, 0.995, n, dtype=torch.float64)
    z = torch.log(p_t) - torch.log1p(-p_t)
    ones = torch.ones_like(z)
    focal = get_loss("focal")
    factors = {g: ((1.0 - p_t) ** g).numpy() for g in gammas}
    losses = {g: focal(z, ones, gamma=g, alpha=-1.0).numpy() for g in gammas}
    return {"p_t": p_t.numpy(), "factor": factors, "loss": losses}


def label_smoothing_curves(k: int, n: int = 200) -> dict[str, np.ndarray]:
    r"""The optimal logit gap :math:`\log(K(1-\varepsilon)/\varepsilon + 1)` and the optimal
    top probability :math:`1 - \varepsilon + \varepsilon/K` against ε ∈ (0, 0.5]."""
    eps = np.linspace(0.005, 0.5, n)
    return {"eps": eps, "gap": np.array([optimal_logit_gap(k, e) for e in eps]),
            "confidence": np.array([optimal_confidence(k, e) for e in eps])}


def logit_vs_prob_gradients(k: int, n: int = 199) -> dict[str, np.ndarray]:
    r"""∂L/∂z and ∂L/∂p against the true class's probability p, true label 1 / class 0.

    BCE: :math:`z = \operatorname{logit}(p)`. CE over K classes with logits (z, 0, …, 0):
    :math:`p_0 = \sigma(z - \log(K-1))`, so :math:`z = \operatorname{logit}(p) + \log(K-1)`.
    Both give :math:`\partial L/\partial z = p - 1` (bounded) and :math:`\partial L/\partial p = -1/p`
    (explodes as p → 0); ∂L/∂p is autograd through z(p).
    """
    p = torch.linspace(0.01, 0.99, n, dtype=torch.float64)
    shift = float(np.log(k - 1)) if k > 2 else 0.0
    labels = torch.zeros(n, dtype=torch.long)

    def bce(z: torch.Tensor) -> torch.Tensor:
        return get_loss("bce")(z, torch.ones_like(z), label_smoothing=0.0)

    def ce(z: torch.Tensor) -> torch.Tensor:
        logits = torch.cat([z[:, None], torch.zeros(z.shape[0], k - 1, dtype=z.dtype)], dim=1)
        return get_loss("cross_entropy")(logits, labels, label_smoothing=0.0)

    out = {"p": p.numpy()}
    for name, fn, offset in (("bce", bce, 0.0), ("ce", ce, shift)):
        z_of_p = torch.log(p) - torch.log1p(-p) + offset
        out[name], out[name + "_grad_z"] = _value_and_grad(fn, z_of_p)
        _, out[name + "_grad_p"] = _value_and_grad(lambda q: fn(torch.log(q) - torch.log1p(-q) + offset), p)
    return out
