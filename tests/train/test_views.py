"""Arrays the page draws: boundary grid, per-sample loss and gradient, calibration and ECE."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz.train import TrainConfig, Trainer
from lossviz.train import views


def test_binary_grid_is_sigmoid_of_the_logit_at_each_grid_point():
    trainer = Trainer(TrainConfig(steps=50))
    trainer.step(50)
    grid = views.boundary_grid(trainer, size=20)
    assert grid["prob"].shape == (20, 20)
    i, j = 7, 13  # row follows y, column follows x
    point = torch.tensor([[grid["xs"][j], grid["ys"][i]]])
    with torch.no_grad():
        expected = torch.sigmoid(trainer.model(point))[0, 0].item()
    assert grid["prob"][i, j] == pytest.approx(expected, abs=1e-6)
    assert grid["label"][i, j] == int(expected > 0.5)


def test_multiclass_grid_gives_the_winning_class_and_its_probability():
    trainer = Trainer(TrainConfig(dataset="blobs", n_classes=4, loss="cross_entropy", steps=20))
    trainer.step(20)
    grid = views.boundary_grid(trainer, size=10)
    point = torch.tensor([[grid["xs"][3], grid["ys"][5]]])
    with torch.no_grad():
        probs = torch.softmax(trainer.model(point), dim=1)[0]
    assert grid["label"][5, 3] == int(probs.argmax())
    assert grid["prob"][5, 3] == pytest.approx(float(probs.max()), abs=1e-6)


def test_regression_view_is_the_fitted_curve():
    trainer = Trainer(TrainConfig(dataset="regression", loss="mse", steps=10))
    grid = views.boundary_grid(trainer, size=10)
    with torch.no_grad():
        expected = trainer.model(torch.tensor(grid["xs"])[:, None])[:, 0].numpy()
    np.testing.assert_allclose(grid["pred"], expected, rtol=1e-6)


def test_per_sample_gradient_matches_autograd_point_by_point():
    trainer = Trainer(TrainConfig(dataset="regression", loss="huber", loss_params=(("delta", 0.5),),
                                  outliers=0.2, steps=30))
    trainer.step(30)
    view = views.per_sample(trainer)
    for i in (0, 17, 99):
        out = trainer.outputs(trainer.data.x_train[i:i + 1]).detach().requires_grad_(True)
        loss = torch.nn.functional.huber_loss(out, trainer.y_train[i:i + 1], delta=0.5)
        (grad,) = torch.autograd.grad(loss, out)
        assert view["loss"][i] == pytest.approx(loss.item(), rel=1e-5, abs=1e-7)
        assert view["grad"][i] == pytest.approx(abs(grad.item()), rel=1e-5, abs=1e-7)
    assert view["grad"].max() <= 0.5 + 1e-6  # Huber caps every point's pull at delta


def test_focal_gives_easy_points_less_gradient_than_bce():
    """Same weights: focal's (1 - p_t)^γ shrinks the gradient of well-classified points most."""
    bce = Trainer(TrainConfig(loss="bce", steps=200))
    bce.step(200)
    focal = Trainer(TrainConfig(loss="focal", loss_params=(("gamma", 2.0), ("alpha", -1.0)), steps=200))
    focal.model.load_state_dict(bce.model.state_dict())
    g_bce, g_focal = views.per_sample(bce)["grad"], views.per_sample(focal)["grad"]
    easiest = np.argsort(views.per_sample(bce)["loss"])[:50]
    assert np.all(g_focal[easiest] < g_bce[easiest])


def _ece_by_hand(conf, correct, bins):
    total = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [(c, k) for c, k in zip(conf, correct) if (low < c <= high) or (b == 0 and c == 0.0)]
        if members:
            acc = sum(k for _, k in members) / len(members)
            avg = sum(c for c, _ in members) / len(members)
            total += len(members) / len(conf) * abs(acc - avg)
    return total


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0.0, 1.0), st.booleans()), min_size=1, max_size=40))
def test_ece_matches_the_definition(pairs):
    conf = np.array([c for c, _ in pairs])
    correct = np.array([k for _, k in pairs])
    assert views.expected_calibration_error(conf, correct, 10) == pytest.approx(_ece_by_hand(conf, correct, 10),
                                                                                abs=1e-9)


def test_perfectly_calibrated_bins_have_zero_ece():
    conf = np.array([0.75] * 4 + [0.95] * 20)
    correct = np.array([1, 1, 1, 0] + [1] * 19 + [0])
    assert views.expected_calibration_error(conf, correct) == pytest.approx(0.0, abs=1e-12)


def test_calibration_histogram_counts_every_validation_point():
    trainer = Trainer(TrainConfig(steps=30))
    trainer.step(30)
    calib = views.calibration(trainer)
    assert int(calib["counts"].sum()) == len(trainer.data.x_val)
    assert calib["counts"][:4].sum() == 0  # binary confidence is at least 0.5
    assert 0.0 <= calib["ece"] <= 1.0
