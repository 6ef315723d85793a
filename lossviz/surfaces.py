r"""2-D loss surfaces: the table ``SURFACES``, grids, gradient fields and the Hessian at a point.

Every surface is a function of a (..., 2) tensor of parameters :math:`\theta = (\theta_1, \theta_2)`
returning the loss, shape (...): one batched torch call evaluates a whole grid. Two surfaces are
real losses on real (small, seeded) data, from the library (``lossviz.get_loss``):

* ``regression``: a line :math:`\hat y = w x + b` on ``surface_data.regression_data``,
  :math:`L(w, b) = \frac1N \sum_i \ell(w x_i + b,\ y_i)` for ``mse mae huber log_cosh quantile``;
* ``logistic``: logits :math:`z = w_1 x_1 + w_2 x_2` on ``surface_data.binary_data`` for
  ``bce focal hinge``, targets smoothed to :math:`y(1-\varepsilon) + \varepsilon/2` for all three
  (for BCE the same as the library's own ``label_smoothing``).

and four classic test functions for optimizer intuition: an ill-conditioned quadratic,
Rosenbrock, a saddle and Rastrigin. Optimizer paths are in ``lossviz.optim_paths``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping

import numpy as np
import torch

from .losses import get_loss
from .surface_data import MAX_OUTLIERS, binary_data, mean_loss_over_data, regression_data

REGRESSION_LOSS_KEYS = ("mse", "mae", "huber", "log_cosh", "quantile")
LOGISTIC_LOSS_KEYS = ("bce", "focal", "hinge")
QUADRATIC_ANGLE = math.pi / 6  # the long axis is tilted, so no optimizer gets the axes for free


def quadratic_matrix(condition: float) -> torch.Tensor:
    r""":math:`A = R\,\mathrm{diag}(1, \kappa)\,R^\top`, R a rotation by 30°: eigenvalues 1 and κ."""
    c, s = math.cos(QUADRATIC_ANGLE), math.sin(QUADRATIC_ANGLE)
    rotation = torch.tensor([[c, -s], [s, c]], dtype=torch.float64)
    return rotation @ torch.diag(torch.tensor([1.0, condition], dtype=torch.float64)) @ rotation.T


def quadratic(theta: torch.Tensor, condition: float = 10.0) -> torch.Tensor:
    r""":math:`f(\theta) = \tfrac12 \theta^\top A \theta`, condition number κ = λmax/λmin of A.

    PyTorch: ``0.5 * torch.einsum('...i,ij,...j->...', θ, A, θ)``. Use it to see why plain
    gradient descent zig-zags when κ is large and what momentum and Adam do about it.
    """
    matrix = quadratic_matrix(condition).to(theta.dtype)
    return 0.5 * torch.einsum("...i,ij,...j->...", theta, matrix, theta)


def rosenbrock(theta: torch.Tensor, a: float = 1.0, b: float = 100.0) -> torch.Tensor:
    r"""Rosenbrock's banana valley :math:`(a - x)^2 + b\,(y - x^2)^2`, minimum 0 at (a, a²).

    Use it to see an optimizer find a curved valley fast and then crawl along its floor.
    """
    x, y = theta[..., 0], theta[..., 1]
    return (a - x) ** 2 + b * (y - x**2) ** 2


def saddle(theta: torch.Tensor) -> torch.Tensor:
    r""":math:`x^2 - y^2`: a saddle at the origin, no minimum (unbounded below along y).

    Use it to watch who escapes a saddle: a start just off the ridge (y ≈ 0) barely moves in y at first.
    """
    return theta[..., 0] ** 2 - theta[..., 1] ** 2


def rastrigin(theta: torch.Tensor, amplitude: float = 10.0) -> torch.Tensor:
    r"""Rastrigin: :math:`2A + \sum_i (\theta_i^2 - A\cos 2\pi\theta_i)`, A = 10, minimum 0 at 0.

    A bowl covered in local minima: a good learning rate for the bowl jumps over them, a small one gets stuck.
    """
    return 2 * amplitude + (theta**2 - amplitude * torch.cos(2 * math.pi * theta)).sum(dim=-1)


def _loss_params(loss, params: Mapping[str, float]) -> dict[str, float]:
    """The chosen loss's own parameters (δ for Huber, τ for quantile...) out of the surface's."""
    return {p.name: params[p.name] for p in loss.params if p.name in params}


def regression_surface(theta: torch.Tensor, loss: str = "mse", outliers: float = 0, **loss_params: float) -> torch.Tensor:
    r""":math:`L(w, b) = \frac1N \sum_i \ell(w x_i + b,\ y_i)` with θ = (w, b) and a library loss ℓ."""
    if loss not in REGRESSION_LOSS_KEYS:
        raise ValueError(f"loss must be one of {REGRESSION_LOSS_KEYS}. Received: loss={loss!r}")
    x, y = regression_data(int(outliers))
    pred = theta[..., :1] * x.to(theta.dtype) + theta[..., 1:]  # (..., N)
    chosen = get_loss(loss)
    return mean_loss_over_data(chosen, pred, y.to(theta.dtype), _loss_params(chosen, loss_params))


def logistic_surface(theta: torch.Tensor, loss: str = "bce", label_smoothing: float = 0.0,
                     **loss_params: float) -> torch.Tensor:
    r""":math:`L(w) = \frac1N \sum_i \ell(w^\top x_i,\ \tilde y_i)`, :math:`\tilde y = y(1-\varepsilon) + \varepsilon/2`."""
    if loss not in LOGISTIC_LOSS_KEYS:
        raise ValueError(f"loss must be one of {LOGISTIC_LOSS_KEYS}. Received: loss={loss!r}")
    if not 0.0 <= label_smoothing <= 0.5:
        raise ValueError(f"label_smoothing must be in [0, 0.5]. Received: label_smoothing={label_smoothing!r}")
    features, labels = binary_data()
    x1, x2 = features.to(theta.dtype).T
    logits = theta[..., :1] * x1 + theta[..., 1:] * x2  # (..., N); elementwise, so a batch of θs
    # gives bit-for-bit the values of one θ at a time (a matmul may round differently per shape)
    smoothed = labels.to(theta.dtype) * (1.0 - label_smoothing) + label_smoothing / 2.0
    chosen = get_loss(loss)
    params = _loss_params(chosen, loss_params)
    if loss == "bce":
        params["label_smoothing"] = 0.0  # the targets are smoothed above, once for every loss
    return mean_loss_over_data(chosen, logits, smoothed, params)


@dataclass(frozen=True)
class Surface:
    """One surface: its function, the window it is drawn in, a start point and its parameters."""

    key: str
    fn: Callable[..., torch.Tensor]  # fn(theta (..., 2), **params) -> (...)
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    start: tuple[float, float]  # default start of the optimizer paths
    axis_names: tuple[str, str] = ("x", "y")
    defaults: dict[str, object] = field(default_factory=dict)  # parameter name -> default
    known_minimum: Callable[[dict], tuple[float, float]] | None = None  # exact argmin, if known
    bounded_below: bool = True  # the saddle has no minimum

    def params(self, given: Mapping[str, object] | None = None) -> dict[str, object]:
        """This surface's parameters: the defaults, overridden by those of ``given`` it knows."""
        resolved = dict(self.defaults)
        resolved.update({k: v for k, v in (given or {}).items() if k in self.defaults})
        return resolved

    def __call__(self, theta: torch.Tensor, params: Mapping[str, object] | None = None) -> torch.Tensor:
        return self.fn(theta, **self.params(params))


SURFACES: dict[str, Surface] = {s.key: s for s in (
    Surface("quadratic", quadratic, (-3.0, 3.0), (-3.0, 3.0), (-2.5, 2.0),
            defaults={"condition": 10.0}, known_minimum=lambda p: (0.0, 0.0)),
    Surface("rosenbrock", rosenbrock, (-2.0, 2.0), (-1.0, 3.0), (-1.5, 2.5), known_minimum=lambda p: (1.0, 1.0)),
    Surface("saddle", saddle, (-2.0, 2.0), (-2.0, 2.0), (-1.8, 0.05), bounded_below=False),
    Surface("rastrigin", rastrigin, (-5.12, 5.12), (-5.12, 5.12), (-4.2, 3.6), known_minimum=lambda p: (0.0, 0.0)),
    Surface("regression", regression_surface, (-2.0, 4.0), (-3.0, 3.0), (-1.5, -2.5), axis_names=("w", "b"),
            defaults={"loss": "mse", "outliers": 0, "delta": 1.0, "tau": 0.5}),
    Surface("logistic", logistic_surface, (-3.0, 6.0), (-4.0, 5.0), (-2.5, 4.0), axis_names=("w₁", "w₂"),
            defaults={"loss": "bce", "label_smoothing": 0.0, "gamma": 2.0, "alpha": 0.25, "margin": 1.0}),
)}


def get_surface(key: str) -> Surface:
    try:
        return SURFACES[key]
    except (KeyError, TypeError):
        raise KeyError(f"Unknown surface {key!r}. Valid keys: {', '.join(SURFACES)}") from None


def grid_axes(surface: Surface, resolution: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``resolution`` evenly spaced float64 values across each axis of the surface's window."""
    xs = torch.linspace(*surface.x_range, resolution, dtype=torch.float64)
    ys = torch.linspace(*surface.y_range, resolution, dtype=torch.float64)
    return xs, ys


def loss_grid(surface_key: str, params: Mapping | None = None, resolution: int = 100) -> dict[str, np.ndarray]:
    """The loss and its gradient on a resolution² grid, in one batched forward and backward.

    Returns ``x`` (R,), ``y`` (R,), ``loss`` (R, R) indexed [row = y, column = x] as plotly's
    contour expects, and ``grad_x``, ``grad_y`` (R, R). Each grid point's loss depends only on
    its own θ, so the gradient of the grid's sum is every point's own gradient.
    """
    surface = get_surface(surface_key)
    xs, ys = grid_axes(surface, resolution)
    yy, xx = torch.meshgrid(ys, xs, indexing="ij")
    theta = torch.stack([xx, yy], dim=-1).requires_grad_(True)  # (R, R, 2)
    loss = surface(theta, params)
    (grad,) = torch.autograd.grad(loss.sum(), theta)
    return {"x": xs.numpy(), "y": ys.numpy(), "loss": loss.detach().numpy(),
            "grad_x": grad[..., 0].numpy(), "grad_y": grad[..., 1].numpy()}


def point_report(surface_key: str, point: tuple[float, float], params: Mapping | None = None) -> dict[str, float]:
    r"""Loss, gradient, gradient norm and the 2×2 Hessian's eigenvalues at one point (autograd).

    ``condition`` is :math:`|\lambda|_{max} / |\lambda|_{min}` (inf when λmin = 0, e.g. on MAE's
    piecewise-linear surface; 1 at the saddle, where the eigenvalues are 2 and −2).
    PyTorch: ``torch.autograd.functional.hessian(f, θ)`` then ``torch.linalg.eigvalsh``.
    """
    surface = get_surface(surface_key)
    theta = torch.tensor(point, dtype=torch.float64, requires_grad=True)
    loss = surface(theta, params)
    (grad,) = torch.autograd.grad(loss, theta)
    hessian = torch.autograd.functional.hessian(lambda t: surface(t, params), theta.detach())
    if not bool(torch.isfinite(hessian).all()):
        hessian = _hessian_from_gradients(surface, theta.detach(), params)
    low, high = (float(v) for v in torch.linalg.eigvalsh(0.5 * (hessian + hessian.T)))
    magnitudes = sorted((abs(low), abs(high)))
    condition = magnitudes[1] / magnitudes[0] if magnitudes[0] > 0 else math.inf
    return {"loss": float(loss.detach()), "grad_x": float(grad[0]), "grad_y": float(grad[1]),
            "grad_norm": float(grad.norm()), "eig_low": low, "eig_high": high, "condition": condition,
            "hessian": hessian.numpy()}


def _hessian_from_gradients(surface: Surface, theta: torch.Tensor, params: Mapping | None,
                            h: float = 1e-5) -> torch.Tensor:
    r"""Central differences of the autograd gradient, :math:`H_{:,j} \approx (\nabla L(\theta + h e_j) -
    \nabla L(\theta - h e_j)) / 2h`, used only where autograd's second derivative is not finite:
    the library's stable focal loss takes :math:`\log y` of hard labels (−inf, harmless in the
    loss and its gradient) and its double backward turns that into NaN. Error ~h² ≈ 1e-10."""
    columns = []
    for j in range(2):
        step = torch.zeros(2, dtype=theta.dtype)
        step[j] = h
        grads = []
        for point in (theta + step, theta - step):
            point = point.clone().requires_grad_(True)
            (grad,) = torch.autograd.grad(surface(point, params), point)
            grads.append(grad)
        columns.append((grads[0] - grads[1]) / (2 * h))
    return torch.stack(columns, dim=1)


@lru_cache(maxsize=256)
def _minimum_cached(surface_key: str, params: tuple) -> tuple[tuple[float, float] | None, float | None]:
    surface = get_surface(surface_key)
    params = dict(params)
    if not surface.bounded_below:
        return None, None
    if surface.known_minimum is not None:
        argmin = surface.known_minimum(params)
        return argmin, float(surface(torch.tensor(argmin, dtype=torch.float64), params))
    # Coarse to fine: the best point of a 201² grid over the window, then eight zooms of a
    # 21² grid around the best point so far, each 5x narrower. Every data surface here is
    # convex in θ (a linear model under a convex loss), so zooming cannot miss the minimum.
    xs, ys = grid_axes(surface, 201)
    half_x, half_y = float(xs[1] - xs[0]) * 2, float(ys[1] - ys[0]) * 2
    yy, xx = torch.meshgrid(ys, xs, indexing="ij")
    candidates = torch.stack([xx, yy], dim=-1).reshape(-1, 2)
    for _ in range(9):
        with torch.no_grad():
            values = surface(candidates, params)
        best = candidates[int(torch.argmin(values))]
        offsets = torch.linspace(-1.0, 1.0, 21, dtype=torch.float64)
        oy, ox = torch.meshgrid(offsets * half_y, offsets * half_x, indexing="ij")
        candidates = best + torch.stack([ox, oy], dim=-1).reshape(-1, 2)
        half_x, half_y = half_x / 5, half_y / 5
    return (float(best[0]), float(best[1])), float(values.min())


def surface_minimum(surface_key: str, params: Mapping | None = None) -> tuple[tuple[float, float] | None, float | None]:
    """(argmin, minimum loss) inside the surface's window; (None, None) if unbounded below.

    Exact for the test functions; for the data surfaces found numerically (coarse-to-fine grid).
    """
    resolved = get_surface(surface_key).params(params)
    return _minimum_cached(surface_key, tuple(sorted(resolved.items())))


__all__ = ["SURFACES", "Surface", "get_surface", "loss_grid", "point_report", "surface_minimum",
           "quadratic_matrix", "REGRESSION_LOSS_KEYS", "LOGISTIC_LOSS_KEYS", "MAX_OUTLIERS"]


def __getattr__(name: str):
    """``lossviz.surfaces.optimizer_path`` and friends live in ``lossviz.optim_paths``."""
    if name in ("optimizer_path", "OPTIMIZERS", "run_path", "summarize_path", "best_learning_rate"):
        from . import optim_paths

        return getattr(optim_paths, name)
    raise AttributeError(f"module 'lossviz.surfaces' has no attribute {name!r}")
