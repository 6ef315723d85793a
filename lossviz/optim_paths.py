r"""Real optimizer paths on a 2-D surface, from ``torch.optim`` itself (never a re-implementation).

``optimizer_path`` puts θ in one ``torch.nn.Parameter``-like tensor, builds the named
``torch.optim`` optimizer on it and records θ after every ``optimizer.step()``:

.. code-block:: python

    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([theta], lr=0.1, betas=(0.9, 0.999))
    for _ in range(steps):
        opt.zero_grad(); surface(theta).backward(); opt.step()

``summarize_path`` turns a path into what the page reports: the path cut at its last finite
point (a divergence is flagged, never an exception), the loss along it, the final loss and the
first step within the tolerance of the minimum. ``best_learning_rate`` runs each learning rate
of a log-spaced grid and keeps the best, so optimizers can be compared each at its own best
rate (one shared rate is the classic unfair comparison).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import torch

from .surfaces import get_surface, surface_minimum


@dataclass(frozen=True)
class OptimizerSpec:
    """A ``torch.optim`` class, fixed arguments that make it this variant, and the tunable ones."""

    torch_name: str  # attribute of torch.optim
    fixed: dict
    defaults: dict  # hyperparameters by their torch.optim names, with our defaults


OPTIMIZERS: dict[str, OptimizerSpec] = {
    "sgd": OptimizerSpec("SGD", {}, {"lr": 0.01, "weight_decay": 0.0}),
    "momentum": OptimizerSpec("SGD", {}, {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.0}),
    "nesterov": OptimizerSpec("SGD", {"nesterov": True}, {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.0}),
    "rmsprop": OptimizerSpec("RMSprop", {}, {"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "momentum": 0.0,
                                               "weight_decay": 0.0}),
    "adagrad": OptimizerSpec("Adagrad", {}, {"lr": 0.1, "eps": 1e-10, "weight_decay": 0.0}),
    "adam": OptimizerSpec("Adam", {}, {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0}),
    "adamw": OptimizerSpec("AdamW", {}, {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.01}),
}

# 1-2-5 steps from 1e-4 to 1: the "each at its best" search grid and the page's lr choices.
LEARNING_RATES: tuple[float, ...] = tuple(
    round(mantissa * 10.0**exponent, 10) for exponent in range(-4, 1) for mantissa in (1, 2, 5)
    if mantissa * 10.0**exponent <= 1.0
)
MAX_STEPS = 1000
DEFAULT_TOLERANCE = 1e-3  # of the start's loss gap L(θ₀) − L*


def make_optimizer(optimizer_key: str, params: list[torch.Tensor], **hyper: object) -> torch.optim.Optimizer:
    """The ``torch.optim`` optimizer for ``optimizer_key``; unknown hyperparameters raise ValueError."""
    if optimizer_key not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}. Received: {optimizer_key!r}")
    spec = OPTIMIZERS[optimizer_key]
    unknown = sorted(set(hyper) - set(spec.defaults))
    if unknown:
        raise ValueError(f"{optimizer_key} does not take {unknown}. Allowed: {sorted(spec.defaults)}")
    kwargs = {**spec.defaults, **hyper, **spec.fixed}
    if "betas" in kwargs:
        kwargs["betas"] = tuple(float(b) for b in kwargs["betas"])
    return getattr(torch.optim, spec.torch_name)(params, **kwargs)


def optimizer_path(surface_key: str, optimizer_key: str, start: Sequence[float], steps: int,
                   surface_params: Mapping | None = None, **hyper: object) -> np.ndarray:
    """θ₀ and θ after each ``optimizer.step()``: numpy float64, shape (steps + 1, 2).

    Hyperparameters go by their ``torch.optim`` names (``lr``, ``momentum``, ``betas``,
    ``weight_decay``, ``alpha``, ``eps``). Once θ or the loss stops being finite (divergence),
    the remaining rows are NaN and no more steps are taken.
    """
    return optimizer_paths(surface_key, [(optimizer_key, hyper)], start, steps, surface_params)[0]


def optimizer_paths(surface_key: str, runs: Sequence[tuple[str, Mapping]], start: Sequence[float], steps: int,
                    surface_params: Mapping | None = None) -> list[np.ndarray]:
    """Several paths from one start, one ``torch.optim`` optimizer per run ``(optimizer_key, hyper)``.

    Each run has its own θ tensor and its own optimizer; only the surface's forward and backward
    are shared: the live θs are stacked into a (k, 2) batch, so one call gives every run its loss
    and, through the sum, its own gradient. The optimizers step exactly as in separate runs
    (``tests/test_optim_paths.py`` compares with torch.optim run by hand, one path at a time).
    """
    steps = int(steps)
    if not 0 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be in [0, {MAX_STEPS}]. Received: steps={steps}")
    surface = get_surface(surface_key)
    params = surface.params(surface_params)
    start_values = [float(v) for v in start]
    thetas = [torch.tensor(start_values, dtype=torch.float64, requires_grad=True) for _ in runs]
    optimizers = [make_optimizer(key, [theta], **dict(hyper)) for (key, hyper), theta in zip(runs, thetas)]
    paths = [np.full((steps + 1, 2), np.nan) for _ in runs]
    for path in paths:
        path[0] = start_values
    alive = list(range(len(runs)))
    for step in range(1, steps + 1):
        if not alive:
            break
        for i in alive:
            thetas[i].grad = None  # what optimizer.zero_grad() does
        losses = surface.fn(torch.stack([thetas[i] for i in alive]), **params)  # (k,)
        finite = [j for j, value in enumerate(losses.tolist()) if math.isfinite(value)]
        if len(finite) == len(alive):
            losses.sum().backward()
        elif finite:
            losses[finite].sum().backward()
        still_alive = []
        for j in finite:
            i = alive[j]
            optimizers[i].step()
            point = thetas[i].detach().numpy()
            if np.isfinite(point).all():
                paths[i][step] = point
                still_alive.append(i)
        alive = still_alive
    return paths


@dataclass(frozen=True)
class PathSummary:
    """What the page shows for one path. ``points`` and ``losses`` stop at the last finite point."""

    points: np.ndarray  # (n, 2)
    losses: np.ndarray  # (n,)
    diverged: bool
    final_loss: float
    steps_to_tolerance: int | None  # first step with L − L* ≤ tol·(L₀ − L*); None: never / no minimum


def path_losses(surface_key: str, points: np.ndarray, surface_params: Mapping | None = None) -> np.ndarray:
    """The loss at every point of a path, in one batched call."""
    surface = get_surface(surface_key)
    with torch.no_grad():
        return surface(torch.as_tensor(points, dtype=torch.float64), surface_params).numpy()


def summarize_path(surface_key: str, path: np.ndarray, surface_params: Mapping | None = None,
                   tolerance: float = DEFAULT_TOLERANCE) -> PathSummary:
    """Cut at the last finite point, compute the losses, the final loss and steps to tolerance."""
    finite = np.isfinite(path).all(axis=1)
    n_finite = int(np.argmin(finite)) if not finite.all() else len(path)
    points = path[:n_finite]
    losses = path_losses(surface_key, points, surface_params)
    keep = np.isfinite(losses)
    if not keep.all():  # a finite θ whose loss overflowed: cut there too
        n_finite = int(np.argmin(keep))
        points, losses = points[:n_finite], losses[:n_finite]
    diverged = n_finite < len(path)
    _, minimum = surface_minimum(surface_key, surface_params)
    reached = None
    if minimum is not None and len(losses):
        gap = losses - minimum
        within = np.flatnonzero(gap <= tolerance * max(gap[0], 0.0))
        reached = int(within[0]) if within.size else None
    final = float(losses[-1]) if len(losses) else math.nan
    return PathSummary(points, losses, diverged, final, reached)


def run_path(surface_key: str, optimizer_key: str, start: Sequence[float], steps: int,
             surface_params: Mapping | None = None, tolerance: float = DEFAULT_TOLERANCE,
             **hyper: object) -> PathSummary:
    path = optimizer_path(surface_key, optimizer_key, start, steps, surface_params, **hyper)
    return summarize_path(surface_key, path, surface_params, tolerance)


def _rank(summary: PathSummary, steps: int) -> tuple:
    """Smaller is better: not diverged, then fewest steps to tolerance, then lowest final loss."""
    reached = summary.steps_to_tolerance if summary.steps_to_tolerance is not None else steps + 1
    return (summary.diverged, reached, summary.final_loss)


def best_learning_rate(surface_key: str, optimizer_key: str, start: Sequence[float], steps: int,
                       surface_params: Mapping | None = None, rates: Sequence[float] = LEARNING_RATES,
                       **hyper: object) -> tuple[float, PathSummary]:
    """The learning rate of ``rates`` whose path is best (see ``_rank``), and that path."""
    hyper.pop("lr", None)
    runs = [(optimizer_key, {**hyper, "lr": lr}) for lr in rates]
    paths = optimizer_paths(surface_key, runs, start, steps, surface_params)
    results = [(lr, summarize_path(surface_key, path, surface_params)) for lr, path in zip(rates, paths)]
    return min(results, key=lambda item: _rank(item[1], steps))
