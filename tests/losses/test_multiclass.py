"""Multiclass losses against torch.nn.functional, hand values and the CE = H + KL identity."""

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz.losses import get_loss
from lossviz.losses.multiclass import MULTICLASS_LOSSES, cross_entropy_logit_grad

F64 = torch.float64
PROPERTY = settings(max_examples=40, deadline=None)
N, K = 32, 5


def logits_batch(dtype=F64):
    gen = torch.Generator().manual_seed(2)
    logits = 3.0 * torch.randn(N, K, generator=gen, dtype=dtype)
    index = torch.randint(0, K, (N,), generator=gen)
    probs = torch.softmax(2.0 * torch.randn(N, K, generator=gen, dtype=dtype), dim=-1)
    probs[:4, 0] = 0.0  # exact zeros: 0·log 0 must count as 0
    probs[:4] /= probs[:4].sum(-1, keepdim=True)
    weight = torch.rand(K, generator=gen, dtype=dtype) + 0.2
    return logits, index, probs, weight


def close(actual, expected, tol=1e-6):
    torch.testing.assert_close(actual, expected, rtol=0.0, atol=tol)


@st.composite
def multiclass_inputs(draw, dtype=F64, low=-50.0, high=50.0, soft=True):
    """(logits (n, k), target): class indices, or normalised probability rows when soft."""
    n, k = draw(st.integers(1, 4)), draw(st.integers(2, 5))
    values = st.floats(low, high, width=32) if dtype == torch.float32 else st.floats(low, high)
    logits = torch.tensor(draw(st.lists(st.lists(values, min_size=k, max_size=k), min_size=n, max_size=n)), dtype=dtype)
    if soft and draw(st.booleans()):
        raw = draw(st.lists(st.lists(st.floats(0.0, 1.0), min_size=k, max_size=k), min_size=n, max_size=n))
        raw = torch.tensor(raw, dtype=dtype) + torch.eye(k, dtype=dtype)[0]  # no all-zero rows
        return logits, raw / raw.sum(-1, keepdim=True)
    return logits, torch.tensor(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.3, 0.5])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("target_kind", ["index", "probs"])
def test_cross_entropy_matches_torch_cross_entropy(eps, weighted, target_kind):
    logits, index, probs, weight = logits_batch()
    target = index if target_kind == "index" else probs
    w = weight if weighted else None
    expected = F.cross_entropy(logits, target, weight=w, label_smoothing=eps, reduction="none")
    close(get_loss("cross_entropy")(logits, target, label_smoothing=eps, weight=w), expected)


def test_cross_entropy_logit_gradient_is_softmax_minus_target():
    logits, _, probs, _ = logits_batch()
    logits.requires_grad_(True)
    (autograd,) = torch.autograd.grad(get_loss("cross_entropy")(logits, probs).sum(), logits)
    close(autograd, cross_entropy_logit_grad(logits.detach(), probs), tol=1e-12)


def test_focal_multiclass_equals_cross_entropy_when_gamma_zero_and_no_alpha():
    logits, index, _, _ = logits_batch()
    focal = get_loss("focal_multiclass")(logits, index, gamma=0.0)
    close(focal, get_loss("cross_entropy")(logits, index), tol=1e-12)


def test_focal_multiclass_hand_computed_values():
    # logits (0, log 3), true class 0: p_0 = 1 / (1 + 3) = 0.25, 1 − p_0 = 0.75, −log p_0 = log 4
    # γ = 2: FL = 0.75² · log 4 = 0.5625 · 1.3862943611198906 = 0.7797905781299385
    # α = (0.4, 1.6): FL = 0.4 · 0.7797905781299385 = 0.3119162312519754
    # γ = 0: FL = log 4 (plain cross-entropy)
    logits = torch.tensor([[0.0, math.log(3.0)]], dtype=F64)
    target = torch.tensor([0])
    loss = get_loss("focal_multiclass")
    close(loss(logits, target, gamma=2.0), torch.tensor([0.7797905781299385], dtype=F64), tol=1e-12)
    alpha = torch.tensor([0.4, 1.6], dtype=F64)
    close(loss(logits, target, gamma=2.0, alpha=alpha), torch.tensor([0.3119162312519754], dtype=F64), tol=1e-12)
    close(loss(logits, target, gamma=0.0), torch.tensor([math.log(4.0)], dtype=F64), tol=1e-12)


@pytest.mark.parametrize("gamma", [0.5, 2.0, 4.0])
def test_focal_multiclass_matches_naive_softmax_formula(gamma):
    logits, index, _, weight = logits_batch()
    p_y = torch.softmax(logits, -1).gather(1, index[:, None]).squeeze(1)
    expected = -weight[index] * (1 - p_y) ** gamma * torch.log(p_y)
    close(get_loss("focal_multiclass")(logits, index, gamma=gamma, alpha=weight), expected)


@pytest.mark.parametrize("margin", [0.0, 0.5, 1.0, 3.0])
def test_multi_margin_matches_torch_multi_margin_loss(margin):
    logits, index, _, _ = logits_batch()
    expected = F.multi_margin_loss(logits, index, p=1, margin=margin, reduction="none")
    close(get_loss("multi_margin")(logits, index, margin=margin), expected)


def test_kl_div_matches_torch_kl_div_summed_over_classes():
    logits, _, probs, _ = logits_batch()
    expected = F.kl_div(F.log_softmax(logits, -1), probs, reduction="none").sum(-1)
    values = get_loss("kl_div")(logits, probs)
    assert torch.isfinite(values).all()  # rows 0-3 hold exact zeros
    close(values, expected)


def test_kl_div_treats_class_indices_as_one_hot():
    logits, index, _, _ = logits_batch()
    one_hot = F.one_hot(index, K).to(F64)
    close(get_loss("kl_div")(logits, index), get_loss("kl_div")(logits, one_hot), tol=1e-12)
    close(get_loss("kl_div")(logits, index), F.cross_entropy(logits, index, reduction="none"), tol=1e-12)


@PROPERTY
@given(inputs=multiclass_inputs())
def test_kl_div_equals_soft_cross_entropy_minus_target_entropy(inputs):
    logits, target = inputs
    probs = target if target.dim() == 2 else F.one_hot(target, logits.shape[1]).to(F64)
    entropy = -torch.xlogy(probs, probs).sum(-1)
    ce = get_loss("cross_entropy")(logits, target)
    torch.testing.assert_close(get_loss("kl_div")(logits, target), ce - entropy, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("loss", MULTICLASS_LOSSES, ids=lambda loss: loss.key)
@pytest.mark.parametrize("dtype", [torch.float32, F64])
@PROPERTY
@given(data=st.data())
def test_multiclass_loss_is_non_negative(loss, dtype, data):
    logits, target = data.draw(multiclass_inputs(dtype, soft=loss.accepts_soft_targets))
    params = data.draw(st.fixed_dictionaries({p.name: st.floats(p.low, p.high) for p in loss.params}))
    values = loss(logits, target, **params)
    assert torch.isfinite(values).all() and (values >= 0).all()


@pytest.mark.parametrize("loss", MULTICLASS_LOSSES, ids=lambda loss: loss.key)
@PROPERTY
@given(data=st.data())
def test_multiclass_loss_and_gradient_are_finite_for_logits_up_to_1e4_in_float32(loss, data):
    logits, target = data.draw(multiclass_inputs(torch.float32, -1e4, 1e4, soft=loss.accepts_soft_targets))
    logits[0, 0] = 1e4  # at least one saturated logit in every example
    if logits.shape[1] > 2:
        logits[0, 1] = -1e4
    params = data.draw(st.fixed_dictionaries({p.name: st.floats(p.low, p.high) for p in loss.params}))
    logits.requires_grad_(True)
    values = loss(logits, target, **params)
    (grad,) = torch.autograd.grad(values.sum(), logits)
    assert torch.isfinite(values).all() and torch.isfinite(grad).all()


@pytest.mark.parametrize(
    "key, option", [("cross_entropy", "weight"), ("focal_multiclass", "alpha")]
)
@pytest.mark.parametrize(
    "bad",
    [torch.ones(3, dtype=F64), torch.ones(K, dtype=torch.long), torch.full((K,), -1.0, dtype=F64), [1.0] * K],
    ids=["wrong_length", "integer", "negative", "list"],
)
def test_class_weight_option_must_be_one_non_negative_float_per_class(key, option, bad):
    logits, index, _, _ = logits_batch()
    with pytest.raises(ValueError, match=option):
        get_loss(key)(logits, index, **{option: bad})
