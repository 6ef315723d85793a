r"""What the page draws about a trainer right now: arrays only (numpy), no figures.

- ``boundary_grid``: the model over a grid around the points; for two classes with one logit
  :math:`p(y=1) = \sigma(z)`, for K classes the predicted class and its softmax probability;
  for regression the fitted curve :math:`\hat y(x)` on a line.
- ``per_sample``: for every training point its loss :math:`\ell_i` and the size of its gradient on
  the model output :math:`\lVert \partial \ell_i / \partial z_i \rVert` (which points drive the update;
  focal loss shrinks it for easy points, Huber caps it for outliers).
- ``calibration``: confidence histogram and the expected calibration error (Guo et al., 2017)

  .. math:: \mathrm{ECE} = \sum_{b=1}^{B} \frac{|S_b|}{n}\, \bigl|\mathrm{acc}(S_b) - \mathrm{conf}(S_b)\bigr|

  over B equal-width confidence bins. For margin losses (hinge) the logit is not a calibrated
  log-odds, so σ(z) is only a score there; the page says so.
"""

from __future__ import annotations

import numpy as np
import torch

from .loop import Trainer

GRID_SIZE = 60  # 60 x 60 = 3,600 model evaluations: ~1 ms for the 16,16 MLP
ECE_BINS = 10


def plot_bounds(trainer: Trainer, pad: float = 0.3) -> tuple[float, float, float, float]:
    """x_min, x_max, y_min, y_max around every point (2-D sets); targets' range for regression."""
    x = torch.cat([trainer.data.x_train, trainer.data.x_val])
    if trainer.data.task == "regress":
        y = torch.cat([trainer.data.y_train, trainer.data.y_val])
        return float(x.min()) - pad, float(x.max()) + pad, float(y.min()) - pad, float(y.max()) + pad
    low, high = x.min(dim=0).values - pad, x.max(dim=0).values + pad
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


@torch.no_grad()
def boundary_grid(trainer: Trainer, size: int = GRID_SIZE) -> dict[str, np.ndarray]:
    """Classification: ``xs`` (size,), ``ys`` (size,), ``prob`` (size, size) = p(class 1) for two
    classes or the winning class's probability, ``label`` (size, size) predicted class.
    Regression: ``xs`` (size*4,) and ``pred`` (size*4,) along the x axis."""
    x0, x1, y0, y1 = plot_bounds(trainer)
    if trainer.data.task == "regress":
        xs = torch.linspace(x0, x1, size * 4)
        return {"xs": xs.numpy(), "pred": trainer.outputs(xs[:, None]).numpy()}
    xs, ys = torch.linspace(x0, x1, size), torch.linspace(y0, y1, size)
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")  # (size, size): rows follow y
    points = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)  # (size*size, 2)
    out = trainer.outputs(points)
    if out.dim() == 1:
        prob = torch.sigmoid(out)
        label = (out > 0).long()
    else:
        probs = torch.softmax(out, dim=1)
        if probs.shape[1] == 2:
            prob, label = probs[:, 1], probs.argmax(dim=1)
        else:
            prob, label = probs.max(dim=1)
    return {"xs": xs.numpy(), "ys": ys.numpy(), "prob": prob.reshape(size, size).numpy(),
            "label": label.reshape(size, size).numpy()}


def per_sample(trainer: Trainer) -> dict[str, np.ndarray]:
    """Loss and output-gradient norm of every training point, from one autograd pass.

    Each ℓ_i depends only on its own output z_i, so the gradient of Σ ℓ_i with respect to the
    outputs holds every ∂ℓ_i/∂z_i at once.
    """
    with torch.enable_grad():
        out = trainer.outputs(trainer.data.x_train).detach().requires_grad_(True)
        losses = trainer.loss.fn(out, trainer.y_train, **trainer.loss_params)  # (N,)
        (grad,) = torch.autograd.grad(losses.sum(), out)
    norm = grad.abs() if grad.dim() == 1 else torch.linalg.vector_norm(grad, dim=1)
    return {"loss": losses.detach().numpy(), "grad": norm.numpy()}


@torch.no_grad()
def confidences(trainer: Trainer) -> tuple[np.ndarray, np.ndarray]:
    """Validation points' confidence (probability of the predicted class) and whether it was right."""
    out = trainer.outputs(trainer.data.x_val)
    if out.dim() == 1:
        p = torch.sigmoid(out)
        predicted = (out > 0).long()
        confidence = torch.where(predicted == 1, p, 1 - p)
    else:
        confidence, predicted = torch.softmax(out, dim=1).max(dim=1)
    return confidence.numpy(), (predicted == trainer.data.y_val.long()).numpy()


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = ECE_BINS) -> float:
    """ECE over ``bins`` equal-width bins of (0, 1]; a confidence of exactly 0 joins the first bin."""
    confidence = np.asarray(confidence, dtype=np.float64)
    correct = np.asarray(correct, dtype=np.float64)
    if confidence.size == 0:
        return 0.0
    which = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        in_bin = which == b
        if in_bin.any():
            ece += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(ece)


def calibration(trainer: Trainer, bins: int = ECE_BINS) -> dict[str, object]:
    """Histogram counts of validation confidence per bin, accuracy per bin, and the ECE."""
    confidence, correct = confidences(trainer)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    counts = np.bincount(which, minlength=bins)
    hits = np.bincount(which, weights=correct.astype(np.float64), minlength=bins)
    accuracy = np.divide(hits, counts, out=np.full(bins, np.nan), where=counts > 0)
    return {"edges": edges, "counts": counts, "accuracy": accuracy,
            "ece": expected_calibration_error(confidence, correct, bins)}
