"""Every number of the myth check, recomputed independently (torch.nn.functional / by hand)."""

import math

import pytest
import torch
import torch.nn.functional as F

from lossviz import myth_evidence as ev

F64 = torch.float64


def t(values):
    return torch.tensor(values, dtype=F64)


def test_seed_bce_example_against_binary_cross_entropy():
    numbers = ev.seed_bce_example()
    reference = F.binary_cross_entropy(t([0.2, 0.8]), t([1.0, 0.0]))
    assert numbers["correct"] == pytest.approx(reference.item(), rel=1e-12)
    assert numbers["second_sample"] == pytest.approx(-math.log(0.2), rel=1e-12)
    assert numbers["only_first_term"] == pytest.approx(0.5 * -math.log(0.2))
    assert abs(numbers["only_first_term"] - 0.61) > 0.1 and abs(numbers["correct"] - 0.61) > 0.5


def test_seed_sign_flip_is_negative_bce():
    numbers = ev.seed_bce_sign_flip()
    pred, y = t([0.2, 0.8]), t([1.0, 0.0])
    flipped = (y * torch.log(pred) + (1 - y) * torch.log(1 - pred)).mean()
    assert numbers["flipped"] == pytest.approx(flipped.item()) and numbers["flipped"] < 0


def test_label_smoothing_row_sum_and_torch_rule():
    numbers = ev.label_smoothing_targets()
    assert numbers["seed_sum"] == pytest.approx(0.1 / 4 * 3 + 0.9)
    assert numbers["seed_sum"] != pytest.approx(1.0)
    logits = t([[0.3, -1.2, 2.0, 0.5]])
    reference = F.cross_entropy(logits, torch.tensor([2]), label_smoothing=0.1)
    assert numbers["torch_ls"] == pytest.approx(reference.item(), rel=1e-12)
    row = t([[0.025, 0.025, 0.925, 0.025]])
    assert row.sum().item() == pytest.approx(1.0)
    assert numbers["explicit"] == pytest.approx(F.cross_entropy(logits, row).item(), rel=1e-12)


def test_smoothing_floor_is_entropy_of_smoothed_target():
    numbers = ev.smoothing_loss_floor()
    v, eps = 32000, 0.1
    top, rest = 1 - eps + eps / v, eps / v
    entropy = -(top * math.log(top) + (v - 1) * rest * math.log(rest))
    assert numbers["floor"] == pytest.approx(entropy, rel=1e-9)
    assert numbers["perplexity"] == pytest.approx(math.exp(entropy), rel=1e-9)
    # and it is a minimum: any other logits with the same smoothing cost more
    logits = torch.zeros(1, v, dtype=F64)
    logits[0, 0] = 20.0
    assert F.cross_entropy(logits, torch.tensor([0]), label_smoothing=eps).item() > entropy


def test_ce_of_identical_distributions_is_entropy():
    numbers = ev.ce_of_identical_distributions()
    assert numbers["ce"] == pytest.approx(math.log(2))
    assert numbers["kl"] == pytest.approx(0.0, abs=1e-15)


def test_ce_is_entropy_plus_kl():
    numbers = ev.ce_equals_entropy_plus_kl()
    p, z = t([[0.7, 0.2, 0.1]]), t([[1.0, 0.0, -1.0]])
    assert numbers["ce"] == pytest.approx(F.cross_entropy(z, p).item(), rel=1e-12)
    kl = F.kl_div(F.log_softmax(z, 1), p, reduction="sum")
    assert numbers["kl"] == pytest.approx(kl.item(), rel=1e-9)
    assert numbers["ce"] == pytest.approx(numbers["entropy"] + numbers["kl"], rel=1e-12)


def test_negative_label_bce_is_second_term():
    assert ev.bce_negative_label_term()["loss"] == pytest.approx(-math.log(0.2))


def test_softmax_divide_by_max_changes_result():
    numbers = ev.softmax_divide_by_max()
    x = [1000.0, 999.0, 998.0]
    denominator = sum(math.exp(v - 1000.0) for v in x)
    assert numbers["right0"] == pytest.approx(1 / denominator)
    assert numbers["right2"] == pytest.approx(math.exp(-2) / denominator)
    scaled = [v / 1000.0 for v in x]
    d2 = sum(math.exp(v) for v in scaled)
    assert numbers["divided0"] == pytest.approx(math.exp(scaled[0]) / d2)
    assert numbers["naive_is_nan"] == 1.0


def test_mse_vs_bce_gradient_by_hand():
    numbers = ev.mse_vs_bce_gradient()
    s = 1 / (1 + math.exp(6.0))
    assert numbers["bce_grad"] == pytest.approx(s - 1)
    assert numbers["mse_grad"] == pytest.approx(2 * (s - 1) * s * (1 - s))


def test_gan_objective_values():
    numbers = ev.gan_discriminator_sign()
    assert numbers["good"] == pytest.approx(2 * math.log(0.9))
    assert numbers["useless"] == pytest.approx(2 * math.log(0.5))
    assert numbers["good"] > numbers["useless"]


def test_focal_alpha_ratios_match_torchvision_formula():
    numbers = ev.focal_alpha_balance()
    # same p_t and gamma: ratio of alpha_t only
    assert numbers["constant_ratio"] == pytest.approx(1.0)
    assert numbers["alpha_ratio"] == pytest.approx(0.25 / 0.75)


def test_loss_floor_and_negative_gaussian_nll():
    numbers = ev.losses_below_zero_or_above()
    top, rest = 0.9 + 0.01, 0.01
    assert numbers["smoothed_floor"] == pytest.approx(-(top * math.log(top) + 9 * rest * math.log(rest)))
    assert numbers["gaussian_nll"] == pytest.approx(0.5 * math.log(0.01))


def test_integer_weights_raise():
    numbers = ev.integer_class_weights()
    assert numbers["raises"] == 1.0 and "Long" in numbers["error"]
    F.cross_entropy(torch.zeros(2, 2), torch.tensor([0, 1]), weight=torch.tensor([1.0, 5.0]))


def test_ce_gradient_is_p_minus_y():
    numbers = ev.ce_gradient_bounded()
    for z, key in ((-10.0, "wrong"), (5.0, "right")):
        p = math.exp(z) / (math.exp(z) + 2)
        assert numbers[key] == pytest.approx(p - 1)


def test_seed_training_run_against_plain_loop():
    numbers = ev.seed_training_run(n_inits=3)
    x, y = t([[0.1], [0.4], [0.7], [0.8]]), t([[0.0], [1.0], [1.0], [0.0]])
    losses = []
    for w0 in (-math.sqrt(3), 0.0, math.sqrt(3)):
        w = t([w0]).requires_grad_()
        b = t([0.0]).requires_grad_()
        optimizer = torch.optim.SGD([w, b], lr=0.01)
        for _ in range(1000):
            optimizer.zero_grad()
            F.binary_cross_entropy(torch.sigmoid(x * w + b), y).backward()
            optimizer.step()
        with torch.no_grad():
            losses.append(F.binary_cross_entropy(torch.sigmoid(t([[0.2], [0.5], [0.9]]) * w + b),
                                                 t([[0.0], [1.0], [1.0]])).item())
    assert numbers["best"] == pytest.approx(min(losses), rel=1e-6)
    assert numbers["worst"] == pytest.approx(max(losses), rel=1e-6)
    assert numbers["best"] > 2 * numbers["claimed"]


def test_log_epsilon_clamp_by_hand():
    numbers = ev.log_epsilon_clamp()
    s = 1 / (1 + math.exp(30.0))
    assert numbers["stable"] == pytest.approx(30.0 + math.log1p(math.exp(-30.0)))
    assert numbers["stable_grad"] == pytest.approx(s - 1)
    assert numbers["clamped"] == pytest.approx(-math.log(s + 1e-10))
    assert numbers["clamped_grad"] == pytest.approx(-s * (1 - s) / (s + 1e-10))


def test_kl_asymmetry_with_kl_div():
    numbers = ev.kl_asymmetry()
    p, q = t([0.9, 0.05, 0.05]), t([0.4, 0.3, 0.3])
    assert numbers["forward"] == pytest.approx(F.kl_div(q.log(), p, reduction="sum").item())
    assert numbers["reverse"] == pytest.approx(F.kl_div(p.log(), q, reduction="sum").item())


def torch_optim_step(cls, theta0, grad, **kwargs):
    theta = t([theta0]).requires_grad_()
    optimizer = cls([theta], **kwargs)
    theta.grad = t([grad])
    optimizer.step()
    return theta.item()


def test_adam_step_matches_torch_optim():
    for theta0, grad, lr, decay in ((1.0, 10.0, 0.1, 0.1), (-2.0, 0.003, 0.01, 0.0), (0.5, -7.0, 1e-3, 0.5)):
        assert ev.adam_step(theta0, grad, lr, decay) == pytest.approx(
            torch_optim_step(torch.optim.Adam, theta0, grad, lr=lr, weight_decay=decay), rel=1e-12)
        assert ev.adam_step(theta0, grad, lr, decay, decoupled=True) == pytest.approx(
            torch_optim_step(torch.optim.AdamW, theta0, grad, lr=lr, weight_decay=decay), rel=1e-12)


def test_adam_vs_adamw_by_hand():
    numbers = ev.adam_weight_decay_vs_adamw()
    assert numbers["adam"] == pytest.approx(torch_optim_step(torch.optim.Adam, 1.0, 10.0, lr=0.1, weight_decay=0.1))
    assert numbers["adamw"] == pytest.approx(torch_optim_step(torch.optim.AdamW, 1.0, 10.0, lr=0.1, weight_decay=0.1))
    g = 10.0 + 0.1 * 1.0  # Adam: L2 term added to the gradient
    adam = 1.0 - 0.1 * g / (math.sqrt(g * g) + 1e-8)  # step 1: m̂ = g, v̂ = g²
    adamw = 1.0 * (1 - 0.1 * 0.1) - 0.1 * 10.0 / (10.0 + 1e-8)
    assert numbers["adam"] == pytest.approx(adam, rel=1e-9)
    assert numbers["adamw"] == pytest.approx(adamw, rel=1e-9)


def test_huber_is_delta_times_smooth_l1():
    numbers = ev.huber_vs_smooth_l1()
    assert numbers["huber"] == pytest.approx(F.huber_loss(t([3.0]), t([0.0]), delta=2.0).item())
    assert numbers["smooth_l1"] == pytest.approx(F.smooth_l1_loss(t([3.0]), t([0.0]), beta=2.0).item())
    assert numbers["ratio"] == pytest.approx(2.0)


def test_every_evidence_function_is_tested_here():
    tested = {name[len("test_"):] for name in globals() if name.startswith("test_")}
    assert len(ev.EVIDENCE) <= len(tested)
