"""Explorer maths: gradients with respect to prediction, logit and probability."""

import math

import numpy as np
import pytest
import torch

from lossviz import grads
from lossviz.losses import LOSSES, explorer_keys, get_loss


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_mse_gradient_is_twice_the_residual():
    point = grads.explorer_point(get_loss("mse"), 1.5, 0.25, {})
    assert point["loss"] == pytest.approx(1.25**2)
    assert point["grad"] == pytest.approx(2 * 1.25)
    assert "prob" not in point


@pytest.mark.parametrize("z", [-3.0, 0.0, 0.7, 4.0])
def test_bce_logit_gradient_is_p_minus_y_and_prob_gradient_is_minus_one_over_p(z):
    point = grads.explorer_point(get_loss("bce"), z, 1.0, {"label_smoothing": 0.0})
    p = sigmoid(z)
    assert point["prob"] == pytest.approx(p)
    assert point["loss"] == pytest.approx(-math.log(p))
    assert point["grad"] == pytest.approx(p - 1.0)
    assert point["grad_prob"] == pytest.approx(-1.0 / p)


@pytest.mark.parametrize("z", [-2.0, 0.0, 1.0, 3.0])
def test_multiclass_cross_entropy_matches_torch_on_logits_z_0_0(z):
    loss = get_loss("cross_entropy")
    point = grads.explorer_point(loss, z, 1.0, {"label_smoothing": 0.0})
    logits = torch.tensor([[z, 0.0, 0.0]], dtype=torch.float64, requires_grad=True)
    reference = torch.nn.functional.cross_entropy(logits, torch.tensor([0]))
    reference.backward()
    p = torch.softmax(logits.detach(), -1)[0, 0].item()
    assert point["loss"] == pytest.approx(reference.item(), abs=1e-12)
    assert point["grad"] == pytest.approx(logits.grad[0, 0].item(), abs=1e-12)  # p - 1
    assert point["prob"] == pytest.approx(p, abs=1e-12)
    assert point["grad_prob"] == pytest.approx(-1.0 / p)


# Losses with a one-dimensional view (the counts family, poisson_nll, msle, mape, included).
CURVES = [(key, "logit") for key in explorer_keys()] + [
    (key, "prob") for key, loss in LOSSES.items() if grads.is_classification(loss)  # regression has no p axis
]


@pytest.mark.parametrize("key, axis", CURVES)
def test_curve_gradient_matches_finite_differences(key, axis):
    """The plotted derivative is the slope of the plotted loss (away from kinks)."""
    loss = get_loss(key)
    curve = grads.explorer_curve(loss, 1.0, loss.defaults(), axis, n=401)
    x, y, g = curve["x"], curve["loss"], curve["grad"]
    numeric = np.gradient(y, x)
    assert np.isfinite(y).all() and np.isfinite(g).all()
    # compare where the curve is smooth: the second difference is small
    smooth = np.abs(np.gradient(numeric, x)) * (x[1] - x[0]) < 1e-2 * (1 + np.abs(numeric))
    smooth[:2] = smooth[-2:] = False
    assert smooth.sum() > 100, "too few smooth points to compare"
    np.testing.assert_allclose(g[smooth], numeric[smooth], rtol=2e-2, atol=2e-3)


def test_prob_axis_runs_over_open_unit_interval():
    curve = grads.explorer_curve(get_loss("bce"), 1.0, {"label_smoothing": 0.0}, "prob")
    assert 0.0 < curve["x"].min() < 0.01 and 0.99 < curve["x"].max() < 1.0
    np.testing.assert_allclose(curve["loss"], -np.log(curve["x"]), rtol=1e-9)
    np.testing.assert_allclose(curve["grad"], -1.0 / curve["x"], rtol=1e-9)


def test_soft_label_goes_to_multiclass_losses_that_accept_it():
    loss = get_loss("kl_div")
    pred, target = grads.explorer_inputs(loss, torch.tensor([0.5, 1.0], dtype=torch.float64), 0.6)
    assert pred.shape == (2, 3) and target.shape == (2, 3)
    np.testing.assert_allclose(target[0].numpy(), [0.6, 0.2, 0.2])
    hard = get_loss("multi_margin")
    _, index_target = grads.explorer_inputs(hard, torch.tensor([0.5], dtype=torch.float64), 0.6)
    assert index_target.dtype == torch.long and index_target.tolist() == [0]


def test_logit_prob_round_trip():
    for key in ("bce", "cross_entropy"):
        loss = get_loss(key)
        z = torch.linspace(-6, 6, 13, dtype=torch.float64)
        torch.testing.assert_close(grads.logit_from_prob(loss, grads.prob_from_logit(loss, z)), z)


def test_tangent_line_touches_the_point_with_the_given_slope():
    xs, ys = grads.tangent_line(2.0, 3.0, -0.5, 1.0)
    assert xs == [1.0, 3.0] and ys == [3.5, 2.5]


def test_slider_grid_is_exactly_what_the_slider_reports():
    grid = grads.slider_grid(-5.0, 5.0, 0.05)
    assert len(grid) == 201 and grid[0] == -5.0 and grid[-1] == 5.0
    assert 1.55 in grid.tolist() and 0.0 in grid.tolist()
    assert grads.grid_index(grid, 1.55) == 131 and grads.grid_index(grid, 1.56) == 131


@pytest.mark.parametrize("key, label", [("huber", 0.5), ("bce", 0.0), ("focal", 1.0), ("cross_entropy", 0.7),
                                        ("multi_margin", 1.0)])
def test_points_at_every_slider_position_equal_the_single_point(key, label):
    from lossviz import get_loss, state

    loss = get_loss(key)
    x_setting = state.INPUT_SETTINGS[loss.family][0]
    grid = grads.slider_grid(x_setting.low, x_setting.high, x_setting.step)
    points = grads.explorer_points(loss, grid, label, loss.defaults())
    for index in (0, 17, len(grid) // 2, len(grid) - 1):
        single = grads.explorer_point(loss, float(grid[index]), label, loss.defaults())
        for name, value in single.items():
            assert points[name][index] == pytest.approx(value, rel=1e-12, abs=1e-12), (name, index)
