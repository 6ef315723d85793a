"""The lab's "why" curves against closed forms, F.binary_cross_entropy_with_logits and torchvision's focal loss."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lossviz import classification_curves as curves
from tests.reference.torchvision_focal_loss import sigmoid_focal_loss


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def test_sigmoid_mse_gradient_vanishes_when_confidently_wrong_but_bce_does_not():
    c = curves.sigmoid_mse_vs_bce()
    z = torch.tensor(c["x"])
    np.testing.assert_allclose(c["ce"], F.binary_cross_entropy_with_logits(z, torch.ones_like(z), reduction="none"),
                               atol=1e-12)
    s = sigmoid(c["x"])
    np.testing.assert_allclose(c["ce_grad"], s - 1.0, atol=1e-12)
    np.testing.assert_allclose(c["mse_grad"], 2 * (s - 1) * s * (1 - s), atol=1e-12)
    assert abs(c["mse_grad"][0]) < 1e-3 and c["ce_grad"][0] == pytest.approx(-1.0, abs=1e-4)  # z = -10


@pytest.mark.parametrize("k", [2, 4, 10])
def test_softmax_mse_vs_ce_against_functional(k):
    c = curves.softmax_mse_vs_ce(k)
    z = torch.tensor(c["x"])
    logits = torch.cat([z[:, None], torch.zeros(len(z), k - 1, dtype=z.dtype)], 1)
    target = torch.zeros(len(z), dtype=torch.long)
    np.testing.assert_allclose(c["ce"], F.cross_entropy(logits, target, reduction="none"), atol=1e-12)
    onehot = F.one_hot(target, k).double()
    mse = F.mse_loss(torch.softmax(logits, 1), onehot, reduction="none").sum(1)
    np.testing.assert_allclose(c["mse"], mse, atol=1e-12)
    np.testing.assert_allclose(c["ce_grad"], torch.softmax(logits, 1)[:, 0] - 1, atol=1e-12)
    assert abs(c["mse_grad"][0]) < 1e-3 < abs(c["ce_grad"][0])


def test_focal_curves_match_torchvision_and_gamma_zero_is_ce():
    c = curves.focal_curves()
    p_t = torch.tensor(c["p_t"])
    z = torch.log(p_t) - torch.log1p(-p_t)
    for gamma in curves.FOCAL_GAMMAS:
        reference = sigmoid_focal_loss(z, torch.ones_like(z), alpha=-1, gamma=gamma, reduction="none")
        np.testing.assert_allclose(c["loss"][gamma], reference.numpy(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(c["factor"][gamma], (1 - c["p_t"]) ** gamma, atol=1e-12)
    np.testing.assert_allclose(c["loss"][0.0], -np.log(c["p_t"]), atol=1e-12)


def test_label_smoothing_curves_gap_and_confidence():
    c = curves.label_smoothing_curves(5)
    np.testing.assert_allclose(c["gap"], np.log(5 * (1 - c["eps"]) / c["eps"] + 1))
    # softmax of (gap, 0, 0, 0, 0) is the optimal confidence
    np.testing.assert_allclose(np.exp(c["gap"]) / (np.exp(c["gap"]) + 4), c["confidence"], atol=1e-12)
    assert np.all(np.diff(c["gap"]) < 0)  # more smoothing, smaller gap


@pytest.mark.parametrize("k", [2, 3, 10])
def test_logit_gradient_is_p_minus_one_and_probability_gradient_is_minus_one_over_p(k):
    c = curves.logit_vs_prob_gradients(k)
    for name in ("bce", "ce"):
        np.testing.assert_allclose(c[name + "_grad_z"], c["p"] - 1, atol=1e-10)
        np.testing.assert_allclose(c[name + "_grad_p"], -1 / c["p"], rtol=1e-8)
        np.testing.assert_allclose(c[name], -np.log(c["p"]), atol=1e-10)
    assert math.isclose(c["ce_grad_z"][0], c["bce_grad_z"][0], abs_tol=1e-10)
