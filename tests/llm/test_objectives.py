"""CTC example, contrastive points, KL fits, PPO/DPO and MoE numbers against independent formulas."""

import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lossviz.llm import contrastive, ctc_example, kl_fit, moe, rlhf


# --- CTC ---------------------------------------------------------------------------------------

def brute_force_ctc(logits, label):
    probs = logits.softmax(-1)
    total = 0.0
    for path in itertools.product(range(probs.shape[1]), repeat=probs.shape[0]):
        collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or c != path[i - 1])]
        if tuple(collapsed) == label:
            total += math.prod(float(probs[t, c]) for t, c in enumerate(path))
    return -math.log(total)


@pytest.mark.parametrize("blank_weight", [0.0, 0.5, 1.0])
def test_ctc_example_losses_match_brute_force_and_torch(blank_weight):
    summary = ctc_example.ctc_summary(blank_weight, 4.0)
    logits = ctc_example.blended_logits(blank_weight, 4.0)
    assert summary["loss"] == pytest.approx(brute_force_ctc(logits, ctc_example.LABEL), rel=1e-9)
    torch_value = F.ctc_loss(logits.log_softmax(-1)[:, None], torch.tensor([[1, 2, 3]]), [6], [3], blank=0)
    assert summary["loss"] == pytest.approx(float(torch_value) * 3, rel=1e-9)  # 'mean' divides by length 3


def test_ctc_aligned_beats_uniform_beats_blank_heavy_and_greedy_reads_cat():
    summary = ctc_example.ctc_summary(0.0, 4.0)
    assert summary["aligned"] < summary["uniform"] < summary["blank_heavy"]
    assert summary["greedy"] == "cat"
    assert summary["uniform"] == pytest.approx(brute_force_ctc(torch.zeros(6, 4), (1, 2, 3)), rel=1e-9)


# --- contrastive -------------------------------------------------------------------------------

def test_contrastive_numbers_match_direct_formulas():
    s = contrastive.contrastive_summary(60.0, 10.0, 30.0, 0.1, 1.0)
    points = torch.tensor(s["points"])
    cos = points[:, 0] @ points[:, 1].T  # unit vectors: dot product = cosine
    np.testing.assert_allclose(s["similarity"], cos.numpy(), atol=1e-12)
    rows = -torch.log_softmax(cos / 0.1, 1).diagonal()
    cols = -torch.log_softmax(cos / 0.1, 0).diagonal()
    np.testing.assert_allclose(s["info_nce"], rows.numpy(), atol=1e-12)
    np.testing.assert_allclose(s["clip"], ((rows + cols) / 2).numpy(), atol=1e-12)
    a, p, n = points[0, 0], points[0, 1], points[1, 1]
    expected_triplet = F.triplet_margin_loss(a[None], p[None], n[None], margin=1.0)
    assert s["triplet"] == pytest.approx(float(expected_triplet), abs=1e-9)
    assert s["contrastive_similar"] == pytest.approx(0.5 * float((a - p).norm()) ** 2, abs=1e-12)
    assert s["contrastive_dissimilar"] == pytest.approx(0.5 * max(0.0, 1 - float((a - n).norm())) ** 2, abs=1e-9)


def test_aligned_pairs_with_low_temperature_beat_chance():
    aligned = contrastive.contrastive_summary(90.0, 0.0, 0.0, 0.05, 1.0)
    shuffled = contrastive.contrastive_summary(90.0, 90.0, 90.0, 0.05, 1.0)  # each text sits on the next image
    assert aligned["info_nce"].mean() < aligned["chance"] < shuffled["info_nce"].mean()


# --- forward vs reverse KL ---------------------------------------------------------------------

@pytest.mark.parametrize("separation, weight", [(0.0, 0.5), (3.0, 0.3), (6.0, 0.5), (8.0, 0.7)])
def test_forward_fit_is_moment_matching_and_a_minimum(separation, weight):
    mu, sigma = kl_fit.fit_forward(separation, weight)
    log_p = kl_fit.target_log_density(separation, weight)
    p, x = log_p.exp(), kl_fit.GRID
    mean = float((p * x).sum() * kl_fit._DX)
    assert mu == pytest.approx(mean, abs=1e-6)
    assert sigma == pytest.approx(math.sqrt(float((p * (x - mean) ** 2).sum() * kl_fit._DX)), abs=1e-6)
    params = torch.tensor([mu, math.log(sigma)], dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(kl_fit.forward_kl(log_p, params[0], params[1].exp()), params)
    assert grad.abs().max() < 1e-6


@pytest.mark.parametrize("separation, weight", [(2.0, 0.5), (6.0, 0.5), (6.0, 0.7), (8.0, 0.3)])
def test_reverse_fit_is_a_stationary_point_and_beats_the_forward_fit(separation, weight):
    mu, sigma = kl_fit.fit_reverse(separation, weight)
    log_p = kl_fit.target_log_density(separation, weight)
    params = torch.tensor([mu, math.log(sigma)], dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(kl_fit.reverse_kl(log_p, params[0], params[1].exp()), params)
    assert grad.abs().max() < 1e-5
    assert float(kl_fit.reverse_kl(log_p, mu, sigma)) <= float(kl_fit.reverse_kl(log_p, *kl_fit.fit_forward(
        separation, weight))) + 1e-12


@pytest.mark.parametrize("weight, mode", [(0.7, -3.0), (0.3, 3.0)])
def test_reverse_kl_seeks_the_heavier_mode_when_modes_are_apart(weight, mode):
    mu, sigma = kl_fit.fit_reverse(6.0, weight)
    assert mu == pytest.approx(mode, abs=0.1) and sigma == pytest.approx(1.0, abs=0.1)
    forward_mu, forward_sigma = kl_fit.fit_forward(6.0, weight)
    assert forward_sigma > 2.5  # stretched over both modes


# --- PPO and DPO -------------------------------------------------------------------------------

def ppo_paper(r, a, eps):
    return min(r * a, min(max(r, 1 - eps), 1 + eps) * a)


@pytest.mark.parametrize("clip_eps", [0.1, 0.2, 0.3])
@pytest.mark.parametrize("kl_beta", [0.0, 0.5])
def test_ppo_curves_match_the_papers_formula_minus_the_kl_estimate(clip_eps, kl_beta):
    curves = rlhf.ppo_curves(clip_eps, kl_beta)
    for name, a in (("positive", 1.0), ("negative", -1.0)):
        expected = [ppo_paper(r, a, clip_eps) - kl_beta * ((r - 1) - math.log(r)) for r in curves["ratio"]]
        np.testing.assert_allclose(curves[name], expected, atol=1e-12)


@pytest.mark.parametrize("ratio, advantage, clipped", [(1.5, 1.0, True), (0.5, 1.0, False), (0.5, -1.0, True),
                                                       (1.5, -1.0, False), (1.0, 1.0, False)])
def test_ppo_gradient_vanishes_exactly_where_the_clip_is_active(ratio, advantage, clipped):
    point = rlhf.ppo_point(ratio, advantage, 0.2, 0.0)
    assert point["clipped"] is clipped
    assert point["grad"] == (0.0 if clipped else advantage)
    assert point["objective"] == pytest.approx(ppo_paper(ratio, advantage, 0.2))


@pytest.mark.parametrize("beta", rlhf.DPO_BETAS)
def test_dpo_is_minus_log_sigmoid_of_beta_times_margin(beta):
    curves = rlhf.dpo_curves()
    expected = [math.log1p(math.exp(-beta * h)) for h in curves["margin"]]  # −log σ(βh) = log(1 + e^{−βh})
    np.testing.assert_allclose(curves[beta], expected, rtol=1e-12, atol=1e-15)
    point = rlhf.dpo_point(1.0, beta)
    assert point["grad"] == pytest.approx(-beta / (1 + math.exp(beta)))  # −β σ(−β h)
    assert point["loss"] == pytest.approx(math.log1p(math.exp(-beta)))
    assert rlhf.dpo_point(0.0, beta)["loss"] == pytest.approx(math.log(2))


# --- MoE ---------------------------------------------------------------------------------------

def test_balance_loss_is_n_sum_f_p_computed_token_by_token():
    logits = moe.router_logits(0.3, 1.5)
    probs = logits.softmax(-1).tolist()
    experts, tokens = len(probs[0]), len(probs)
    f = [sum(1 for row in probs if max(range(experts), key=row.__getitem__) == i) / tokens for i in range(experts)]
    p = [sum(row[i] for row in probs) / tokens for i in range(experts)]
    summary = moe.moe_summary(0.3, 1.5)
    assert summary["balance"] == pytest.approx(experts * sum(fi * pi for fi, pi in zip(f, p)), rel=1e-12)
    z = sum(math.log(sum(math.exp(v) for v in row)) ** 2 for row in logits.tolist()) / tokens
    assert summary["z_loss"] == pytest.approx(z, rel=1e-12)


def test_balance_loss_is_one_when_uniform_and_n_when_collapsed():
    uniform = torch.zeros(8, 4, dtype=torch.float64)
    uniform[torch.arange(8), torch.arange(8) % 4] = 1e-9  # ties broken evenly: f = 1/4 each
    assert float(moe.load_balancing_loss(uniform)[0]) == pytest.approx(1.0)
    collapsed = torch.zeros(8, 4, dtype=torch.float64)
    collapsed[:, 2] = 50.0
    assert float(moe.load_balancing_loss(collapsed)[0]) == pytest.approx(4.0)
    assert moe.moe_summary(1.0, 3.0)["balance"] > moe.moe_summary(0.0, 1.0)["balance"]


def test_z_loss_grows_with_logit_scale():
    assert moe.moe_summary(0.0, 0.1)["z_loss"] < moe.moe_summary(0.0, 1.0)["z_loss"] < moe.moe_summary(0.0, 3.0)["z_loss"]
