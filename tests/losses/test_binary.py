"""Binary losses against torch, torchvision's focal loss (vendored), hand values and naive formulas."""

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz.losses import get_loss
from lossviz.losses.binary import BINARY_LOSSES, bce_logit_grad
from tests.reference.torchvision_focal_loss import sigmoid_focal_loss

F64 = torch.float64
PROPERTY = settings(max_examples=40, deadline=None)
labels = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))


def logit_batch(soft=False, scale=4.0):
    """Moderate logits with hard (0/1) or soft labels."""
    gen = torch.Generator().manual_seed(1)
    z = scale * torch.randn(64, generator=gen, dtype=F64)
    y = torch.rand(64, generator=gen, dtype=F64) if soft else (torch.rand(64, generator=gen) < 0.5).to(F64)
    return z, y


def close(actual, expected, tol=1e-6):
    torch.testing.assert_close(actual, expected, rtol=0.0, atol=tol)


def params_of(loss):
    return st.fixed_dictionaries({p.name: st.floats(p.low, p.high) for p in loss.params})


@pytest.mark.parametrize("soft", [False, True])
@pytest.mark.parametrize("eps", [0.0, 0.1, 0.25, 0.5])
def test_bce_matches_torch_bce_with_logits_on_smoothed_targets(soft, eps):
    z, y = logit_batch(soft)
    expected = F.binary_cross_entropy_with_logits(z, y * (1 - eps) + eps / 2, reduction="none")
    close(get_loss("bce")(z, y, label_smoothing=eps), expected)


def test_bce_logit_gradient_is_sigmoid_minus_label():
    z, y = logit_batch(soft=True)
    z.requires_grad_(True)
    (autograd,) = torch.autograd.grad(get_loss("bce")(z, y).sum(), z)
    close(autograd, bce_logit_grad(z.detach(), y), tol=1e-12)


@pytest.mark.parametrize("soft", [False, True])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 3.3, 5.0])
@pytest.mark.parametrize("alpha", [-1.0, 0.0, 0.25, 0.6, 1.0])
def test_focal_matches_torchvision_sigmoid_focal_loss(soft, gamma, alpha):
    z, y = logit_batch(soft)
    expected = sigmoid_focal_loss(z, y, alpha=alpha, gamma=gamma, reduction="none")
    close(get_loss("focal")(z, y, gamma=gamma, alpha=alpha), expected)


@pytest.mark.parametrize("alpha", [-0.05, -0.5, -0.95])
def test_focal_treats_any_negative_alpha_as_off(alpha):
    """torchvision 0.29 accepts only -1 for 'off'; lossviz's slider treats every α < 0 as off."""
    z, y = logit_batch()
    with pytest.raises(ValueError):
        sigmoid_focal_loss(z, y, alpha=alpha)
    expected = sigmoid_focal_loss(z, y, alpha=-1, gamma=2.0, reduction="none")
    close(get_loss("focal")(z, y, gamma=2.0, alpha=alpha), expected)


def test_focal_hand_computed_values():
    # defaults γ = 2, α = 0.25.
    # z = 0, y = 1:     p = 0.5, p_t = 0.5, BCE = log 2, α_t = 0.25
    #                   FL = 0.25 · 0.5² · log 2 = 0.0625 · 0.693147… = 0.04332169878499658
    # z = log 3, y = 0: p = 0.75, p_t = 0.25, BCE = −log 0.25 = log 4, α_t = 0.75
    #                   FL = 0.75 · 0.75² · log 4 = 0.421875 · 1.386294… = 0.5848429335974539
    z = torch.tensor([0.0, math.log(3.0)], dtype=F64)
    y = torch.tensor([1.0, 0.0], dtype=F64)
    expected = torch.tensor([0.04332169878499658, 0.5848429335974539], dtype=F64)
    close(get_loss("focal")(z, y), expected, tol=1e-12)


@PROPERTY
@given(
    z=st.lists(st.floats(-30, 30), min_size=1, max_size=8),
    data=st.data(),
    eps=st.floats(0.0, 0.5),
    alpha=st.floats(-1.0, -1e-6),
)
def test_focal_equals_bce_when_gamma_zero_and_alpha_off(z, data, eps, alpha):
    z = torch.tensor(z, dtype=F64)
    y = torch.tensor(data.draw(st.lists(labels, min_size=len(z), max_size=len(z))), dtype=F64)
    y_smooth = y * (1 - eps) + eps / 2  # focal has no smoothing: feed it bce's smoothed label
    focal = get_loss("focal")(z, y_smooth, gamma=0.0, alpha=alpha)
    bce = get_loss("bce")(z, y, label_smoothing=eps)
    torch.testing.assert_close(focal, bce, rtol=1e-12, atol=1e-12)


def test_hinge_and_squared_hinge_hand_computed_values():
    # labels 0/1 → t = −1/+1; ℓ = max(0, m − t·z)
    # m = 1: z = 2,   y = 1 (t = +1): max(0, 1 − 2)    = 0      → squared 0
    #        z = 0.5, y = 1:          max(0, 1 − 0.5)  = 0.5    → 0.25
    #        z = −0.5, y = 1:         max(0, 1 + 0.5)  = 1.5    → 2.25
    #        z = 0.3, y = 0 (t = −1): max(0, 1 + 0.3)  = 1.3    → 1.69
    #        z = −3,  y = 0:          max(0, 1 − 3)    = 0      → 0
    z = torch.tensor([2.0, 0.5, -0.5, 0.3, -3.0], dtype=F64)
    y = torch.tensor([1.0, 1.0, 1.0, 0.0, 0.0], dtype=F64)
    close(get_loss("hinge")(z, y, margin=1.0), torch.tensor([0.0, 0.5, 1.5, 1.3, 0.0], dtype=F64), tol=1e-12)
    close(
        get_loss("squared_hinge")(z, y, margin=1.0),
        torch.tensor([0.0, 0.25, 2.25, 1.69, 0.0], dtype=F64),
        tol=1e-12,
    )
    # m = 0.5, z = 0.3, y = 1: max(0, 0.5 − 0.3) = 0.2 → squared 0.04
    one = torch.tensor([0.3], dtype=F64), torch.tensor([1.0], dtype=F64)
    close(get_loss("hinge")(*one, margin=0.5), torch.tensor([0.2], dtype=F64), tol=1e-12)
    close(get_loss("squared_hinge")(*one, margin=0.5), torch.tensor([0.04], dtype=F64), tol=1e-12)


@pytest.mark.parametrize("margin", [0.0, 0.5, 1.0, 3.0])
def test_hinge_and_squared_hinge_match_naive_python_formula(margin):
    z, y = logit_batch(soft=True)
    naive = [max(0.0, margin - (2 * b - 1) * a) for a, b in zip(z.tolist(), y.tolist())]
    expected = torch.tensor(naive, dtype=F64)
    close(get_loss("hinge")(z, y, margin=margin), expected, tol=1e-12)
    close(get_loss("squared_hinge")(z, y, margin=margin), expected**2, tol=1e-12)


@pytest.mark.parametrize("loss", BINARY_LOSSES, ids=lambda loss: loss.key)
@pytest.mark.parametrize("dtype", [torch.float32, F64])
@PROPERTY
@given(data=st.data())
def test_binary_loss_is_non_negative(loss, dtype, data):
    n = data.draw(st.integers(1, 8))
    z = torch.tensor(data.draw(st.lists(st.floats(-50, 50), min_size=n, max_size=n)), dtype=dtype)
    y = torch.tensor(data.draw(st.lists(labels, min_size=n, max_size=n)), dtype=dtype)
    values = loss(z, y, **data.draw(params_of(loss)))
    assert torch.isfinite(values).all() and (values >= 0).all()


@pytest.mark.parametrize("loss", BINARY_LOSSES, ids=lambda loss: loss.key)
@PROPERTY
@given(data=st.data())
def test_binary_loss_and_gradient_are_finite_for_logits_up_to_1e4_in_float32(loss, data):
    n = data.draw(st.integers(1, 8))
    extreme = st.one_of(st.sampled_from([-1e4, 1e4, 0.0]), st.floats(-1e4, 1e4, width=32))
    z = torch.tensor(data.draw(st.lists(extreme, min_size=n, max_size=n)), dtype=torch.float32)
    y = torch.tensor(data.draw(st.lists(labels, min_size=n, max_size=n)), dtype=torch.float32)
    z.requires_grad_(True)
    values = loss(z, y, **data.draw(params_of(loss)))
    (grad,) = torch.autograd.grad(values.sum(), z)
    assert torch.isfinite(values).all() and torch.isfinite(grad).all()
