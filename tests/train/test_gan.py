"""GAN losses against their binary_cross_entropy_with_logits forms, generator-loss gradients
against autograd and the closed forms, the real distributions, and the mode-mass metric."""

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz.train import gan

LOGITS = torch.tensor([-30.0, -4.0, -1.0, -0.1, 0.0, 0.3, 2.0, 9.0, 40.0], dtype=torch.float64)
REAL = torch.tensor([2.5, -0.5, 0.0, 1.0, 3.0, -7.0, 0.2, 15.0, -35.0], dtype=torch.float64)


def test_discriminator_loss_is_bce_with_logits_real_one_fake_zero():
    ones, zeros = torch.ones_like(REAL), torch.zeros_like(LOGITS)
    expected = (F.binary_cross_entropy_with_logits(REAL, ones) + F.binary_cross_entropy_with_logits(LOGITS, zeros))
    for loss in gan.PROBABILITY_LOSSES:
        torch.testing.assert_close(gan.discriminator_loss(loss, REAL, LOGITS), expected, rtol=1e-12, atol=1e-12)


def test_discriminator_loss_is_minus_log_d_real_minus_log_one_minus_d_fake_where_naive_is_finite():
    real, fake = REAL[2:5], LOGITS[2:7]  # moderate logits: the naive formula is still accurate
    naive = -torch.log(torch.sigmoid(real)).mean() - torch.log(1 - torch.sigmoid(fake)).mean()
    torch.testing.assert_close(gan.discriminator_loss("nonsaturating", real, fake), naive, rtol=1e-10, atol=1e-12)


def test_minimax_generator_loss_is_minus_bce_with_label_zero():
    expected = -F.binary_cross_entropy_with_logits(LOGITS, torch.zeros_like(LOGITS), reduction="none")
    torch.testing.assert_close(gan.generator_loss_terms("minimax", LOGITS), expected, rtol=1e-12, atol=1e-12)
    naive = torch.log(1 - torch.sigmoid(LOGITS[1:8]))  # log(1 - D(G(z))) where it is representable
    torch.testing.assert_close(gan.generator_loss_terms("minimax", LOGITS[1:8]), naive, rtol=1e-9, atol=1e-12)


def test_nonsaturating_generator_loss_is_bce_with_label_one():
    expected = F.binary_cross_entropy_with_logits(LOGITS, torch.ones_like(LOGITS), reduction="none")
    torch.testing.assert_close(gan.generator_loss_terms("nonsaturating", LOGITS), expected, rtol=1e-12, atol=1e-12)
    naive = -torch.log(torch.sigmoid(LOGITS[1:8]))
    torch.testing.assert_close(gan.generator_loss_terms("nonsaturating", LOGITS[1:8]), naive, rtol=1e-9, atol=1e-12)


def test_lsgan_losses_match_mao_et_al_with_a0_b1_c1():
    d_expected = 0.5 * F.mse_loss(REAL, torch.ones_like(REAL)) + 0.5 * F.mse_loss(LOGITS, torch.zeros_like(LOGITS))
    torch.testing.assert_close(gan.discriminator_loss("lsgan", REAL, LOGITS), d_expected)
    g_expected = 0.5 * F.mse_loss(LOGITS, torch.ones_like(LOGITS))
    torch.testing.assert_close(gan.generator_loss("lsgan", LOGITS), g_expected)


def test_hinge_losses_match_miyato_et_al():
    d_expected = torch.clamp(1 - REAL, min=0).mean() + torch.clamp(1 + LOGITS, min=0).mean()
    torch.testing.assert_close(gan.discriminator_loss("hinge", REAL, LOGITS), d_expected)
    torch.testing.assert_close(gan.generator_loss("hinge", LOGITS), -LOGITS.mean())


def test_losses_stay_finite_for_float32_logits_of_ten_thousand():
    extreme = torch.tensor([-1e4, 1e4], dtype=torch.float32, requires_grad=True)
    for loss in gan.LOSSES:
        value = gan.discriminator_loss(loss, extreme, extreme) + gan.generator_loss(loss, extreme)
        (grad,) = torch.autograd.grad(value, extreme)
        assert torch.isfinite(value) and torch.isfinite(grad).all(), loss


def test_unknown_loss_or_target_raises_value_error_naming_the_choices():
    with pytest.raises(ValueError, match="minimax, nonsaturating"):
        gan.generator_loss("wgan", LOGITS)
    with pytest.raises(ValueError, match="gaussian, bimodal, uniform"):
        gan.sample_real("cauchy", 3, torch.Generator().manual_seed(0))


@pytest.mark.parametrize("loss", gan.LOSSES)
def test_generator_loss_passes_gradcheck(loss):
    logits = (LOGITS[1:8] + 0.05).requires_grad_(True)  # off the hinge's kinks at ±1
    assert torch.autograd.gradcheck(lambda z: gan.generator_loss_terms(loss, z), (logits,))
    real = (REAL[:7] + 0.05).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda r, z: gan.discriminator_loss(loss, r, z), (real, logits))


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-30, max_value=30))
def test_generator_logit_gradients_match_autograd_and_closed_forms(logit):
    z = torch.tensor([logit], dtype=torch.float64, requires_grad=True)
    d = torch.sigmoid(z.detach())
    (minimax,) = torch.autograd.grad(gan.generator_loss_terms("minimax", z).sum(), z)
    (nonsat,) = torch.autograd.grad(gan.generator_loss_terms("nonsaturating", z).sum(), z)
    torch.testing.assert_close(minimax, gan.minimax_grad_logit(d), rtol=1e-12, atol=1e-15)
    torch.testing.assert_close(nonsat, gan.nonsaturating_grad_logit(d), rtol=1e-12, atol=1e-15)


def test_saturation_curves_show_the_minimax_gradient_vanishing_when_d_is_small():
    curves = gan.saturation_curves(199)
    d = torch.tensor(curves["d"], dtype=torch.float64)
    # closed forms, not the implementation: dL/dl = -D and D - 1; dL/dD = -1/(1 - D) and -1/D
    torch.testing.assert_close(torch.tensor(curves["minimax_grad_logit"], dtype=torch.float64), -d)
    torch.testing.assert_close(torch.tensor(curves["nonsaturating_grad_logit"], dtype=torch.float64), d - 1)
    torch.testing.assert_close(torch.tensor(curves["minimax_grad_d"], dtype=torch.float64), -1 / (1 - d))
    torch.testing.assert_close(torch.tensor(curves["nonsaturating_grad_d"], dtype=torch.float64), -1 / d)
    torch.testing.assert_close(torch.tensor(curves["minimax_loss"], dtype=torch.float64), torch.log1p(-d))
    torch.testing.assert_close(torch.tensor(curves["nonsaturating_loss"], dtype=torch.float64), -torch.log(d))
    assert abs(curves["minimax_grad_logit"][0]) < 0.01 < 0.99 < abs(curves["nonsaturating_grad_logit"][0])


@pytest.mark.parametrize("target", gan.TARGETS)
def test_real_samples_follow_the_stated_density(target):
    samples = gan.sample_real(target, 20_000, torch.Generator().manual_seed(3)).double()
    centres, density = gan.histogram(samples, 40)
    width = float(centres[1] - centres[0])
    # the density integrates to one, and the histogram agrees with it bin by bin (to sampling noise)
    fine = torch.linspace(*gan.X_RANGE, 8001, dtype=torch.float64)
    assert abs(float(torch.trapezoid(gan.real_density(target, fine), fine)) - 1) < 2e-3
    expected = torch.stack([torch.trapezoid(gan.real_density(target, xs), xs) / width for xs in
                            (torch.linspace(c - width / 2, c + width / 2, 201, dtype=torch.float64) for c in centres)])
    assert float((density - expected).abs().max()) < 0.06


def test_same_seed_gives_the_same_real_samples():
    a = gan.sample_real("bimodal", 50, torch.Generator().manual_seed(7))
    b = gan.sample_real("bimodal", 50, torch.Generator().manual_seed(7))
    assert torch.equal(a, b)


def test_mode_mass_is_half_and_half_for_the_bimodal_target_and_one_sided_when_collapsed():
    real = gan.sample_real("bimodal", 10_000, torch.Generator().manual_seed(0))
    masses = gan.mode_mass(real, "bimodal")
    assert all(abs(m - 0.5) < 0.02 for m in masses) and gan.modes_covered(masses, "bimodal") == 2
    collapsed = gan.BIMODAL_MEANS[1] + gan.BIMODAL_STD * torch.randn(10_000, 1, generator=torch.Generator().manual_seed(1))
    masses = gan.mode_mass(collapsed, "bimodal")
    assert masses[0] == 0.0 and masses[1] > 0.99 and gan.modes_covered(masses, "bimodal") == 1


def test_wasserstein_1d_of_a_shift_is_the_shift():
    a = torch.randn(1000, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    assert math.isclose(gan.wasserstein_1d(a, a + 0.7), 0.7, rel_tol=1e-9)
    assert gan.wasserstein_1d(a, a.flip(0)) == 0.0
