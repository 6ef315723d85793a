"""Tests of lossviz/surfaces.py (basename differs from tests/e2e/test_surfaces.py, as pytest needs):
vectorised grids against point-by-point torch, gradients against autograd,
Hessians against closed forms, data surfaces against torch.nn.functional and least squares."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz import surfaces
from lossviz.surface_data import MAX_OUTLIERS, binary_data, regression_data
from lossviz.surfaces import SURFACES, get_surface, loss_grid, point_report, surface_minimum
from tests.reference.torchvision_focal_loss import sigmoid_focal_loss

PROPERTY = settings(max_examples=25, deadline=None)

SURFACE_CASES = [
    ("quadratic", {"condition": 40.0}), ("rosenbrock", {}), ("saddle", {}), ("rastrigin", {}),
    ("regression", {"loss": "mse", "outliers": 2}), ("regression", {"loss": "mae"}),
    ("regression", {"loss": "huber", "delta": 0.5}), ("regression", {"loss": "log_cosh", "outliers": 6}),
    ("regression", {"loss": "quantile", "tau": 0.2}), ("logistic", {"loss": "bce", "label_smoothing": 0.1}),
    ("logistic", {"loss": "focal", "gamma": 1.0}), ("logistic", {"loss": "hinge", "margin": 0.5}),
]


def test_surface_table_has_the_issue_keys():
    assert {"quadratic", "rosenbrock", "saddle", "rastrigin", "regression", "logistic"} <= set(SURFACES)


@pytest.mark.parametrize("key, params", SURFACE_CASES)
def test_grid_equals_point_by_point_evaluation_and_autograd(key, params):
    """One batched call for the grid gives the same loss and gradient as each point alone."""
    grid = loss_grid(key, params, resolution=12)
    assert grid["loss"].shape == (12, 12) and grid["grad_x"].shape == (12, 12)
    surface = get_surface(key)
    for row, col in [(0, 0), (3, 7), (11, 5), (6, 11)]:
        theta = torch.tensor([grid["x"][col], grid["y"][row]], dtype=torch.float64, requires_grad=True)
        loss = surface(theta, params)
        loss.backward()
        assert grid["loss"][row, col] == pytest.approx(float(loss.detach()), rel=1e-12, abs=1e-12)
        assert grid["grad_x"][row, col] == pytest.approx(float(theta.grad[0]), rel=1e-9, abs=1e-12)
        assert grid["grad_y"][row, col] == pytest.approx(float(theta.grad[1]), rel=1e-9, abs=1e-12)


@PROPERTY
@given(condition=st.floats(1.0, 100.0), x=st.floats(-3, 3), y=st.floats(-3, 3))
def test_quadratic_hessian_is_its_matrix_with_eigenvalues_one_and_kappa(condition, x, y):
    report = point_report("quadratic", (x, y), {"condition": condition})
    np.testing.assert_allclose(report["hessian"], surfaces.quadratic_matrix(condition).numpy(), atol=1e-10)
    assert report["eig_low"] == pytest.approx(1.0) and report["eig_high"] == pytest.approx(condition)
    assert report["condition"] == pytest.approx(condition)
    # gradient of ½θᵀAθ is Aθ
    expected_grad = surfaces.quadratic_matrix(condition).numpy() @ np.array([x, y])
    assert [report["grad_x"], report["grad_y"]] == pytest.approx(list(expected_grad), abs=1e-9)


def test_rosenbrock_hessian_at_minimum_matches_closed_form():
    # ∂²f/∂x² = 2 − 4b(y − x²) + 8bx², ∂²f/∂x∂y = −4bx, ∂²f/∂y² = 2b; at (1, 1), b = 100
    report = point_report("rosenbrock", (1.0, 1.0))
    np.testing.assert_allclose(report["hessian"], [[802.0, -400.0], [-400.0, 200.0]])
    assert report["loss"] == 0.0 and report["grad_norm"] == 0.0


def test_saddle_hessian_is_indefinite_with_condition_one():
    report = point_report("saddle", (0.3, -0.7))
    assert (report["eig_low"], report["eig_high"]) == (-2.0, 2.0)
    assert report["condition"] == 1.0


def test_mae_surface_has_zero_hessian_and_infinite_condition():
    report = point_report("regression", (1.0, 2.0), {"loss": "mae"})
    assert report["eig_low"] == report["eig_high"] == 0.0
    assert math.isinf(report["condition"])


@pytest.mark.parametrize("outliers", [0, 3])
def test_mse_minimum_is_the_least_squares_solution(outliers):
    x, y = regression_data(outliers)
    design = torch.stack([x, torch.ones_like(x)], dim=1)
    w, b = torch.linalg.lstsq(design, y.unsqueeze(1)).solution.squeeze(1).tolist()
    (w_min, b_min), value = surface_minimum("regression", {"loss": "mse", "outliers": outliers})
    assert (w_min, b_min) == pytest.approx((w, b), abs=1e-6)
    assert value == pytest.approx(float(F.mse_loss(w * x + b, y)), rel=1e-9)
    # and the gradient there is zero (autograd)
    assert point_report("regression", (w, b), {"loss": "mse", "outliers": outliers})["grad_norm"] < 1e-9


@pytest.mark.parametrize("loss, reference", [
    ("mse", lambda p, y: F.mse_loss(p, y)), ("mae", lambda p, y: F.l1_loss(p, y)),
    ("huber", lambda p, y: F.huber_loss(p, y, delta=0.7)),
])
def test_regression_surface_is_the_mean_torch_loss_of_the_line(loss, reference):
    x, y = regression_data(4)
    w, b = 0.8, -0.3
    value = get_surface("regression")(torch.tensor([w, b], dtype=torch.float64),
                                      {"loss": loss, "outliers": 4, "delta": 0.7})
    assert float(value) == pytest.approx(float(reference(w * x + b, y)), rel=1e-12)


def test_logistic_surface_matches_torch_bce_and_torchvision_focal_with_smoothing():
    features, labels = binary_data()
    w = torch.tensor([0.7, -1.2], dtype=torch.float64)
    eps = 0.2
    smoothed = labels * (1 - eps) + eps / 2
    logits = features @ w
    surface = get_surface("logistic")
    bce = surface(w, {"loss": "bce", "label_smoothing": eps})
    assert float(bce) == pytest.approx(float(F.binary_cross_entropy_with_logits(logits, smoothed)), rel=1e-12)
    focal = surface(w, {"loss": "focal", "label_smoothing": eps, "gamma": 1.5, "alpha": 0.3})
    reference = sigmoid_focal_loss(logits, smoothed, alpha=0.3, gamma=1.5, reduction="mean")
    assert float(focal) == pytest.approx(float(reference), rel=1e-10)
    hinge = surface(w, {"loss": "hinge", "label_smoothing": eps, "margin": 1.0})
    assert float(hinge) == pytest.approx(float(torch.clamp(1 - (2 * smoothed - 1) * logits, min=0).mean()), rel=1e-12)


def test_an_outlier_pulls_the_mse_minimum_far_more_than_the_mae_minimum():
    def shift(loss):
        (w0, b0), _ = surface_minimum("regression", {"loss": loss, "outliers": 0})
        (w1, b1), _ = surface_minimum("regression", {"loss": loss, "outliers": MAX_OUTLIERS})
        return math.hypot(w1 - w0, b1 - b0)

    assert shift("mse") > 3 * shift("mae")


@pytest.mark.parametrize("key, params", [c for c in SURFACE_CASES if c[0] in ("regression", "logistic")])
def test_numeric_minimum_is_inside_the_window_and_below_every_grid_point(key, params):
    argmin, value = surface_minimum(key, params)
    surface = get_surface(key)
    assert surface.x_range[0] < argmin[0] < surface.x_range[1]
    assert surface.y_range[0] < argmin[1] < surface.y_range[1]
    assert value <= loss_grid(key, params, resolution=60)["loss"].min() + 1e-12


def test_saddle_has_no_minimum_and_known_minima_are_exact():
    assert surface_minimum("saddle") == (None, None)
    assert surface_minimum("rosenbrock") == ((1.0, 1.0), 0.0)
    assert surface_minimum("rastrigin") == ((0.0, 0.0), 0.0)


def test_bad_surface_inputs_raise_clear_errors():
    with pytest.raises(KeyError, match="Valid keys"):
        get_surface("nope")
    with pytest.raises(ValueError, match="loss must be one of"):
        get_surface("regression")(torch.zeros(2, dtype=torch.float64), {"loss": "bce"})
    with pytest.raises(ValueError, match="outliers"):
        regression_data(99)


def test_focal_hessian_at_hard_labels_matches_torchvision_focal_autograd_hessian():
    """The library focal's double backward is NaN at labels 0/1; the fallback must still be right."""
    features, labels = binary_data()
    point = torch.tensor([-2.5, 4.0], dtype=torch.float64)

    def reference(w):
        return sigmoid_focal_loss(features @ w, labels, alpha=0.25, gamma=2.0, reduction="mean")

    expected = torch.autograd.functional.hessian(reference, point)
    report = point_report("logistic", (-2.5, 4.0), {"loss": "focal"})
    np.testing.assert_allclose(report["hessian"], expected.numpy(), rtol=1e-5, atol=1e-8)
    assert np.isfinite([report["eig_low"], report["eig_high"], report["condition"]]).all()
