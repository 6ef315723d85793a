r"""Properties of a regression loss that a learner should look for, checked numerically.

Each check evaluates the loss with torch (float64, autograd for gradients) at the current
target :math:`y` and parameter values, over the shown prediction range unless it says otherwise:

- ``zero_at_target``: :math:`\ell(y, y) = 0` (a perfect prediction costs nothing);
- ``non_negative``: :math:`\ell(\hat y, y) \ge 0` on the range;
- ``symmetric``: :math:`\ell(y + d, y) = \ell(y - d, y)` (over- and under-predicting cost the same);
- ``convex``: second differences :math:`\ell_{i-1} - 2\ell_i + \ell_{i+1} \ge 0` on the grid
  (kinks such as ``abs`` count as convex);
- ``bounded_gradient``: :math:`|\partial\ell/\partial\hat y|` stops growing far from the target:
  its largest value for :math:`10 \le |\hat y - y| \le 1000` is at most 1 % above its largest value
  for :math:`|\hat y - y| \le 10` (MSE fails: 2000 vs 20; MAE, Huber, log-cosh pass). This is the
  "robust to outliers" property.

A check is True, False, or None when NaN/inf made it undecidable. These are numerical checks on
a grid, not proofs: a loss can pass "convex" on the range and bend outside it.
``nonfinite_intervals`` turns NaN/inf samples of a curve into x-intervals to shade on the chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from .losses.base import Loss

CHECKS = ("zero_at_target", "non_negative", "symmetric", "convex", "bounded_gradient")
ATOL = 1e-9
RTOL = 1e-6
NEAR, FAR = 10.0, 1000.0


@dataclass(frozen=True)
class CheckResult:
    name: str  # one of CHECKS; the i18n key is custom.check.<name>
    passed: bool | None  # None: NaN or inf made it undecidable
    values: dict = field(default_factory=dict)  # numbers for the message, e.g. where it fails
    reason: str = ""  # a more specific message: i18n key custom.check.<name>.<outcome>.<reason>


def _loss_and_grad(loss: Loss, pred: np.ndarray, target: float, params: dict) -> tuple[np.ndarray, np.ndarray]:
    leaf = torch.tensor(pred, dtype=torch.float64, requires_grad=True)
    values = loss(leaf, torch.full_like(leaf, float(target)), **params)
    (grad,) = torch.autograd.grad(values.sum(), leaf)
    return values.detach().numpy(), grad.numpy()


def _tolerance(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return ATOL + RTOL * (float(np.abs(finite).max()) if finite.size else 0.0)


def run_checks(loss: Loss, target: float, params: dict, x: np.ndarray) -> list[CheckResult]:
    """Every check in ``CHECKS`` order, for predictions ``x`` (a uniform grid) and one target."""
    x = np.asarray(x, dtype=np.float64)
    values, _ = _loss_and_grad(loss, x, target, params)
    results = []

    at_target, _ = _loss_and_grad(loss, np.array([float(target)]), target, params)
    zero = float(at_target[0])
    results.append(CheckResult("zero_at_target", None if not np.isfinite(zero) else abs(zero) <= ATOL,
                               {"value": zero}))

    finite = np.isfinite(values)
    lowest = int(np.argmin(np.where(finite, values, np.inf))) if finite.any() else 0
    results.append(CheckResult("non_negative", None if not finite.any() else
                               bool(values[lowest] >= -_tolerance(values)),
                               {"x": float(x[lowest]), "value": float(values[lowest])}))

    d = np.abs(x - target)
    right, _ = _loss_and_grad(loss, target + d, target, params)
    left, _ = _loss_and_grad(loss, target - d, target, params)
    both = np.isfinite(right) & np.isfinite(left)
    one_sided = np.isfinite(right) != np.isfinite(left)  # NaN on one side only: not symmetric
    with np.errstate(invalid="ignore"):
        gap = np.where(both, np.abs(right - left), np.where(one_sided, np.inf, 0.0))
    worst = int(np.argmax(gap))
    symmetric = bool((gap <= _tolerance(np.concatenate([right, left]))).all())
    results.append(CheckResult("symmetric", symmetric if both.any() or not symmetric else None,
                               {"d": float(d[worst]), "gap": float(gap[worst])},
                               reason="one_sided" if bool(one_sided[worst]) else ""))

    second = values[:-2] - 2.0 * values[1:-1] + values[2:]
    ok = np.isfinite(second)
    dip = int(np.argmin(np.where(ok, second, np.inf))) if ok.any() else 0
    convex = bool((second[ok] >= -_tolerance(values) * 4).all())
    results.append(CheckResult("convex", convex if ok.all() or not convex else None,
                               {"x": float(x[dip + 1])}))

    results.append(_bounded_gradient(loss, target, params))
    return results


def _bounded_gradient(loss: Loss, target: float, params: dict) -> CheckResult:
    near_r = np.linspace(-NEAR, NEAR, 401)
    far_r = np.concatenate([-np.geomspace(FAR, NEAR, 200), np.geomspace(NEAR, FAR, 200)])
    _, near = _loss_and_grad(loss, target + near_r, target, params)
    _, far = _loss_and_grad(loss, target + far_r, target, params)
    if not (np.isfinite(near).all() and np.isfinite(far).all()):
        return CheckResult("bounded_gradient", False if np.isinf(far).any() and np.isfinite(near).all() else None,
                           {"near": float(np.nanmax(np.abs(near), initial=0.0)), "far": float("inf")})
    near_max, far_max = float(np.abs(near).max()), float(np.abs(far).max())
    return CheckResult("bounded_gradient", far_max <= 1.01 * near_max + ATOL, {"near": near_max, "far": far_max})


def nonfinite_intervals(x: np.ndarray, *curves: np.ndarray) -> list[tuple[float, float]]:
    """Maximal runs of grid points where any curve is NaN or ±inf, as (x_start, x_end) padded by
    half a grid step on each side (clipped to the grid), for shading on a chart."""
    x = np.asarray(x, dtype=np.float64)
    bad = np.zeros(x.shape, dtype=bool)
    for curve in curves:
        bad |= ~np.isfinite(np.asarray(curve, dtype=np.float64))
    if not bad.any():
        return []
    half = 0.5 * (x[1] - x[0]) if x.size > 1 else 0.0
    edges = np.diff(np.concatenate([[0], bad.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return [(max(float(x[s]) - half, float(x[0])), min(float(x[e]) + half, float(x[-1])))
            for s, e in zip(starts, ends)]
