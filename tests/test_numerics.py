"""The stability lab against F.log_softmax / torch.softmax per dtype and IEEE facts."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz import numerics

PROPERTY = settings(max_examples=60, deadline=None)
logit_lists = st.lists(st.floats(-1e4, 1e4), min_size=2, max_size=8)


@PROPERTY
@given(logit_lists)
def test_log_sum_exp_row_equals_f_log_softmax_in_every_dtype(logits):
    for name, dtype in numerics.DTYPES.items():
        results = numerics.softmax_three_ways(logits, dtype)
        z = torch.tensor(logits, dtype=torch.float64).to(dtype)
        expected = F.log_softmax(z, dim=-1).to(torch.float64).numpy()
        np.testing.assert_array_equal(results[("log_sum_exp", "log_softmax")], expected)
        # and it is close to the float64 truth, up to the dtype's rounding of z and of the result
        truth = numerics.truth(z.to(torch.float64).tolist())["log_softmax"]
        np.testing.assert_allclose(expected, truth, rtol=torch.finfo(dtype).eps * 2, atol=torch.finfo(dtype).eps * 4)
        assert np.isfinite(results[("log_sum_exp", "log_softmax")]).all(), name


@PROPERTY
@given(logit_lists)
def test_stable_methods_never_give_nan_and_max_subtraction_softmax_matches_torch(logits):
    table = numerics.stability_table(logits)
    for (method, output, dtype), status in table["status"].items():
        if method != "naive":
            assert "nan" not in status, (method, output, dtype)
        if method == "log_sum_exp" and output == "log_softmax":
            assert "inf" not in status  # (a log p of -3e-4 may still round to 0 in bfloat16)
    for name, dtype in numerics.DTYPES.items():
        z = torch.tensor(logits, dtype=torch.float64).to(dtype)
        np.testing.assert_allclose(table["results"][("max_subtraction", "softmax", name)],
                                   torch.softmax(z, -1).to(torch.float64).numpy(), atol=2 * torch.finfo(dtype).eps)


def test_truth_is_float64_log_softmax():
    logits = [100.0, 99.0, -800.0]
    truth = numerics.truth(logits)
    np.testing.assert_allclose(truth["log_softmax"], F.log_softmax(torch.tensor(logits, dtype=torch.float64), -1))
    assert truth["log_softmax"][2] == pytest.approx(-900.3132617, abs=1e-6)


@pytest.mark.parametrize("dtype, overflow_at", [("float16", 12.0), ("bfloat16", 89.0), ("float32", 89.0),
                                                ("float64", 710.0)])
def test_naive_softmax_overflows_to_nan_exactly_where_exp_overflows(dtype, overflow_at):
    assert math.isinf(float(torch.exp(torch.tensor(overflow_at, dtype=numerics.DTYPES[dtype]))))
    table = numerics.stability_table([overflow_at, 0.0])
    assert table["status"][("naive", "softmax", dtype)][0] == "nan"  # inf / inf
    assert table["status"][("max_subtraction", "softmax", dtype)] == ["ok", "ok"]
    below = numerics.stability_table([overflow_at - 2.0, 0.0])
    assert "nan" not in below["status"][("naive", "softmax", dtype)]


def test_max_subtraction_log_softmax_hits_minus_inf_where_log_sum_exp_stays_finite():
    table = numerics.stability_table([100.0, 99.0, -800.0])
    assert table["status"][("max_subtraction", "log_softmax", "float64")] == ["ok", "ok", "inf"]
    assert table["status"][("log_sum_exp", "log_softmax", "float64")] == ["ok", "ok", "ok"]


@pytest.mark.parametrize("value, truth, expected", [(math.nan, 1.0, "nan"), (-math.inf, -900.0, "inf"),
                                                    (0.0, 1e-5, "zero"), (0.0, 0.0, "ok"), (0.5, 0.5, "ok")])
def test_classify(value, truth, expected):
    assert numerics.classify(value, truth) == expected


def test_epsilon_caps_loss_and_gradient():
    curves = numerics.epsilon_in_log_curves([0.0, 1e-4])
    p = curves["p"]
    np.testing.assert_allclose(curves["loss"][1e-4], -np.log(p + 1e-4))
    np.testing.assert_allclose(curves["grad"][1e-4], -1 / (p + 1e-4))
    assert curves["loss"][1e-4].max() <= -math.log(1e-4) + 1e-12
    assert curves["loss"][1e-4][-1] < 0  # p = 1: -log(1 + eps)


@pytest.mark.parametrize("dtype", list(numerics.DTYPES))
def test_bce_over_logit_stable_form_matches_functional_and_clipping_kills_the_gradient(dtype):
    curves = numerics.bce_over_logit(numerics.DTYPES[dtype])
    z = torch.tensor(curves["z"]).to(numerics.DTYPES[dtype])
    expected = F.binary_cross_entropy_with_logits(z, torch.ones_like(z), reduction="none").double().numpy()
    np.testing.assert_allclose(curves["logits"], expected)
    assert np.isfinite(curves["logits"]).all() and np.isfinite(curves["logits_grad"]).all()
    very_wrong = curves["z"] < -20
    assert np.all(curves["clipped_grad"][very_wrong] == 0)  # clip: no gradient where most wrong
    np.testing.assert_allclose(curves["logits_grad"][very_wrong], -1.0, atol=1e-6)


def test_float16_naive_log_sigmoid_is_inf_where_the_logits_form_is_finite():
    curves = numerics.bce_over_logit(torch.float16)
    very_wrong = curves["z"] <= -20  # sigmoid(-20) = 2e-9 underflows float16 (smallest 6e-8)
    assert np.isinf(curves["naive"][very_wrong]).all()
    np.testing.assert_allclose(curves["logits"][very_wrong], -curves["z"][very_wrong], rtol=1e-3)


def test_float32_naive_log_sigmoid_is_inf_once_exp_minus_z_overflows():
    curves = numerics.bce_over_logit(torch.float32)
    assert np.isinf(curves["naive"][curves["z"] < -89]).all()  # e^89 > float32 max, sigma = 1/inf = 0
    assert np.isfinite(curves["naive"][curves["z"] > -88]).all()
    assert np.isfinite(curves["logits"]).all()
