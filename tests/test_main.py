"""``python -m lossviz train``: the issue's command line through a real subprocess, argparse
errors in-process (same parser, no torch start-up per case)."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from lossviz.__main__ import TASKS, main
from lossviz.train import TrainConfig, Trainer

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lossviz", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_issue_command_prints_json_with_the_same_losses_as_the_core():
    out = run_cli("train", "--dataset", "moons", "--loss", "focal", "--gamma", "2", "--optimizer", "adam",
                  "--lr", "0.05", "--steps", "500", "--seed", "0", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    settings = result["settings"]
    assert settings["hidden"] == [16, 16] and settings["activation"] == "relu" and settings["batch_size"] == 64
    assert settings["loss"] == "focal" and settings["loss_params"]["gamma"] == 2.0 and settings["task"] == "classify"
    assert len(result["history"]["loss"]) == 500 and result["steps_per_s"] > 0 and result["diverged"] is None
    trainer = Trainer(TrainConfig(dataset="moons", loss="focal", loss_params=(("gamma", 2.0),), optimizer="adam",
                                  lr=0.05, steps=500, seed=0))
    expected = [r.loss for r in trainer.step(500)]
    assert result["history"]["loss"] == expected  # the same core, bit for bit (JSON floats round-trip)
    assert result["final"]["val_accuracy"] == pytest.approx(trainer.evaluate()["val_accuracy"])


def test_divergence_exits_1_with_message_and_valid_json():
    out = run_cli("train", "--dataset", "regression", "--outliers", "0.3", "--loss", "mse", "--optimizer", "sgd",
                  "--lr", "10", "--steps", "100", "--json")
    assert out.returncode == 1
    result = json.loads(out.stdout)  # strict JSON: no NaN/Infinity tokens
    assert "NaN" not in out.stdout and "Infinity" not in out.stdout
    assert "learning rate" in result["diverged"]["message"]
    assert result["settings"]["task"] == "regress"


def test_bad_argument_is_an_argparse_error_naming_the_choices():
    out = run_cli("train", "--optimizer", "lion")
    assert out.returncode == 2
    assert "invalid choice: 'lion'" in out.stderr and "adamw" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("args, words", [
    (["--dataset", "mnist"], ["invalid choice", "spirals"]),
    (["--loss", "huber"], ["does not fit", "bce", "focal"]),
    (["--delta", "2"], ["--delta", "bce", "--label-smoothing"]),
    (["--loss", "focal", "--gamma", "9"], ["gamma", "[0.0, 5.0]"]),
    (["--task", "nope"], ["invalid choice", "classify", "regress", "gan"]),
    (["--dataset", "regression", "--task", "classify"], ["use --task regress"]),
    (["--hidden", "16,x"], ["16,16"]),
    (["--hidden", "16,16,16,16,16"], ["hidden"]),
    (["--steps", "99999"], ["steps", "5000"]),
    (["--batch-size", "0"], ["batch_size"]),
    (["--lr", "nan"], ["lr"]),
    (["--ratio", "80", "--dataset", "imbalanced"], ["ratio", "50"]),
])
def test_bad_arguments_exit_2_naming_what_is_allowed(capsys, args, words):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err


def test_task_is_inferred_from_the_dataset_and_human_summary_is_printed(capsys):
    assert main(["train", "--dataset", "regression", "--loss", "huber", "--delta", "0.5", "--steps", "20"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("regress: regression · huber") and "val_mae" in out


def test_every_registered_task_has_help_and_runs_on_defaults(capsys):
    for name, task in TASKS.items():
        assert task.help
        dataset = ["--dataset", "regression"] if name == "regress" else []
        assert main(["train", "--task", name, *dataset, "--steps", "5", "--json"]) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["settings"]["task"] == name and all(math.isfinite(v) for v in result["history"]["loss"])
