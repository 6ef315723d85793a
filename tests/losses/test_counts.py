"""Counts losses against torch.nn.functional.poisson_nll_loss and their written-out definitions."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz.losses import get_loss
from lossviz.losses.counts import poisson_nll_grad

F64 = torch.float64
PROPERTY = settings(max_examples=40, deadline=None)


def count_batch(dtype=F64):
    gen = torch.Generator().manual_seed(1)
    pred = 3.0 * torch.randn(64, generator=gen, dtype=dtype)
    target = torch.poisson(torch.full((64,), 3.0, dtype=dtype), generator=gen)
    return pred, target


def test_poisson_nll_matches_torch_with_log_input_and_no_stirling_term():
    pred, target = count_batch()
    expected = F.poisson_nll_loss(pred, target, log_input=True, full=False, reduction="none")
    torch.testing.assert_close(get_loss("poisson_nll")(pred, target), expected, rtol=0.0, atol=1e-6)


def test_poisson_nll_gradient_is_rate_minus_count():
    pred, target = count_batch()
    pred.requires_grad_(True)
    (grad,) = torch.autograd.grad(get_loss("poisson_nll")(pred, target).sum(), pred)
    torch.testing.assert_close(grad, poisson_nll_grad(pred.detach(), target))


@PROPERTY
@given(st.floats(0.05, 50.0))
def test_poisson_nll_is_smallest_at_log_of_the_count(count):
    target = torch.tensor([count] * 3, dtype=F64)
    best = math.log(count)
    values = get_loss("poisson_nll")(torch.tensor([best - 0.1, best, best + 0.1], dtype=F64), target)
    assert values[1] < values[0] and values[1] < values[2]


def test_msle_matches_its_definition_with_log1p():
    pred, target = count_batch()
    pred = pred.abs()  # where MSLE needs no flooring
    expected = torch.tensor([(math.log1p(p) - math.log1p(y)) ** 2 for p, y in zip(pred.tolist(), target.tolist())],
                            dtype=F64)
    torch.testing.assert_close(get_loss("msle")(pred, target), expected, rtol=0.0, atol=1e-12)


def test_msle_floors_negative_predictions_at_zero_with_zero_gradient():
    pred = torch.tensor([-3.0, -0.5, 0.0], dtype=F64, requires_grad=True)
    target = torch.tensor([2.0, 2.0, 2.0], dtype=F64)
    values = get_loss("msle")(pred, target)
    torch.testing.assert_close(values, torch.full((3,), math.log(3.0) ** 2, dtype=F64))
    (grad,) = torch.autograd.grad(values[:2].sum(), pred)
    assert grad[:2].abs().max() == 0.0


def test_mape_matches_scikit_learn_formula_one_sample_at_a_time():
    """sklearn.metrics.mean_absolute_percentage_error: |y - ŷ| / max(|y|, float64 eps), a fraction."""
    pred, target = count_batch()
    eps = np.finfo(np.float64).eps
    expected = np.abs(target.numpy() - pred.numpy()) / np.maximum(np.abs(target.numpy()), eps)
    np.testing.assert_allclose(get_loss("mape")(pred, target).numpy(), expected, rtol=1e-12)


def test_mape_is_a_fraction_and_asymmetric_in_the_prediction():
    target = torch.tensor([100.0, 100.0], dtype=F64)
    values = get_loss("mape")(torch.tensor([150.0, 50.0], dtype=F64), target)
    torch.testing.assert_close(values, torch.tensor([0.5, 0.5], dtype=F64))  # ±50 % both
    # but the loss is bounded by 1 for under-prediction and unbounded above
    assert float(get_loss("mape")(torch.tensor([0.0], dtype=F64), target[:1])) == 1.0
    assert float(get_loss("mape")(torch.tensor([1000.0], dtype=F64), target[:1])) == 9.0


@pytest.mark.parametrize("key", ["poisson_nll", "msle", "mape"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_finite_for_extreme_but_finite_inputs(key, dtype):
    pred = torch.tensor([-80.0, -1.0, 0.0, 1e-30, 30.0, 80.0], dtype=dtype, requires_grad=True)
    target = torch.tensor([0.0, 0.0, 1.0, 1e6, 0.0, 3.0], dtype=dtype)
    values = get_loss(key)(pred, target)
    (grad,) = torch.autograd.grad(values.sum(), pred)
    assert values.dtype == dtype and torch.isfinite(values).all() and torch.isfinite(grad).all()


@pytest.mark.parametrize("key", ["msle", "mape"])
@PROPERTY
@given(st.floats(0.0, 1e4))
def test_zero_loss_at_a_perfect_prediction(key, y):
    target = torch.tensor([y], dtype=F64)
    assert float(get_loss(key)(target.clone(), target)) == 0.0
