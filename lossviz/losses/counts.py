r"""Losses for non-negative targets (counts, amounts, prices): ``pred`` (N,), ``target`` (N,) ≥ 0.

``pred`` is any real number; what it means depends on the loss:
- ``poisson_nll``: the log of the predicted rate, :math:`\log\lambda` (so the rate is positive);
- ``msle`` and ``mape``: the predicted quantity itself.
Targets must be finite and non-negative (a ``ValueError`` says so otherwise).
"""

from __future__ import annotations

import torch

from .base import Loss

# sklearn's mean_absolute_percentage_error divides by max(|y|, ε) with ε = float64's machine epsilon.
MAPE_EPSILON = float(torch.finfo(torch.float64).eps)


def poisson_nll(log_rate: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""Poisson negative log-likelihood with log-rate input, without the constant :math:`\log y!`:

    .. math:: \ell = e^{x} - y\,x,\quad x = \log\lambda

    PyTorch: ``F.poisson_nll_loss(x, y, log_input=True, full=False, reduction='none')``.
    Use it for count data (events per interval); the minimiser over x is :math:`\log y`.
    """
    y = target.to(log_rate.dtype)
    return torch.exp(log_rate) - y * log_rate


def poisson_nll_grad(log_rate: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r""":math:`\partial \ell / \partial x = e^{x} - y = \lambda - y`: predicted minus observed count."""
    return torch.exp(log_rate) - target


def msle(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""Squared log error :math:`\big(\log(1 + \max(\hat y, 0)) - \log(1 + y)\big)^2`.

    The prediction is floored at 0 as Keras's ``MeanSquaredLogarithmicError`` does (it uses
    ε = 1e-7), so a negative prediction counts as 0 and gets no gradient: put a softplus or exp
    on the model's output. PyTorch has no built-in; write
    ``(torch.log1p(pred.clamp_min(0)) - torch.log1p(target)) ** 2``.
    Use it when relative errors matter and targets span orders of magnitude (prices, counts).
    """
    y = target.to(pred.dtype)
    return (torch.log1p(pred.clamp_min(0.0)) - torch.log1p(y)) ** 2


def mape(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""Absolute percentage error, as a fraction: :math:`|\hat y - y| / \max(|y|, \varepsilon)`.

    ε is float64's machine epsilon, as in scikit-learn's ``mean_absolute_percentage_error``
    (a fraction, not ×100). At y = 0 the loss is huge: MAPE is meaningless for zero targets.
    PyTorch has no built-in; write ``(pred - target).abs() / target.abs().clamp_min(eps)``.
    Use it for forecasts reported as percentages; it punishes over-prediction more than under.
    """
    y = target.to(pred.dtype)
    return (pred - y).abs() / y.abs().clamp_min(MAPE_EPSILON)


COUNTS_LOSSES: tuple[Loss, ...] = (
    Loss(
        key="poisson_nll",
        family="counts",
        fn=poisson_nll,
        formula=r"\ell(x, y) = e^{x} - y\,x,\quad x = \log \lambda \ \text{(log-rate)}",
        torch_equivalent="F.poisson_nll_loss(pred, target, log_input=True, full=False, reduction='none')",
        reference="torch.nn.functional.poisson_nll_loss(log_input=True, full=False, reduction='none')",
    ),
    Loss(
        key="msle",
        family="counts",
        fn=msle,
        formula=r"\ell(\hat y, y) = \big(\log(1 + \max(\hat y, 0)) - \log(1 + y)\big)^2",
        torch_equivalent="(torch.log1p(pred.clamp_min(0)) - torch.log1p(target)) ** 2",
        reference="the definition with math.log1p in float64 (scikit-learn's formula for ŷ ≥ 0)",
    ),
    Loss(
        key="mape",
        family="counts",
        fn=mape,
        formula=r"\ell(\hat y, y) = \frac{|\hat y - y|}{\max(|y|,\ \varepsilon)},\quad \varepsilon = 2.2\times10^{-16}",
        torch_equivalent="(pred - target).abs() / target.abs().clamp_min(2.220446049250313e-16)",
        reference="scikit-learn's mean_absolute_percentage_error formula, one sample at a time, in float64",
    ),
)
