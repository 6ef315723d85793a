"""Regression losses against torch.nn.functional, hand-computed values and naive formulas."""

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz.losses import get_loss
from lossviz.losses.regression import REGRESSION_LOSSES, huber_grad, log_cosh_grad

F64 = torch.float64
PROPERTY = settings(max_examples=40, deadline=None)
finite_values = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


def residual_batch(dtype=F64):
    """Fixed target and predictions whose residuals cover both sides and both regimes."""
    gen = torch.Generator().manual_seed(0)
    target = torch.randn(64, generator=gen, dtype=dtype)
    pred = target + 3.0 * torch.randn(64, generator=gen, dtype=dtype)
    return pred, target


def close(actual, expected, tol=1e-6):
    torch.testing.assert_close(actual, expected, rtol=0.0, atol=tol)


def test_mse_matches_torch_mse_loss():
    pred, target = residual_batch()
    close(get_loss("mse")(pred, target), F.mse_loss(pred, target, reduction="none"))


def test_mae_matches_torch_l1_loss():
    pred, target = residual_batch()
    close(get_loss("mae")(pred, target), F.l1_loss(pred, target, reduction="none"))


@pytest.mark.parametrize("delta", [0.1, 0.5, 1.0, 2.5, 5.0])
def test_huber_matches_torch_huber_loss(delta):
    pred, target = residual_batch()
    expected = F.huber_loss(pred, target, delta=delta, reduction="none")
    close(get_loss("huber")(pred, target, delta=delta), expected)


@pytest.mark.parametrize("beta", [0.1, 0.5, 1.0, 2.5, 5.0])
def test_smooth_l1_matches_torch_smooth_l1_loss(beta):
    pred, target = residual_batch()
    expected = F.smooth_l1_loss(pred, target, beta=beta, reduction="none")
    close(get_loss("smooth_l1")(pred, target, beta=beta), expected)


def test_log_cosh_hand_computed_values():
    # log cosh 0 = log 1 = 0
    # log cosh 1 = log((e + 1/e) / 2) = log(1.5430806348152437) = 0.4337808304830271
    # log cosh(-2) = log cosh 2 = log((e² + e⁻²) / 2) = log(3.7621956910836314) = 1.3250027473578645
    # log cosh 0.5 = log(1.1276259652063807) = 0.12011450695827745
    pred = torch.tensor([3.0, 4.0, 1.0, 0.5], dtype=F64)
    target = torch.tensor([3.0, 3.0, 3.0, 0.0], dtype=F64)
    expected = torch.tensor([0.0, 0.4337808304830271, 1.3250027473578645, 0.12011450695827745], dtype=F64)
    close(get_loss("log_cosh")(pred, target), expected, tol=1e-12)


def test_log_cosh_matches_naive_log_of_cosh_at_moderate_residuals():
    pred, target = residual_batch()
    close(get_loss("log_cosh")(pred, target), torch.log(torch.cosh(pred - target)), tol=1e-12)


def test_log_cosh_stays_finite_where_naive_cosh_overflows_in_float32():
    r = torch.tensor([100.0, -1e4, 1e30], dtype=torch.float32)
    assert torch.isinf(torch.log(torch.cosh(r))).all()  # the naive form fails here
    values = get_loss("log_cosh")(r, torch.zeros_like(r))
    close(values, r.abs() - math.log(2.0), tol=1e-2)


def test_quantile_hand_computed_values():
    # τ = 0.25, u = y − ŷ = [1, −2, 0, 4]
    # u =  1 (under-predict): max(0.25·1, −0.75·1)  = 0.25
    # u = −2 (over-predict):  max(−0.5, −0.75·−2)   = 1.5
    # u =  0:                                        = 0
    # u =  4:                 max(0.25·4, −3)        = 1.0
    pred = torch.tensor([1.0, 3.0, 2.0, -1.0], dtype=F64)
    target = torch.tensor([2.0, 1.0, 2.0, 3.0], dtype=F64)
    expected = torch.tensor([0.25, 1.5, 0.0, 1.0], dtype=F64)
    close(get_loss("quantile")(pred, target, tau=0.25), expected, tol=1e-12)


@pytest.mark.parametrize("tau", [0.01, 0.1, 0.5, 0.9, 0.99])
def test_quantile_matches_naive_piecewise_formula(tau):
    pred, target = residual_batch()

    def naive(p, y):
        u = y - p
        return tau * u if u >= 0 else (tau - 1) * u

    expected = torch.tensor([naive(p, y) for p, y in zip(pred.tolist(), target.tolist())], dtype=F64)
    close(get_loss("quantile")(pred, target, tau=tau), expected, tol=1e-12)


def test_quantile_at_median_is_half_mae():
    pred, target = residual_batch()
    close(get_loss("quantile")(pred, target, tau=0.5), 0.5 * get_loss("mae")(pred, target), tol=1e-12)


@pytest.mark.parametrize("delta", [0.3, 1.0, 2.0])
def test_huber_gradient_is_residual_clipped_to_delta(delta):
    pred, target = residual_batch()
    pred.requires_grad_(True)
    (autograd,) = torch.autograd.grad(get_loss("huber")(pred, target, delta=delta).sum(), pred)
    close(autograd, huber_grad(pred.detach() - target, delta), tol=1e-12)


def test_log_cosh_gradient_is_tanh_of_residual():
    pred, target = residual_batch()
    pred.requires_grad_(True)
    (autograd,) = torch.autograd.grad(get_loss("log_cosh")(pred, target).sum(), pred)
    close(autograd, log_cosh_grad(pred.detach() - target), tol=1e-12)


@pytest.mark.parametrize("loss", REGRESSION_LOSSES, ids=lambda loss: loss.key)
@PROPERTY
@given(data=st.data())
def test_regression_loss_is_zero_at_perfect_prediction(loss, data):
    target = torch.tensor(data.draw(st.lists(finite_values, min_size=1, max_size=8)), dtype=F64)
    params = data.draw(st.fixed_dictionaries({p.name: st.floats(p.low, p.high) for p in loss.params}))
    assert torch.equal(loss(target.clone(), target, **params), torch.zeros_like(target))


@pytest.mark.parametrize("loss", REGRESSION_LOSSES, ids=lambda loss: loss.key)
@pytest.mark.parametrize("dtype", [torch.float32, F64])
@PROPERTY
@given(data=st.data())
def test_regression_loss_is_non_negative(loss, dtype, data):
    n = data.draw(st.integers(1, 8))
    pred = torch.tensor(data.draw(st.lists(finite_values, min_size=n, max_size=n)), dtype=dtype)
    target = torch.tensor(data.draw(st.lists(finite_values, min_size=n, max_size=n)), dtype=dtype)
    params = data.draw(st.fixed_dictionaries({p.name: st.floats(p.low, p.high) for p in loss.params}))
    values = loss(pred, target, **params)
    assert torch.isfinite(values).all() and (values >= 0).all()


@PROPERTY
@given(
    pred=st.lists(finite_values, min_size=1, max_size=8),
    shift=finite_values,
    delta=st.floats(0.1, 5.0),
)
def test_huber_equals_beta_times_smooth_l1_when_delta_equals_beta(pred, shift, delta):
    pred = torch.tensor(pred, dtype=F64)
    target = pred + shift
    huber = get_loss("huber")(pred, target, delta=delta)
    smooth_l1 = get_loss("smooth_l1")(pred, target, beta=delta)
    torch.testing.assert_close(huber, delta * smooth_l1, rtol=1e-12, atol=1e-12)
