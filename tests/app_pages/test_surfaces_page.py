"""AppTest of /surfaces: every surface renders, metrics against torch, hostile URLs never raise,
the grid is not recomputed when only the start moves, the each-at-its-best button."""

import math
from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from lossviz import optim_paths, surfaces
from lossviz.surface_data import regression_data

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_surfaces(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/surfaces.py")
    return at.run()


def metric_values(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def short(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else "—"


def test_default_quadratic_metrics_match_torch():
    at = open_surfaces()
    assert not at.exception
    theta = torch.tensor([-2.5, 2.0], dtype=torch.float64, requires_grad=True)
    matrix = surfaces.quadratic_matrix(10.0)
    loss = 0.5 * theta @ matrix @ theta
    loss.backward()
    eigenvalues = torch.linalg.eigvalsh(matrix)
    expected = [short(loss.item()), short(theta.grad.norm().item()), short(eigenvalues[0].item()),
                short(eigenvalues[1].item()), short((eigenvalues[1] / eigenvalues[0]).item())]
    assert metric_values(at) == expected
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 3  # sgd, momentum, adam


def test_regression_deep_link_metrics_are_the_torch_mae_of_the_line():
    at = open_surfaces(surface="regression", reg_loss="mae", outliers="3", x0="1", y0="0.5", opt="adam", lang="zh")
    assert not at.exception
    assert not at.warning
    x, y = regression_data(3)
    wb = torch.tensor([1.0, 0.5], dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.l1_loss(wb[0] * x + wb[1], y)
    loss.backward()
    values = metric_values(at)
    assert values[:2] == [short(loss.item()), short(wb.grad.norm().item())]
    assert values[2:] == ["0", "0", "—"]  # MAE is piecewise linear: zero Hessian, no condition number
    assert "起点 L" in [m.label for m in at.metric]


@pytest.mark.parametrize("query", [
    {"surface": "rosenbrock", "view": "3d"}, {"surface": "saddle"}, {"surface": "rastrigin"},
    {"surface": "regression", "reg_loss": "huber", "delta": "0.5"},
    {"surface": "regression", "reg_loss": "quantile", "tau": "0.9", "outliers": "6"},
    {"surface": "logistic", "label_smoothing": "0.2", "lang": "zh"},  # bce, the default
    {"surface": "logistic", "cls_loss": "focal", "label_smoothing": "0.1"},
    {"surface": "logistic", "cls_loss": "hinge", "opt": "sgd,nesterov,rmsprop,adagrad"},
])
def test_every_surface_renders(query):
    at = open_surfaces(**query)
    assert not at.exception
    assert len(at.metric) == 5 and not at.warning


@pytest.mark.parametrize("query, names", [
    ({"surface": "nope"}, ["surface=nope"]),
    ({"surface": "<script>alert(1)</script>", "opt": "adam,,lbfgs,adam"}, ["surface=", "opt="]),
    ({"x0": "abc", "steps": "1e999", "view": "sideways"}, ["x0=abc", "steps=1e999", "view=sideways"]),
    ({"surface": "rosenbrock", "y0": "-2.5", "lr_adam": "7"}, ["y0=-2.5", "lr_adam=7"]),
    ({"surface": "regression", "reg_loss": "bce", "outliers": "-1"}, ["reg_loss=bce", "outliers=-1"]),
])
def test_hostile_urls_fall_back_with_a_notice(query, names):
    at = open_surfaces(**query)
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for name in names:
        assert name in notices


def test_diverging_path_is_labelled_not_a_crash():
    at = open_surfaces(surface="rosenbrock", opt="sgd", lr_sgd="0.05")
    assert not at.exception
    table = at.dataframe[0].value
    assert table.iloc[0, -1].startswith("diverged")


def test_moving_the_start_does_not_recompute_the_grid(monkeypatch):
    calls = []
    original = surfaces.loss_grid
    monkeypatch.setattr(surfaces, "loss_grid", lambda *a, **k: calls.append(a) or original(*a, **k))
    at = open_surfaces(surface="regression", reg_loss="huber", delta="0.3", outliers="5")  # not cached before
    before = len(calls)
    assert before == 1
    at.slider(key="w.surfaces.x0.en").set_value(1.0).run()
    at.slider(key="w.surfaces.y0.en").set_value(-1.0).run()
    assert not at.exception
    assert len(calls) == before


def test_each_at_its_best_sets_every_learning_rate_to_the_search_result():
    at = open_surfaces(surface="quadratic", opt="sgd,adam", steps="60")
    at.button[0].click().run()
    assert not at.exception
    start, params = (-2.5, 2.0), {"condition": 10.0}
    expected_sgd, _ = optim_paths.best_learning_rate("quadratic", "sgd", start, 60, params)
    expected_adam, _ = optim_paths.best_learning_rate("quadratic", "adam", start, 60, params, betas=(0.9, 0.999))
    assert float(at.select_slider(key="w.surfaces.lr_sgd.en").value) == expected_sgd
    assert float(at.select_slider(key="w.surfaces.lr_adam.en").value) == expected_adam
    assert at.info and f"{expected_sgd:g}" in at.info[0].value


def test_switching_surface_moves_the_start_to_that_surfaces_default():
    at = open_surfaces(x0="-2.9", y0="2.9")
    assert at.slider(key="w.surfaces.x0.en").value == -2.9
    at.selectbox(key="w.surfaces.surface.en").set_value("rosenbrock").run()
    assert not at.exception
    start = (at.slider(key="w.surfaces.x0.en").value, at.slider(key="w.surfaces.y0.en").value)
    assert start == surfaces.get_surface("rosenbrock").start
    assert metric_values(at)[0] == short(float(surfaces.rosenbrock(torch.tensor(start, dtype=torch.float64))))
