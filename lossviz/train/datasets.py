r"""Toy data sets small enough to draw, generated in torch from a seed (no global RNG touched).

Every set is split into a training and a validation part drawn from the same distribution.
Inputs are 2-D points for classification (``x`` (N, 2), labels ``y`` (N,) int64) and 1-D for
regression (``x`` (N, 1), ``y`` (N,) float32). The same name, size, noise and seed give the
same tensors bit for bit: each set draws from its own ``torch.Generator``.

- ``moons``, ``circles``: two classes, as scikit-learn's ``make_moons`` / ``make_circles``.
- ``blobs``: K Gaussian clusters with centres on a circle (K = ``n_classes``).
- ``spirals``: K interleaved arms, :math:`r = t,\ \theta = 2\pi k / K + 3 t` (hard for a line).
- ``imbalanced``: two overlapping Gaussians with ``ratio`` negatives per positive (up to 50),
  then a fraction ``label_noise`` of labels flipped: the set where focal loss and α matter.
- ``regression``: :math:`y = \sin(1.5 x) + 0.5 x + \text{noise}` on :math:`x \in [-3, 3]`,
  with a fraction ``outliers`` of targets shifted by ±(4 to 8): the set where Huber beats MSE.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import torch

DATASETS = ("moons", "circles", "blobs", "spirals", "imbalanced", "regression")
TASKS = {name: "regress" if name == "regression" else "classify" for name in DATASETS}
MAX_POINTS = 2000  # per set (train + validation): enough to see a boundary, cheap to draw
MAX_CLASSES = 6
MAX_RATIO = 50.0  # imbalanced: negatives per positive
VAL_FRACTION = 0.25


@dataclass(frozen=True)
class Dataset:
    """Train and validation tensors plus what a model and a loss need to know about them."""

    name: str
    task: str  # "classify" or "regress"
    n_classes: int  # 0 for regression
    x_train: torch.Tensor  # (N_train, D) float32
    y_train: torch.Tensor  # (N_train,) int64 labels, or float32 targets for regression
    x_val: torch.Tensor
    y_val: torch.Tensor

    @property
    def in_dim(self) -> int:
        return self.x_train.shape[1]


def _moons(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    n_upper = n // 2
    t_upper = torch.rand(n_upper, generator=g) * math.pi
    t_lower = torch.rand(n - n_upper, generator=g) * math.pi
    upper = torch.stack([torch.cos(t_upper), torch.sin(t_upper)], dim=1)
    lower = torch.stack([1 - torch.cos(t_lower), 0.5 - torch.sin(t_lower)], dim=1)
    x = torch.cat([upper, lower]) - torch.tensor([0.5, 0.25])  # centred on the origin
    y = torch.cat([torch.zeros(n_upper), torch.ones(n - n_upper)]).long()
    return x, y


def _circles(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    n_outer = n // 2
    theta = torch.rand(n, generator=g) * 2 * math.pi
    radius = torch.cat([torch.ones(n_outer), torch.full((n - n_outer,), 0.5)])
    x = radius[:, None] * torch.stack([torch.cos(theta), torch.sin(theta)], dim=1)
    y = torch.cat([torch.zeros(n_outer), torch.ones(n - n_outer)]).long()
    return x, y


def _blobs(n: int, k: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.arange(n) % k
    angle = 2 * math.pi * y.float() / k
    centres = 2.0 * torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)  # (N, 2)
    return centres + 0.5 * torch.randn(n, 2, generator=g), y


def _spirals(n: int, k: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.arange(n) % k
    t = 0.2 + 1.8 * torch.rand(n, generator=g)  # radius along the arm
    theta = 2 * math.pi * y.float() / k + 3.0 * t
    return t[:, None] * torch.stack([torch.cos(theta), torch.sin(theta)], dim=1), y


def _imbalanced(n: int, ratio: float, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    n_pos = max(2, round(n / (1 + ratio)))
    y = torch.cat([torch.zeros(n - n_pos), torch.ones(n_pos)]).long()
    centres = torch.tensor([[-0.6, 0.0], [0.6, 0.0]])[y]  # (N, 2): overlapping classes
    return centres + 0.6 * torch.randn(n, 2, generator=g), y


def _regression(n: int, outliers: float, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    x = 6 * torch.rand(n, generator=g) - 3
    y = torch.sin(1.5 * x) + 0.5 * x + 0.15 * torch.randn(n, generator=g)
    is_outlier = torch.rand(n, generator=g) < outliers
    shift = (4 + 4 * torch.rand(n, generator=g)) * torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
    return x[:, None], torch.where(is_outlier, y + shift, y)


def make_dataset(
    name: str,
    n_points: int = 400,
    seed: int = 0,
    noise: float = 0.1,
    n_classes: int = 3,
    ratio: float = 10.0,
    label_noise: float = 0.0,
    outliers: float = 0.0,
) -> Dataset:
    """The data set ``name`` with ``n_points`` points in all, shuffled and split 75/25.

    ``noise`` is the std of Gaussian jitter added to 2-D inputs; ``n_classes`` is used by blobs
    and spirals; ``ratio`` and ``label_noise`` by ``imbalanced``; ``outliers`` by ``regression``.
    ``ValueError`` names the allowed values when an argument is out of range.
    """
    if name not in DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}. Received: {name!r}")
    _check_range("n_points", n_points, 20, MAX_POINTS)
    _check_range("noise", noise, 0.0, 1.0)
    _check_range("n_classes", n_classes, 2, MAX_CLASSES)
    _check_range("ratio", ratio, 1.0, MAX_RATIO)
    _check_range("label_noise", label_noise, 0.0, 0.5)
    _check_range("outliers", outliers, 0.0, 0.5)
    g = torch.Generator().manual_seed(int(seed))
    n_points = int(n_points)
    k = 2
    if name == "moons":
        x, y = _moons(n_points, g)
    elif name == "circles":
        x, y = _circles(n_points, g)
    elif name == "blobs":
        k = int(n_classes)
        x, y = _blobs(n_points, k, g)
    elif name == "spirals":
        k = int(n_classes)
        x, y = _spirals(n_points, k, g)
    elif name == "imbalanced":
        x, y = _imbalanced(n_points, float(ratio), g)
        flip = torch.rand(n_points, generator=g) < label_noise
        y = torch.where(flip, 1 - y, y)
    else:
        x, y = _regression(n_points, float(outliers), g)
        k = 0
    if name != "regression":
        x = x + noise * torch.randn(x.shape, generator=g)
    order = torch.randperm(n_points, generator=g)
    x, y = x[order].float(), y[order]
    n_val = max(1, int(n_points * VAL_FRACTION))
    return Dataset(name, TASKS[name], k, x[n_val:], y[n_val:], x[:n_val], y[:n_val])


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (low <= value <= high):
        raise ValueError(f"{name} must be in [{low:g}, {high:g}]. Received: {name}={value!r}")
