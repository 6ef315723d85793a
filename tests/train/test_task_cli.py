"""python -m lossviz train --task gan | multitask: the same JSON shape as every run, same seed same run."""

import json

import pytest

from lossviz.__main__ import main
from lossviz.train.gan_loop import GanConfig, run_gan
from lossviz.train.multitask import MultitaskConfig, run_multitask


def run_cli(capsys, *argv) -> tuple[int, dict]:
    code = main(["train", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_gan_task_prints_the_core_run_as_per_step_lists(capsys):
    code, out = run_cli(capsys, "--task", "gan", "--gan-loss", "minimax", "--steps", "30", "--seed", "3",
                        "--lr", "0.005")
    assert code == 0 and out["diverged"] is None and out["task"] == "gan"
    core = run_gan(GanConfig(loss="minimax", steps=30, seed=3, lr_g=0.005, lr_d=0.005, batch=64))
    assert out["history"]["loss_d"] == [r["loss_d"] for r in core["history"]]
    assert out["history"]["loss"] == out["history"]["loss_g"] and len(out["history"]["loss"]) == 30
    assert out["settings"]["loss"] == "minimax" and out["steps_per_s"] > 0


def test_multitask_task_prints_weights_and_losses_per_step(capsys):
    code, out = run_cli(capsys, "--task", "multitask", "--weighting", "dwa", "--scale", "1000", "--steps", "12")
    assert code == 0 and out["task"] == "multitask"
    core = run_multitask(MultitaskConfig(weighting="dwa", scale=1000.0, steps=12, lr=0.01))
    assert out["history"]["loss"] == [r["total"] for r in core["history"]]
    assert set(out["history"]) >= {"loss_cls", "loss_reg", "weight_cls", "weight_reg"}


@pytest.mark.parametrize("argv, named", [
    (["--task", "gan", "--optimizer", "rmsprop"], "adam, sgd"),
    (["--task", "gan", "--gan-loss", "wasserstein"], "nonsaturating"),
    (["--task", "multitask", "--weighting", "magic"], "uncertainty"),
    (["--task", "multitask", "--scale", "1e9"], "scale"),
])
def test_bad_task_arguments_name_what_is_allowed(capsys, argv, named):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *argv])
    assert exit_info.value.code == 2
    assert named in capsys.readouterr().err
