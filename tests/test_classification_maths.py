"""The classification lab's numbers against torch.nn.functional, closed forms and the paper formulas."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz import classification as lab

PROPERTY = settings(max_examples=40, deadline=None)
F64 = torch.float64


@st.composite
def lab_inputs(draw):
    k = draw(st.integers(2, 10))
    logits = draw(st.lists(st.floats(-10, 10), min_size=k, max_size=k))
    return {
        "logits": logits,
        "y": draw(st.integers(0, k - 1)),
        "temperature": draw(st.floats(0.1, 5.0)),
        "label_smoothing": draw(st.floats(0.0, 0.5)),
        "gamma": draw(st.floats(0.0, 5.0)),
        "alpha": draw(st.floats(0.0, 1.0)),
        "weight": draw(st.floats(0.0, 10.0)),
    }


def torch_losses(case):
    """The four losses written with torch.nn.functional directly (softmax focal by its formula)."""
    s = torch.tensor(case["logits"], dtype=F64)[None] / case["temperature"]
    y = torch.tensor([case["y"]])
    k = s.shape[1]
    weight = torch.ones(k, dtype=F64)
    weight[case["y"]] = case["weight"]
    ce = F.cross_entropy(s, y, reduction="none")
    p_y = torch.softmax(s, -1)[0, case["y"]]
    return {
        "ce": ce.item(),
        "smoothed_ce": F.cross_entropy(s, y, label_smoothing=case["label_smoothing"], reduction="none").item(),
        "focal": (case["alpha"] * (1 - p_y) ** case["gamma"] * ce).item(),
        "weighted_ce": F.cross_entropy(s, y, weight=weight, reduction="none").item(),
    }


@PROPERTY
@given(lab_inputs())
def test_four_losses_match_torch_functional(case):
    readout = lab.classification_readout(**case)
    expected = torch_losses(case)
    for name in lab.LOSS_KEYS:
        assert readout["losses"][name] == pytest.approx(expected[name], rel=1e-9, abs=1e-9), name


@PROPERTY
@given(lab_inputs())
def test_smoothed_target_sums_to_one_and_matches_torch_convention(case):
    k = len(case["logits"])
    target = lab.smoothed_target(k, case["y"], case["label_smoothing"])
    assert float(target.sum()) == pytest.approx(1.0, abs=1e-12)
    # CE against the explicit smoothed row equals F.cross_entropy(label_smoothing=ε) on the index
    s = torch.tensor(case["logits"], dtype=F64)[None]
    soft = F.cross_entropy(s, target[None], reduction="none")
    hard = F.cross_entropy(s, torch.tensor([case["y"]]), label_smoothing=case["label_smoothing"], reduction="none")
    torch.testing.assert_close(soft, hard)


@PROPERTY
@given(lab_inputs())
def test_ce_gradient_is_p_minus_y_over_temperature(case):
    readout = lab.classification_readout(**case)
    closed_ce = lab.cross_entropy_grad_closed_form(case["logits"], readout["onehot"], case["temperature"])
    closed_smooth = lab.cross_entropy_grad_closed_form(case["logits"], readout["target"], case["temperature"])
    np.testing.assert_allclose(readout["grads"]["ce"], closed_ce, atol=1e-10)
    np.testing.assert_allclose(readout["grads"]["smoothed_ce"], closed_smooth, atol=1e-10)


@PROPERTY
@given(lab_inputs())
def test_cross_entropy_is_entropy_plus_kl_and_kl_matches_f_kl_div(case):
    readout = lab.classification_readout(**case)
    s = torch.tensor(case["logits"], dtype=F64)[None] / case["temperature"]
    target = torch.tensor(readout["target"])[None]
    kl = F.kl_div(F.log_softmax(s, -1), target, reduction="none").sum().item()
    assert readout["kl"] == pytest.approx(kl, abs=1e-9)
    assert readout["cross_entropy"] == pytest.approx(readout["entropy"] + readout["kl"], abs=1e-9)


def test_issue_deep_link_case_matches_f_cross_entropy():
    """k=4, z=(2, 1, 0.5, -1), y=1, ε=0.1, γ=2 (the link the browser test opens)."""
    readout = lab.classification_readout([2, 1, 0.5, -1], 1, label_smoothing=0.1, gamma=2.0)
    z, y = torch.tensor([[2.0, 1.0, 0.5, -1.0]], dtype=F64), torch.tensor([1])
    assert readout["losses"]["ce"] == pytest.approx(F.cross_entropy(z, y).item(), abs=1e-12)
    assert readout["losses"]["smoothed_ce"] == pytest.approx(F.cross_entropy(z, y, label_smoothing=0.1).item(), abs=1e-12)
    np.testing.assert_allclose(readout["probs"], torch.softmax(z, -1)[0].numpy(), atol=1e-12)


def test_weighted_ce_with_mean_reduction_cancels_the_weight_for_one_sample():
    """Why the page shows reduction='none': PyTorch's 'mean' divides by the batch's weights."""
    z, y = torch.tensor([[2.0, 1.0, 0.5]], dtype=F64), torch.tensor([1])
    w = torch.tensor([1.0, 3.0, 1.0], dtype=F64)
    readout = lab.classification_readout([2.0, 1.0, 0.5], 1, weight=3.0)
    assert readout["losses"]["weighted_ce"] == pytest.approx(3.0 * readout["losses"]["ce"])
    assert F.cross_entropy(z, y, weight=w).item() == pytest.approx(readout["losses"]["ce"])


@pytest.mark.parametrize("k", [2, 3, 10])
@pytest.mark.parametrize("eps", [0.01, 0.1, 0.3])
def test_optimal_logit_gap_is_where_the_smoothed_ce_gradient_vanishes(k, eps):
    gap = lab.optimal_logit_gap(k, eps)
    z = torch.zeros(1, k, dtype=F64)
    z[0, 0] = gap
    z.requires_grad_(True)
    F.cross_entropy(z, torch.tensor([0]), label_smoothing=eps).backward()
    assert float(z.grad.abs().max()) < 1e-12
    assert torch.softmax(z, -1)[0, 0].item() == pytest.approx(lab.optimal_confidence(k, eps), abs=1e-12)
    # and it is a minimum: moving the gap either way raises the loss
    for delta in (-0.1, 0.1):
        moved = z.detach().clone()
        moved[0, 0] += delta
        assert F.cross_entropy(moved, torch.tensor([0]), label_smoothing=eps) > F.cross_entropy(
            z.detach(), torch.tensor([0]), label_smoothing=eps)


def test_optimal_logit_gap_is_infinite_without_smoothing():
    assert lab.optimal_logit_gap(5, 0.0) == math.inf


def test_focal_weight_ratio_for_easy_and_hard_examples():
    ratio = lab.focal_weight_ratio(2.0)
    assert ratio["factor"] == pytest.approx((0.9 / 0.1) ** 2)  # (1 - 0.1)^2 / (1 - 0.9)^2
    ce_ratio = math.log(0.1) / math.log(0.9)
    assert ratio["loss"] == pytest.approx(81 * ce_ratio)
    assert lab.focal_weight_ratio(0.0)["factor"] == 1.0


def test_margin_readout_matches_f_multi_margin_loss_and_is_zero_past_the_margin():
    z = [2.0, 1.0, 0.5, -1.0]
    readout = lab.margin_readout(z, 1, margin=1.0)
    zt = torch.tensor([z], dtype=F64, requires_grad=True)
    expected = F.multi_margin_loss(zt, torch.tensor([1]), margin=1.0, reduction="none")
    expected.sum().backward()
    assert readout["loss"] == pytest.approx(expected.item())
    np.testing.assert_allclose(readout["grad"], zt.grad[0].numpy(), atol=1e-12)
    easy = lab.margin_readout([5.0, 0.0, 0.0], 0, margin=1.0)
    assert easy["loss"] == 0.0 and not easy["grad"].any()


@pytest.mark.parametrize("bad", [{"y": 4}, {"y": -1}, {"temperature": 0.0}, {"label_smoothing": 1.5}])
def test_bad_inputs_raise_value_error(bad):
    args = {"logits": [1.0, 2.0, 3.0, 4.0], "y": 0} | bad
    with pytest.raises(ValueError):
        lab.classification_readout(**args)
