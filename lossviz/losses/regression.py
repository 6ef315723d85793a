r"""Regression losses: ``pred`` (N,) and ``target`` (N,) floats, one loss per sample.

Every loss here is a function of the residual :math:`r = \hat y - y` alone (quantile uses
:math:`y - \hat y`, as in the literature), so all of them are zero at a perfect prediction.
Closed-form gradients that teach something sit next to their loss: Huber's gradient is the
residual clipped to [−δ, δ], log-cosh's is tanh(r), a smooth sign.
"""

from __future__ import annotations

import torch

from .base import Loss
from .params import BETA, DELTA, TAU


def _residual(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return pred - target.to(pred.dtype)


def mse(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""Squared error :math:`(\hat y - y)^2`.

    PyTorch: ``F.mse_loss(pred, target, reduction='none')``.
    Use it when errors are roughly Gaussian and large mistakes should cost quadratically more.
    """
    return _residual(pred, target) ** 2


def mae(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""Absolute error :math:`|\hat y - y|`.

    PyTorch: ``F.l1_loss(pred, target, reduction='none')``.
    Use it when outliers should not dominate: it predicts the median, and its gradient is ±1.
    """
    return _residual(pred, target).abs()


def huber(pred: torch.Tensor, target: torch.Tensor, delta: float) -> torch.Tensor:
    r"""Huber loss: quadratic near zero, linear beyond :math:`\delta`.

    .. math:: \ell_\delta(r) = \tfrac12 r^2 \text{ if } |r| \le \delta, \text{ else }
              \delta\,(|r| - \tfrac12\delta)

    PyTorch: ``F.huber_loss(pred, target, delta=delta, reduction='none')``.
    Use it for regression with occasional outliers: MSE near the target, MAE far from it.
    """
    r = _residual(pred, target)
    abs_r = r.abs()
    return torch.where(abs_r <= delta, 0.5 * r**2, delta * (abs_r - 0.5 * delta))


def huber_grad(r: torch.Tensor, delta: float) -> torch.Tensor:
    r""":math:`\partial \ell_\delta / \partial \hat y = \operatorname{clip}(r, -\delta, \delta)`:
    the MSE gradient (÷2), capped, so one outlier can pull at most with force δ."""
    return r.clamp(-delta, delta)


def smooth_l1(pred: torch.Tensor, target: torch.Tensor, beta: float) -> torch.Tensor:
    r"""Smooth L1: :math:`0.5 r^2/\beta` if :math:`|r| < \beta`, else :math:`|r| - 0.5\beta`.

    Equals ``huber(delta=β) / β``: same knee, but the linear part has slope 1 whatever β is.
    PyTorch: ``F.smooth_l1_loss(pred, target, beta=beta, reduction='none')``.
    Use it for box regression in detectors (Fast R-CNN), where it was introduced.
    """
    r = _residual(pred, target)
    abs_r = r.abs()
    return torch.where(abs_r < beta, 0.5 * r**2 / beta, abs_r - 0.5 * beta)


def log_cosh(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""Log-cosh: :math:`\log\cosh r = |r| + \log(1 + e^{-2|r|}) - \log 2`.

    The right-hand form is the stable one: ``cosh`` overflows for |r| > ~89 in float32.
    It is evaluated as :math:`|r| + \log\big(1 + \tfrac12(e^{-2|r|} - 1)\big)` (``log1p``,
    ``expm1``): the same expression with the −log 2 folded in, so that near r = 0, where the
    true value is r²/2, rounding cannot make it negative.
    PyTorch (naive, overflows): ``torch.log(torch.cosh(pred - target))``.
    Use it as a twice-differentiable Huber: ≈ r²/2 near zero, ≈ |r| − log 2 far away.
    """
    abs_r = _residual(pred, target).abs()
    log_cosh_r = abs_r + torch.log1p(torch.expm1(-2.0 * abs_r) / 2.0)  # = |r| + softplus(-2|r|) - log 2
    return log_cosh_r.clamp_min(0.0)  # log1p can round one ulp low for subnormal |r| (< 1e-37)


def log_cosh_grad(r: torch.Tensor) -> torch.Tensor:
    r""":math:`\partial \log\cosh(r) / \partial \hat y = \tanh r`: a smooth sign, bounded by 1."""
    return torch.tanh(r)


def quantile(pred: torch.Tensor, target: torch.Tensor, tau: float) -> torch.Tensor:
    r"""Quantile (pinball) loss with :math:`u = y - \hat y`:
    :math:`\max(\tau u, (\tau - 1) u)`.

    Under-predicting costs τ per unit, over-predicting 1 − τ, so the minimiser is the
    τ-quantile; τ = 0.5 gives half the MAE. PyTorch has no built-in; write
    ``torch.maximum(tau * (target - pred), (tau - 1) * (target - pred))``.
    Use it for prediction intervals and forecasts of a quantile rather than the mean.
    """
    u = -_residual(pred, target)
    return torch.maximum(tau * u, (tau - 1.0) * u)


REGRESSION_LOSSES: tuple[Loss, ...] = (
    Loss(
        key="mse",
        family="regression",
        fn=mse,
        formula=r"\ell(\hat y, y) = (\hat y - y)^2",
        torch_equivalent="F.mse_loss(pred, target, reduction='none')",
        reference="torch.nn.functional.mse_loss(reduction='none')",
    ),
    Loss(
        key="mae",
        family="regression",
        fn=mae,
        formula=r"\ell(\hat y, y) = |\hat y - y|",
        torch_equivalent="F.l1_loss(pred, target, reduction='none')",
        reference="torch.nn.functional.l1_loss(reduction='none')",
    ),
    Loss(
        key="huber",
        family="regression",
        fn=huber,
        formula=(
            r"\ell_\delta(r) = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\"
            r" \delta\,\left(|r| - \tfrac12 \delta\right) & |r| > \delta \end{cases},"
            r"\quad r = \hat y - y"
        ),
        torch_equivalent="F.huber_loss(pred, target, delta={delta}, reduction='none')",
        params=(DELTA,),
        reference="torch.nn.functional.huber_loss(reduction='none') at several δ",
    ),
    Loss(
        key="smooth_l1",
        family="regression",
        fn=smooth_l1,
        formula=(
            r"\ell_\beta(r) = \begin{cases} \dfrac{0.5\, r^2}{\beta} & |r| < \beta \\"
            r" |r| - 0.5\,\beta & |r| \ge \beta \end{cases},\quad r = \hat y - y"
        ),
        torch_equivalent="F.smooth_l1_loss(pred, target, beta={beta}, reduction='none')",
        params=(BETA,),
        reference="torch.nn.functional.smooth_l1_loss(reduction='none') at several β",
    ),
    Loss(
        key="log_cosh",
        family="regression",
        fn=log_cosh,
        formula=(
            r"\ell(r) = \log\cosh r = |r| + \log\left(1 + e^{-2|r|}\right) - \log 2,"
            r"\quad r = \hat y - y"
        ),
        torch_equivalent="torch.log(torch.cosh(pred - target))",
        reference="hand-computed values and the naive log(cosh(r)) in float64 at moderate r",
    ),
    Loss(
        key="quantile",
        family="regression",
        fn=quantile,
        formula=r"\ell_\tau(u) = \max\big(\tau\, u,\ (\tau - 1)\, u\big),\quad u = y - \hat y",
        torch_equivalent="torch.maximum({tau} * (target - pred), ({tau} - 1) * (target - pred))",
        params=(TAU,),
        reference="hand-computed values and a naive piecewise formula in float64",
    ),
)
