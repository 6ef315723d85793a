"""lossviz.optim_paths: paths identical to torch.optim run by hand, divergence handling,
steps to tolerance against gradient descent's closed form, the learning-rate search."""

import numpy as np
import pytest
import torch

from lossviz import optim_paths
from lossviz.optim_paths import LEARNING_RATES, OPTIMIZERS, best_learning_rate, optimizer_path, run_path
from lossviz.surfaces import get_surface, quadratic_matrix
from lossviz.surfaces import optimizer_path as reexported_path

BY_HAND = {
    "sgd": (torch.optim.SGD, {"lr": 0.002}),
    "momentum": (torch.optim.SGD, {"lr": 0.001, "momentum": 0.8}),
    "nesterov": (torch.optim.SGD, {"lr": 0.001, "momentum": 0.95, "nesterov": True}),
    "rmsprop": (torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.9, "eps": 1e-6}),
    "adagrad": (torch.optim.Adagrad, {"lr": 0.3}),
    "adam": (torch.optim.Adam, {"lr": 0.05, "betas": (0.8, 0.99)}),
    "adamw": (torch.optim.AdamW, {"lr": 0.05, "betas": (0.9, 0.95), "weight_decay": 0.1}),
}


def by_hand(surface_key, params, cls, kwargs, start, steps):
    surface = get_surface(surface_key)
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = cls([theta], **kwargs)
    out = [theta.detach().clone()]
    for _ in range(steps):
        opt.zero_grad()
        surface(theta, params).backward()
        opt.step()
        out.append(theta.detach().clone())
    return torch.stack(out).numpy()


@pytest.mark.parametrize("optimizer_key", list(OPTIMIZERS))
@pytest.mark.parametrize("surface_key, params", [("rosenbrock", {}), ("regression", {"loss": "huber", "outliers": 2})])
def test_path_is_identical_to_running_torch_optim_by_hand(optimizer_key, surface_key, params):
    cls, kwargs = BY_HAND[optimizer_key]
    hyper = {k: v for k, v in kwargs.items() if k != "nesterov"}
    path = optimizer_path(surface_key, optimizer_key, (-1.2, 1.0), 60, params, **hyper)
    assert path.shape == (61, 2)
    np.testing.assert_array_equal(path, by_hand(surface_key, params, cls, kwargs, (-1.2, 1.0), 60))


def test_surfaces_module_reexports_optimizer_path():
    assert reexported_path is optimizer_path


def test_sgd_on_the_quadratic_follows_the_closed_form_and_reaches_tolerance_when_predicted():
    """Gradient descent on ½θᵀAθ: θ_t = (I − ηA)^t θ₀ (the textbook closed form)."""
    condition, lr, start, steps = 10.0, 0.05, np.array([-2.5, 2.0]), 150
    matrix = quadratic_matrix(condition).numpy()
    step = np.eye(2) - lr * matrix
    expected = [start]
    for _ in range(steps):
        expected.append(step @ expected[-1])
    expected = np.array(expected)
    summary = run_path("quadratic", "sgd", start, steps, {"condition": condition}, lr=lr)
    np.testing.assert_allclose(summary.points, expected, rtol=1e-10, atol=1e-13)
    losses = 0.5 * np.einsum("ti,ij,tj->t", expected, matrix, expected)
    np.testing.assert_allclose(summary.losses, losses, rtol=1e-10, atol=1e-15)
    first = int(np.flatnonzero(losses <= 1e-3 * losses[0])[0])
    assert summary.steps_to_tolerance == first and not summary.diverged
    assert summary.final_loss == pytest.approx(losses[-1], rel=1e-10)


def test_a_diverging_path_is_cut_at_its_last_finite_point_and_flagged():
    summary = run_path("rosenbrock", "sgd", (-1.5, 2.5), 200, lr=0.05)
    assert summary.diverged
    assert 1 < len(summary.points) < 201
    assert np.isfinite(summary.points).all() and np.isfinite(summary.losses).all()
    assert summary.steps_to_tolerance is None
    raw = optimizer_path("rosenbrock", "sgd", (-1.5, 2.5), 200, lr=0.05)
    assert raw.shape == (201, 2) and np.isnan(raw[-1]).all()


def test_saddle_paths_have_no_steps_to_tolerance():
    assert run_path("saddle", "adam", (-1.8, 0.05), 50, lr=0.1).steps_to_tolerance is None


def test_best_learning_rate_for_gd_on_a_quadratic_is_the_grid_rate_with_the_smallest_contraction():
    """GD's error shrinks by ρ(η) = max|1 − ηλ| over A's eigenvalues λ ∈ {1, κ} per step."""
    condition = 10.0
    contraction = {lr: max(abs(1 - lr), abs(1 - lr * condition)) for lr in LEARNING_RATES}
    expected = min(contraction, key=contraction.get)
    lr, summary = best_learning_rate("quadratic", "sgd", (-2.5, 2.0), 150, {"condition": condition})
    assert lr == expected
    assert summary.steps_to_tolerance is not None


def test_learning_rate_grid_is_log_spaced_from_1e_4_to_1():
    assert LEARNING_RATES[0] == 1e-4 and LEARNING_RATES[-1] == 1.0
    ratios = np.diff(np.log10(LEARNING_RATES))
    assert ((ratios > 0.2) & (ratios < 0.5)).all()


@pytest.mark.parametrize("call, message", [
    (lambda: optimizer_path("quadratic", "lbfgs", (0, 0), 5), "optimizer must be one of"),
    (lambda: optimizer_path("quadratic", "sgd", (0, 0), 5, betas=(0.9, 0.9)), "does not take"),
    (lambda: optimizer_path("quadratic", "sgd", (0, 0), optim_paths.MAX_STEPS + 1), "steps must be"),
])
def test_bad_optimizer_inputs_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("surface_key, params", [("rastrigin", {}), ("logistic", {"loss": "focal"}),
                                                   ("regression", {"loss": "log_cosh", "outliers": 5})])
def test_batched_runs_equal_separate_runs_bit_for_bit(surface_key, params):
    runs = [("sgd", {"lr": 0.5}), ("momentum", {"lr": 0.01}), ("adam", {"lr": 0.1}), ("rmsprop", {"lr": 1.0})]
    start = get_surface(surface_key).start
    together = optim_paths.optimizer_paths(surface_key, runs, start, 80, params)
    for (key, hyper), path in zip(runs, together):
        np.testing.assert_array_equal(path, optimizer_path(surface_key, key, start, 80, params, **hyper))
