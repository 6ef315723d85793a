"""Segmentation losses against their papers' formulas written out pixel by pixel."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz.losses import get_loss

F64 = torch.float64
PROPERTY = settings(max_examples=40, deadline=None)


def masks(dtype=F64):
    gen = torch.Generator().manual_seed(2)
    logits = 2.0 * torch.randn(5, 16, generator=gen, dtype=dtype)
    hard = (torch.rand(5, 16, generator=gen) > 0.7).to(dtype)
    hard[1] = 0.0  # an empty mask
    return logits, hard


def written_out(logits, target, alpha, beta, smooth):
    """Σ over pixels with Python floats: (TP, FP, FN, Tversky index) per image."""
    rows = []
    for z_row, y_row in zip(logits.tolist(), target.tolist()):
        p = [1 / (1 + math.exp(-z)) for z in z_row]
        tp = sum(pi * yi for pi, yi in zip(p, y_row))
        fp = sum(pi * (1 - yi) for pi, yi in zip(p, y_row))
        fn = sum((1 - pi) * yi for pi, yi in zip(p, y_row))
        rows.append((tp + smooth) / (tp + alpha * fp + beta * fn + smooth))
    return torch.tensor(rows, dtype=F64)


@pytest.mark.parametrize("smooth", [0.0, 1.0, 5.0])
def test_dice_matches_the_v_net_formula(smooth):
    logits, target = masks()
    expected = []
    for z_row, y_row in zip(logits.tolist(), target.tolist()):
        p = [1 / (1 + math.exp(-z)) for z in z_row]
        expected.append(1 - (2 * sum(a * b for a, b in zip(p, y_row)) + smooth) / (sum(y_row) + sum(p) + smooth))
    torch.testing.assert_close(get_loss("dice")(logits, target, smooth=smooth), torch.tensor(expected, dtype=F64))


@pytest.mark.parametrize("alpha, beta, smooth", [(0.3, 0.7, 1.0), (0.7, 0.3, 0.0), (1.0, 1.0, 2.0)])
def test_tversky_matches_salehi_formula(alpha, beta, smooth):
    logits, target = masks()
    expected = 1 - written_out(logits, target, alpha, beta, smooth)
    actual = get_loss("tversky")(logits, target, tversky_alpha=alpha, tversky_beta=beta, smooth=smooth)
    torch.testing.assert_close(actual, expected)


@pytest.mark.parametrize("gamma", [1.0, 4 / 3, 3.0])
def test_focal_tversky_is_tversky_to_the_power_one_over_gamma(gamma):
    logits, target = masks()
    expected = (1 - written_out(logits, target, 0.3, 0.7, 1.0)) ** (1 / gamma)
    torch.testing.assert_close(get_loss("focal_tversky")(logits, target, tversky_gamma=gamma), expected)


def test_tversky_with_equal_halves_and_no_smoothing_is_dice():
    logits, target = masks()
    tversky = get_loss("tversky")(logits, target, tversky_alpha=0.5, tversky_beta=0.5, smooth=0.0)
    torch.testing.assert_close(tversky, get_loss("dice")(logits, target, smooth=0.0))


def test_beta_above_alpha_punishes_missed_foreground_more():
    logits = torch.tensor([[-4.0, -4.0, 4.0, 4.0]], dtype=F64)  # misses pixel 0, hits 2 of 3
    missed = torch.tensor([[1.0, 1.0, 1.0, 1.0]], dtype=F64)  # 2 false negatives, no false positive
    recall_first = get_loss("tversky")(logits, missed, tversky_alpha=0.3, tversky_beta=0.7)
    precision_first = get_loss("tversky")(logits, missed, tversky_alpha=0.7, tversky_beta=0.3)
    assert recall_first > precision_first


@pytest.mark.parametrize("key", ["dice", "tversky", "focal_tversky"])
@PROPERTY
@given(st.lists(st.floats(-30, 30), min_size=4, max_size=4), st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=4,
                                                                       max_size=4))
def test_losses_lie_in_zero_one(key, z, y):
    value = get_loss(key)(torch.tensor([z], dtype=F64), torch.tensor([y], dtype=F64))
    assert 0.0 <= float(value) <= 1.0


@pytest.mark.parametrize("key", ["dice", "tversky", "focal_tversky"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_saturated_logits_and_empty_masks_stay_finite_without_smoothing(key, dtype):
    """σ(−200) is 0 in float32: an empty mask predicted empty would be 0/0 without a floor."""
    logits = torch.tensor([[-200.0, -200.0], [200.0, -200.0], [0.0, 1e4]], dtype=dtype, requires_grad=True)
    target = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], dtype=dtype)
    values = get_loss(key)(logits, target, smooth=0.0)
    (grad,) = torch.autograd.grad(values.sum(), logits)
    assert values.dtype == dtype and torch.isfinite(values).all() and torch.isfinite(grad).all()
    assert float(values[1].detach()) == pytest.approx(0.0, abs=1e-6)  # a perfect mask
