"""History -> CSV, and LiveRun: A and B share start and batches; advance keeps them in step."""

import csv
import io

import torch

from lossviz.train import TrainConfig, Trainer
from lossviz.train.history import metrics_csv
from lossviz.train.session import LiveRun


def test_ab_runs_share_initial_weights_and_advance_together():
    base = TrainConfig(dataset="imbalanced", loss="bce", steps=40)
    run = LiveRun(base, TrainConfig(**{**base.__dict__, "loss": "focal"}))
    a, b = run.runs["A"], run.runs["B"]
    for p, q in zip(a.model.parameters(), b.model.parameters()):
        assert torch.equal(p, q)
    run.advance(15, budget_s=60)
    assert a.steps_done == b.steps_done == run.steps_done == 15
    run.advance(100, budget_s=60)
    assert run.finished and run.steps_done == 40


def test_live_run_equals_the_core_run_and_keeps_snapshots():
    config = TrainConfig(steps=30)
    run = LiveRun(config)
    for _ in range(3):
        run.advance(10, budget_s=60)
    core = Trainer(config)
    assert run.histories["A"].batch_loss == [r.loss for r in core.step(30)]
    assert [step for step, _ in run.snapshots["A"]] == [0, 10, 20, 30]
    assert [e["step"] for e in run.histories["A"].evals] == [0, 10, 20, 30]


def test_metrics_csv_has_a_row_per_step_and_the_evaluations():
    run = LiveRun(TrainConfig(steps=20), TrainConfig(steps=20, lr=0.1))
    run.advance(20, budget_s=60)
    rows = list(csv.DictReader(io.StringIO(metrics_csv(run.histories))))
    assert len(rows) == 2 * 21  # steps 0..20 for A and B
    first_a = rows[0]
    assert first_a["run"] == "A" and first_a["step"] == "0" and first_a["batch_loss"] == ""
    assert float(first_a["val_loss"]) == run.histories["A"].evals[0]["val_loss"]
    last_b = rows[-1]
    assert last_b["run"] == "B" and float(last_b["batch_loss"]) == run.histories["B"].batch_loss[-1]
    assert float(last_b["val_accuracy"]) == run.histories["B"].evals[-1]["val_accuracy"]
