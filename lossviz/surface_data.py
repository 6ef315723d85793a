r"""The two small seeded data sets behind the /surfaces page's "real loss" surfaces.

* Regression: 24 points :math:`y = 1.5x + 0.5 + 0.4\,\varepsilon`, :math:`x \sim U(-2, 2)`,
  plus up to ``MAX_OUTLIERS`` added outliers far below the line at the right edge
  (:math:`x = 1.5, 1.6, \dots`, :math:`y = -6`). One outlier is enough to tilt MSE's best line;
  MAE's barely moves (it fits a median, not a mean).
* Binary: 20 + 20 points from two overlapping Gaussian blobs centred at :math:`\pm(1, 0.6)`,
  std 0.9. The classes overlap, so BCE's minimum is finite (on separable data it lies at infinity).

Seeds are fixed, so every surface, path and number on the page is reproducible from its URL.
"""

from __future__ import annotations

from functools import lru_cache

import torch

MAX_OUTLIERS = 6
REGRESSION_SLOPE, REGRESSION_INTERCEPT = 1.5, 0.5
OUTLIER_Y = -6.0


@lru_cache(maxsize=None)
def regression_data(outliers: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """(x, y) float64, shape (24 + outliers,). The clean points never change with ``outliers``."""
    if not 0 <= outliers <= MAX_OUTLIERS:
        raise ValueError(f"outliers must be an integer in [0, {MAX_OUTLIERS}]. Received: outliers={outliers!r}")
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(24, generator=gen, dtype=torch.float64) * 4.0 - 2.0
    y = REGRESSION_SLOPE * x + REGRESSION_INTERCEPT + 0.4 * torch.randn(24, generator=gen, dtype=torch.float64)
    x_out = 1.5 + 0.1 * torch.arange(outliers, dtype=torch.float64)
    y_out = torch.full((outliers,), OUTLIER_Y, dtype=torch.float64)
    return torch.cat([x, x_out]), torch.cat([y, y_out])


@lru_cache(maxsize=None)
def binary_data() -> tuple[torch.Tensor, torch.Tensor]:
    """(features (40, 2), labels (40,) in {0, 1}) float64; the first 20 are class 1."""
    gen = torch.Generator().manual_seed(1)
    centre = torch.tensor([1.0, 0.6], dtype=torch.float64)
    noise = 0.9 * torch.randn(40, 2, generator=gen, dtype=torch.float64)
    features = torch.cat([centre + noise[:20], -centre + noise[20:]])
    labels = torch.cat([torch.ones(20, dtype=torch.float64), torch.zeros(20, dtype=torch.float64)])
    return features, labels


def mean_loss_over_data(loss, pred: torch.Tensor, target: torch.Tensor, loss_params: dict) -> torch.Tensor:
    """Mean over the data set of a library loss, for predictions of shape (..., N).

    The loss contract takes (N,) tensors, so the whole grid goes through ONE call on the
    flattened (grid points × N) predictions, then is reshaped back: no Python loop over points.
    The parameters are checked by the loss's own ``resolve_params``; the per-element input
    checks of ``Loss.__call__`` are skipped (``loss.fn``), because the targets are our fixed,
    finite data set and re-checking them for each of 10,000 grid points cost more than the loss.
    """
    batch_shape = pred.shape[:-1]
    flat_target = target.expand(pred.shape).reshape(-1)
    per_sample = loss.fn(pred.reshape(-1), flat_target, **loss.resolve_params(**loss_params))
    return per_sample.reshape(*batch_shape, target.shape[-1]).mean(dim=-1)
