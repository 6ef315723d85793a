"""Training with the loss typed on /custom: ``TrainConfig(loss="custom", custom_expr=..., custom_params=...)``
and ``python -m lossviz train --loss custom --expr ... --param ...``."""

import json
import math

import pytest

import lossviz.expr
from lossviz.__main__ import main
from lossviz.train import TrainConfig, Trainer, compatible_losses


def regression(**fields) -> TrainConfig:
    return TrainConfig(**{"dataset": "regression", "outliers": 0.2, "steps": 30, "seed": 3, **fields})


def test_custom_squared_error_trains_exactly_like_builtin_mse():
    custom = Trainer(regression(loss="custom", custom_expr="(y - p)**2"))
    builtin = Trainer(regression(loss="mse"))
    a, b = custom.step(30), builtin.step(30)
    assert len(a) == len(b) == 30
    for ra, rb in zip(a, b):
        assert ra.loss == pytest.approx(rb.loss, rel=1e-6)
        assert ra.grad_norm == pytest.approx(rb.grad_norm, rel=1e-5)
    for name, value in builtin.evaluate().items():
        assert custom.evaluate()[name] == pytest.approx(value, rel=1e-5)


def test_parameter_values_reach_the_expression():
    declared = "q:2:0.5:4"
    at_default = Trainer(regression(loss="custom", custom_expr="abs(y - p)**q", custom_params=declared))
    squared = Trainer(regression(loss="mse"))
    assert at_default.step(5)[-1].loss == pytest.approx(squared.step(5)[-1].loss, rel=1e-5)  # q = 2 is MSE
    at_one = Trainer(regression(loss="custom", custom_expr="abs(y - p)**q", custom_params=declared,
                                loss_params=(("q", 1.0),)))
    mae = Trainer(regression(loss="mae"))
    assert at_one.step(5)[-1].loss == pytest.approx(mae.step(5)[-1].loss, rel=1e-5)  # q = 1 is MAE
    with pytest.raises(ValueError, match="q"):
        Trainer(regression(loss="custom", custom_expr="abs(y - p)**q", custom_params=declared,
                           loss_params=(("q", 9.0),)))  # outside the declared range


def test_custom_is_a_regression_loss_only_and_hostile_text_is_refused():
    assert "custom" in compatible_losses(regression())
    assert "custom" not in compatible_losses(TrainConfig(dataset="moons"))
    with pytest.raises(ValueError, match="does not fit"):
        Trainer(TrainConfig(dataset="moons", loss="custom", custom_expr="(y - p)**2"))
    for hostile in ("__import__('os').system('id')", "p.__class__", "9**9**9", "(" * 500):
        with pytest.raises(ValueError):
            Trainer(regression(loss="custom", custom_expr=hostile))


def test_nan_from_the_expression_stops_the_run_with_the_divergence_message():
    trainer = Trainer(regression(loss="custom", custom_expr="sqrt(p - y)"))
    assert trainer.step(10) == []
    assert (trainer.divergence.step, trainer.divergence.what, trainer.divergence.value) == (1, "loss", "nan")
    assert "diverged" in trainer.divergence.message and trainer.finished


def test_an_evaluation_out_of_time_stops_the_run_instead_of_raising(monkeypatch):
    trainer = Trainer(regression(loss="custom", custom_expr="(y - p)**2"))
    monkeypatch.setattr(lossviz.expr, "EVAL_BUDGET_S", -1.0)  # every evaluation is now out of time
    assert trainer.step(10) == []
    assert (trainer.divergence.what, trainer.divergence.value) == ("time", "slow")
    assert "took longer than" in trainer.divergence.message
    assert math.isnan(trainer.evaluate()["val_loss"])


def test_cli_trains_the_issue_example_like_the_core(capsys):
    args = ["train", "--dataset", "regression", "--loss", "custom", "--expr", "abs(y-p)**q", "--param", "q=1.5",
            "--steps", "20", "--json"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["settings"]["loss_params"] == {"q": 1.5} and result["diverged"] is None
    core = Trainer(TrainConfig(dataset="regression", loss="custom", custom_expr="abs(y-p)**q",
                               custom_params="q:1.5:-10000:10000", loss_params=(("q", 1.5),), steps=20))
    assert result["history"]["loss"] == [r.loss for r in core.step(20)]


@pytest.mark.parametrize("args, words", [
    (["--loss", "custom"], ["needs --expr"]),
    (["--loss", "custom", "--expr", "abs(y-p)**q"], ["Unknown name `q`"]),
    (["--loss", "custom", "--expr", "p", "--param", "q"], ["NAME=VALUE"]),
    (["--loss", "custom", "--expr", "(y-p)**2", "--delta", "1"], ["--delta does not apply"]),
    (["--loss", "mse", "--expr", "p"], ["--loss custom only"]),
])
def test_cli_custom_mistakes_exit_2_naming_the_fix(capsys, args, words):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--dataset", "regression", *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert all(word in err for word in words)
