"""MultitaskLiveRun: advancing it n steps is MultitaskTrainer.step(n); A and B share their start;
it stops at the end and at a divergence; same seed, same run."""

import math

import torch

from lossviz.train.multitask import MultitaskConfig, MultitaskTrainer
from lossviz.train.multitask_session import MultitaskLiveRun

SMALL = dict(hidden=8, n_train=64, steps=30, scale=1000.0)
NO_BUDGET = float("inf")


def columns(records: list[dict]) -> dict[str, list[float]]:
    return {key: [r[key] for r in records] for key in records[0]}


def test_advancing_in_chunks_equals_the_core_trainer_stepping_directly():
    config = MultitaskConfig(weighting="gradnorm", **SMALL)
    run = MultitaskLiveRun(config)
    for chunk in (1, 7, 5):
        assert run.advance(chunk, budget_s=NO_BUDGET) == chunk
    assert run.steps_done == 13
    assert run.histories["A"] == columns(MultitaskTrainer(config).step(13))


def test_a_and_b_start_from_the_same_weights_and_advance_together():
    base = MultitaskConfig(weighting="fixed", **SMALL)
    run = MultitaskLiveRun(base, MultitaskConfig(**{**base.__dict__, "weighting": "uncertainty"}))
    a, b = run.runs["A"].model, run.runs["B"].model
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert torch.equal(run.runs["A"].x, run.runs["B"].x)
    run.advance(10, budget_s=NO_BUDGET)
    assert run.runs["A"].steps_done == run.runs["B"].steps_done == 10
    # same first step (same start), different weights afterwards (different strategy)
    assert run.histories["A"]["loss_reg"][0] == run.histories["B"]["loss_reg"][0]
    assert run.histories["A"]["weight_reg"][-1] == 1.0 != run.histories["B"]["weight_reg"][-1]


def test_same_seed_same_live_run_and_another_seed_another_run():
    config = MultitaskConfig(weighting="dwa", **SMALL)
    first, second = MultitaskLiveRun(config), MultitaskLiveRun(config)
    first.advance(12, budget_s=NO_BUDGET)
    second.advance(5, budget_s=NO_BUDGET)
    second.advance(7, budget_s=NO_BUDGET)
    assert first.histories == second.histories
    other = MultitaskLiveRun(MultitaskConfig(**{**config.__dict__, "seed": 1}))
    other.advance(12, budget_s=NO_BUDGET)
    assert other.histories["A"]["loss_reg"] != first.histories["A"]["loss_reg"]


def test_run_stops_at_its_step_count():
    run = MultitaskLiveRun(MultitaskConfig(**{**SMALL, "steps": 20}))
    run.advance(50, budget_s=NO_BUDGET)
    assert run.finished and run.steps_done == 20
    assert len(run.histories["A"]["step"]) == 20
    assert run.advance(10, budget_s=NO_BUDGET) == 0


def test_divergence_stops_the_run_and_says_at_which_step():
    run = MultitaskLiveRun(MultitaskConfig(**SMALL))
    run.advance(3, budget_s=NO_BUDGET)
    with torch.no_grad():
        run.runs["A"].model.reg_head.weight.fill_(float("inf"))  # the next forward pass is not finite
    run.advance(5, budget_s=NO_BUDGET)
    assert run.finished and run.diverged == {"A": 4}
    assert len(run.histories["A"]["step"]) == 3
    assert all(math.isfinite(v) for values in run.histories["A"].values() for v in values)


def test_latest_is_the_last_record_and_empty_before_the_first_step():
    run = MultitaskLiveRun(MultitaskConfig(**SMALL))
    assert run.latest("A") == {}
    run.advance(4, budget_s=NO_BUDGET)
    assert run.latest("A")["step"] == 4 and 0 <= run.latest("A")["metric_cls"] <= 1
