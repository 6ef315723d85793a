"""Each weighting strategy's total against its paper's formula on fixed numbers."""

import math

import pytest
import torch

from lossviz.train import weighting

LOSSES = torch.tensor([0.8, 350.0])  # (classification, regression): a regression loss in big units
KINDS = ("classification", "regression")


def test_fixed_weights_total_is_the_weighted_sum():
    total = weighting.FixedWeights([0.3, 2.0]).total(LOSSES)
    assert total.item() == pytest.approx(0.3 * 0.8 + 2.0 * 350.0)


def test_uncertainty_simplified_total_is_sum_exp_minus_s_times_loss_plus_s():
    strategy = weighting.UncertaintyWeighting(KINDS, "simplified")
    s = [0.4, 5.0]
    with torch.no_grad():
        strategy.log_var.copy_(torch.tensor(s))
    expected = sum(math.exp(-si) * li + si for si, li in zip(s, [0.8, 350.0]))
    assert strategy.total(LOSSES).item() == pytest.approx(expected, rel=1e-6)
    assert strategy.weights() == pytest.approx([math.exp(-0.4), math.exp(-5.0)], rel=1e-6)


def test_uncertainty_paper_total_is_kendall_eq7_with_sigma():
    strategy = weighting.UncertaintyWeighting(KINDS, "paper")
    s = [0.4, 5.0]
    with torch.no_grad():
        strategy.log_var.copy_(torch.tensor(s))
    sigma_cls, sigma_reg = math.sqrt(math.exp(s[0])), math.sqrt(math.exp(s[1]))
    # 1/σ² for classification, 1/(2σ²) for regression, plus log σ each
    expected = 0.8 / sigma_cls**2 + 350.0 / (2 * sigma_reg**2) + math.log(sigma_cls) + math.log(sigma_reg)
    assert strategy.total(LOSSES).item() == pytest.approx(expected, rel=1e-6)


def test_uncertainty_simplified_optimum_weight_is_one_over_loss():
    strategy = weighting.UncertaintyWeighting(KINDS)
    optimiser = torch.optim.LBFGS(strategy.parameters(), max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        optimiser.zero_grad()
        total = strategy.total(LOSSES)
        total.backward()
        return total

    optimiser.step(closure)
    assert strategy.weights() == pytest.approx([1 / 0.8, 1 / 350.0], rel=1e-3)


def test_uncertainty_rejects_unknown_form_or_kind():
    with pytest.raises(ValueError, match="simplified, paper"):
        weighting.UncertaintyWeighting(KINDS, "other")
    with pytest.raises(ValueError, match="classification, regression"):
        weighting.UncertaintyWeighting(("ranking",))


def test_gradnorm_loss_matches_chen_et_al_eq2_on_fixed_numbers():
    w = torch.tensor([0.5, 1.5])
    grad_norms = torch.tensor([4.0, 0.2])  # ||∇_W L_i||, unweighted
    losses, initial = torch.tensor([0.6, 300.0]), torch.tensor([0.7, 400.0])
    alpha = 1.5
    g = [0.5 * 4.0, 1.5 * 0.2]
    g_bar = sum(g) / 2
    lt = [0.6 / 0.7, 300.0 / 400.0]
    r = [x / (sum(lt) / 2) for x in lt]
    expected = sum(abs(gi - g_bar * ri**alpha) for gi, ri in zip(g, r))
    assert weighting.gradnorm_loss(w, grad_norms, losses, initial, alpha).item() == pytest.approx(expected, rel=1e-6)


def test_gradnorm_weight_gradient_equals_full_autograd_through_the_shared_layer():
    """Build G_W^(i) = ||∇_W (w_i L_i)|| with create_graph on a tiny net and compare ∂L_grad/∂w."""
    torch.manual_seed(0)
    shared = torch.nn.Linear(3, 4)
    heads = [torch.nn.Linear(4, 1), torch.nn.Linear(4, 1)]
    x = torch.randn(8, 3)
    features = torch.tanh(shared(x))
    task_losses = torch.stack([h(features).pow(2).mean() * k for h, k in zip(heads, (1.0, 50.0))])
    initial = task_losses.detach() * torch.tensor([1.3, 1.1])
    w_full = torch.tensor([0.7, 1.3], requires_grad=True)
    g_full = torch.stack([
        torch.autograd.grad(w_full[i] * task_losses[i], shared.weight, retain_graph=True, create_graph=True)[0].norm()
        for i in range(2)
    ])
    ratio = task_losses.detach() / initial
    r = ratio / ratio.mean()
    target = (g_full.mean() * r**1.5).detach()  # the paper's constant target
    (grad_full,) = torch.autograd.grad((g_full - target).abs().sum(), w_full)
    norms = torch.stack([torch.autograd.grad(task_losses[i], shared.weight, retain_graph=True)[0].norm()
                         for i in range(2)])
    w = torch.tensor([0.7, 1.3], requires_grad=True)
    (grad,) = torch.autograd.grad(weighting.gradnorm_loss(w, norms, task_losses.detach(), initial, 1.5), w)
    torch.testing.assert_close(grad, grad_full)


def test_gradnorm_update_keeps_weights_positive_summing_to_task_count_and_lifts_the_weak_gradient():
    strategy = weighting.GradNorm(2, alpha=1.5, lr=0.025)
    losses, norms = torch.tensor([0.7, 300.0]), torch.tensor([0.01, 50.0])
    for _ in range(30):
        strategy.update(losses, norms)
    w = strategy.weights()
    assert sum(w) == pytest.approx(2.0, rel=1e-6) and min(w) > 0
    assert w[0] > 1 > w[1]  # the task with the tiny gradient gets the larger weight


def test_dwa_weights_match_liu_et_al_eq7():
    previous, before = [1.0, 2.0], [2.0, 2.0]
    w = [previous[0] / before[0], previous[1] / before[1]]
    denominator = sum(math.exp(v / 2) for v in w)
    expected = [2 * math.exp(v / 2) / denominator for v in w]
    assert weighting.dwa_weights(previous, before, 2.0) == pytest.approx(expected, rel=1e-12)


def test_dwa_total_uses_ones_for_the_first_two_epochs_then_the_loss_ratios():
    strategy = weighting.DynamicWeightAverage(2, temperature=2.0)
    assert strategy.total(LOSSES).item() == pytest.approx(0.8 + 350.0)
    strategy.update(torch.tensor([1.0, 400.0]))
    assert strategy.weights() == [1.0, 1.0]
    strategy.update(torch.tensor([0.5, 396.0]))
    lam = weighting.dwa_weights([0.5, 396.0], [1.0, 400.0], 2.0)
    assert strategy.total(LOSSES).item() == pytest.approx(lam[0] * 0.8 + lam[1] * 350.0, rel=1e-6)
    assert lam[1] > 1 > lam[0]  # the loss that fell less gets more weight
    assert sum(lam) == pytest.approx(2.0)


def test_make_weighting_rejects_unknown_names():
    with pytest.raises(ValueError, match="fixed, uncertainty, gradnorm, dwa"):
        weighting.make_weighting("pcgrad", KINDS)
