"""Gradients for the Loss Explorer: a loss along one input axis, its derivative, tangents.

The explorer moves one number and keeps everything else fixed:
- regression: the prediction ``pred`` against a fixed ``target``;
- binary: the logit ``z`` against a label ``y`` in [0, 1] (soft labels allowed);
- multiclass: logits ``(z, 0, 0)`` for K = 3 classes, true class 0. Losses that take
  probability targets get ``(y, (1-y)/2, (1-y)/2)``; the others get class index 0.

Gradients come from autograd. For classification the same curve can be read against the
probability of the true class, ``p = σ(z)`` (binary) or ``p = softmax(z, 0, 0)_0 =
σ(z − log 2)`` (multiclass), and ``∂L/∂p = (∂L/∂z)/(dp/dz)`` is computed by autograd through
``z = logit(p)`` (+ log 2), which is the "probability gradient" learners often confuse with
the logit gradient (for cross-entropy: ``p − 1`` versus ``−1/p``).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from .losses import Loss

NUM_CLASSES = 3
LOGIT_RANGE = (-8.0, 8.0)
PRED_RANGE = (-5.0, 5.0)
PROB_RANGE = (0.005, 0.995)
_LOG_OTHERS = math.log(NUM_CLASSES - 1)  # softmax(z, 0, 0)_0 = sigmoid(z - log(K - 1))


def is_classification(loss: Loss) -> bool:
    return loss.family in ("binary", "multiclass")


def x_kind(loss: Loss, axis: str) -> str:
    """What the explorer's x axis holds: "pred" (regression), "logit" or "prob"."""
    if not is_classification(loss):
        return "pred"
    return "prob" if axis == "prob" else "logit"


def explorer_inputs(loss: Loss, x: torch.Tensor, label: float) -> tuple[torch.Tensor, torch.Tensor]:
    """(pred, target) batches for M explorer points ``x`` (shape (M,)) and one label."""
    if loss.family in ("regression", "binary"):
        return x, torch.full_like(x, float(label))
    zeros = torch.zeros_like(x)
    logits = torch.stack([x, zeros, zeros], dim=1)  # (M, K)
    if loss.accepts_soft_targets:
        rest = (1.0 - float(label)) / (NUM_CLASSES - 1)
        row = torch.tensor([float(label)] + [rest] * (NUM_CLASSES - 1), dtype=x.dtype)
        return logits, row.expand(x.shape[0], NUM_CLASSES).contiguous()
    return logits, torch.zeros(x.shape[0], dtype=torch.long)


def prob_from_logit(loss: Loss, z: torch.Tensor) -> torch.Tensor:
    """Probability of the true class for the explorer's logit ``z``."""
    shift = _LOG_OTHERS if loss.family == "multiclass" else 0.0
    return torch.sigmoid(z - shift)


def logit_from_prob(loss: Loss, p: torch.Tensor) -> torch.Tensor:
    """Inverse of ``prob_from_logit``."""
    shift = _LOG_OTHERS if loss.family == "multiclass" else 0.0
    return torch.log(p) - torch.log1p(-p) + shift


def loss_and_grad(
    loss: Loss, x: np.ndarray, label: float, params: dict[str, float], wrt: str = "pred"
) -> tuple[np.ndarray, np.ndarray]:
    """Per-point loss and its derivative with respect to ``wrt``, in float64.

    ``x`` holds predictions/logits when ``wrt`` is "pred" or "logit", and probabilities of
    the true class when ``wrt`` is "prob" (classification only).
    """
    leaf = torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    z = logit_from_prob(loss, leaf) if wrt == "prob" else leaf
    pred, target = explorer_inputs(loss, z, label)
    values = loss(pred, target, **params)
    (grad,) = torch.autograd.grad(values.sum(), leaf)  # samples are independent: elementwise
    return values.detach().numpy(), grad.numpy()


def curve_axis(loss: Loss, axis: str, n: int = 161) -> np.ndarray:
    """The x values of the explorer's curve: predictions, logits or probabilities."""
    if not is_classification(loss):
        return np.linspace(*PRED_RANGE, n)
    return np.linspace(*(PROB_RANGE if axis == "prob" else LOGIT_RANGE), n)


def explorer_curve(
    loss: Loss, label: float, params: dict[str, float], axis: str = "logit", n: int = 161
) -> dict[str, np.ndarray]:
    """{"x", "loss", "grad"} along the chosen axis (gradient taken with respect to that axis)."""
    xs = curve_axis(loss, axis, n)
    wrt = "prob" if x_kind(loss, axis) == "prob" else "pred"
    values, grads = loss_and_grad(loss, xs, label, params, wrt=wrt)
    return {"x": xs, "loss": values, "grad": grads}


def explorer_point(loss: Loss, x: float, label: float, params: dict[str, float]) -> dict[str, float]:
    """Loss and gradients at one slider position ``x`` (prediction or logit).

    Keys: "loss", "grad" (w.r.t. prediction/logit) and, for classification, "prob" and
    "grad_prob" (w.r.t. the true-class probability).
    """
    values, grads = loss_and_grad(loss, np.array([x]), label, params)
    point = {"x": float(x), "loss": float(values[0]), "grad": float(grads[0])}
    if is_classification(loss):
        prob = float(prob_from_logit(loss, torch.tensor(float(x), dtype=torch.float64)))
        point["prob"] = prob
        point["grad_prob"] = grads[0] / (prob * (1.0 - prob)) if 0.0 < prob < 1.0 else math.nan
    return point


def tangent_line(x0: float, y0: float, slope: float, half_width: float) -> tuple[list[float], list[float]]:
    """Two end points of the tangent y = y0 + slope (x − x0) over [x0 − w, x0 + w]."""
    xs = [x0 - half_width, x0 + half_width]
    return xs, [y0 + slope * (x - x0) for x in xs]


def slider_grid(low: float, high: float, step: float) -> np.ndarray:
    """Every value a slider over [low, high] with this step can take, exactly as the slider
    reports it (rounded to the step's decimals, so 1.55 is 1.55 and not 1.5500000000000003)."""
    count = int(round((high - low) / step))
    decimals = max(0, -int(math.floor(math.log10(step))) + 2)
    return np.round(low + step * np.arange(count + 1), decimals)


def explorer_points(
    loss: Loss, xs: np.ndarray, label: float, params: dict[str, float]
) -> dict[str, np.ndarray]:
    """``explorer_point`` at every slider position ``xs`` at once (one batched autograd call).

    Keys: "x", "loss", "grad" and, for classification, "prob" and "grad_prob". These are the
    values the client-side scrubber shows, so each equals ``explorer_point`` at that x.
    """
    xs = np.asarray(xs, dtype=np.float64)
    values, grads = loss_and_grad(loss, xs, label, params)
    points = {"x": xs, "loss": values, "grad": grads}
    if is_classification(loss):
        prob = prob_from_logit(loss, torch.from_numpy(xs)).numpy()
        inside = (prob > 0.0) & (prob < 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            points["prob"] = prob
            points["grad_prob"] = np.where(inside, grads / (prob * (1.0 - prob)), np.nan)
    return points



def grid_index(grid: np.ndarray, value: float) -> int:
    """The position of the grid point nearest to ``value`` (a URL value between two steps
    snaps to the nearest one, as the slider itself would)."""
    return int(np.argmin(np.abs(np.asarray(grid) - float(value))))
