"""The multi-task loop: data, determinism, record shape, per-task trunk gradients against
autograd, the scale imbalance, divergence caught, and the JSON summary."""

import json
import math

import pytest
import torch
import torch.nn.functional as F

from lossviz.train import weighting
from lossviz.train.multitask import TASKS, MultitaskConfig, MultitaskTrainer, make_data, run_multitask

SMALL = dict(hidden=8, n_train=64, steps=12)


def test_data_is_seeded_and_labels_follow_the_circle():
    x, label, value = make_data(500, torch.Generator().manual_seed(4))
    x2, label2, value2 = make_data(500, torch.Generator().manual_seed(4))
    assert torch.equal(x, x2) and torch.equal(label, label2) and torch.equal(value, value2)
    assert torch.equal(label, (x.norm(dim=1) > 1.3).float())
    assert 0.3 < label.mean().item() < 0.7  # both classes present
    residual = value - (torch.sin(2 * x[:, 0]) + 0.5 * x[:, 1])
    assert residual.std().item() == pytest.approx(0.1, rel=0.15)


@pytest.mark.parametrize("name", weighting.STRATEGIES)
def test_same_seed_same_run_for_every_strategy(name):
    config = MultitaskConfig(weighting=name, **SMALL)
    assert MultitaskTrainer(config).step(8) == MultitaskTrainer(config).step(8)


def test_records_are_flat_dicts_with_loss_metric_weight_and_grad_per_task():
    records = MultitaskTrainer(MultitaskConfig(**SMALL)).step(3)
    assert [r["step"] for r in records] == [1, 2, 3]
    for task in TASKS:
        assert {f"loss_{task}", f"metric_{task}", f"weight_{task}", f"grad_{task}"} <= records[0].keys()
    assert all(isinstance(v, (int, float)) for r in records for v in r.values())


def test_first_record_matches_an_independent_forward_pass_and_autograd():
    config = MultitaskConfig(weighting="fixed", scale=50.0, weight_cls=2.0, weight_reg=0.5, **SMALL)
    trainer = MultitaskTrainer(config)
    logit, pred = trainer.model(trainer.x)
    bce = F.binary_cross_entropy_with_logits(logit, trainer.label)
    mse = F.mse_loss(pred, trainer.value) * 50.0  # the scaled task is the regression by default
    w = trainer.model.shared_last_layer
    grad_cls = torch.autograd.grad(2.0 * bce, w, retain_graph=True)[0].norm().item()
    grad_reg = torch.autograd.grad(0.5 * mse, w)[0].norm().item()
    record = trainer.step(1)[0]
    assert record["loss_cls"] == pytest.approx(bce.item(), rel=1e-6)
    assert record["loss_reg"] == pytest.approx(mse.item(), rel=1e-6)
    assert record["total"] == pytest.approx(2.0 * bce.item() + 0.5 * mse.item(), rel=1e-6)
    assert record["grad_cls"] == pytest.approx(grad_cls, rel=1e-5)
    assert record["grad_reg"] == pytest.approx(grad_reg, rel=1e-5)


def test_scaling_the_regression_loss_by_1000_makes_its_trunk_gradient_dominate():
    balanced = MultitaskTrainer(MultitaskConfig(scale=1.0, **SMALL)).step(1)[0]
    scaled = MultitaskTrainer(MultitaskConfig(scale=1000.0, **SMALL)).step(1)[0]
    assert scaled["grad_reg"] == pytest.approx(1000 * balanced["grad_reg"], rel=1e-4)
    assert scaled["grad_reg"] > 100 * scaled["grad_cls"]


def test_uncertainty_weights_in_records_are_exp_minus_log_variance():
    trainer = MultitaskTrainer(MultitaskConfig(weighting="uncertainty", **SMALL))
    trainer.step(5)
    s = trainer.weighting.log_var.detach().clone()
    record = trainer.step(1)[0]  # weights recorded are those used in this step's total
    assert [record["weight_cls"], record["weight_reg"]] == pytest.approx(torch.exp(-s).tolist(), rel=1e-6)


def test_uncertainty_learns_a_small_weight_for_the_scaled_task():
    trainer = MultitaskTrainer(MultitaskConfig(weighting="uncertainty", scale=1000.0, lr=0.05, **SMALL))
    last = trainer.step(60)[-1]
    assert last["weight_reg"] < 0.5 < 1 < last["weight_cls"]  # both start at 1


def test_gradnorm_weights_sum_to_the_task_count():
    records = MultitaskTrainer(MultitaskConfig(weighting="gradnorm", scale=1000.0, **SMALL)).step(10)
    assert all(r["weight_cls"] + r["weight_reg"] == pytest.approx(2.0, rel=1e-5) for r in records[1:])
    assert records[-1]["weight_cls"] > records[-1]["weight_reg"]


def test_divergence_is_caught_with_a_message_and_the_weights_rolled_back():
    trainer = MultitaskTrainer(MultitaskConfig(**SMALL))
    trainer.step(2)
    with torch.no_grad():
        trainer.model.reg_head.bias.fill_(math.inf)  # as if an update had overflowed
    assert trainer.step(3) == [] and "NaN or infinite" in trainer.diverged
    assert torch.isinf(trainer.model.reg_head.bias).all()  # rollback restores the state before the bad step
    assert trainer.steps_done == 2 and trainer.step(1) == []


@pytest.mark.parametrize("bad", [{"scale": 1e4}, {"scale": math.nan}, {"weighting": "pcgrad"}, {"lr": -1.0},
                                 {"scaled_task": "<x>"}, {"temperature": 0.0}])
def test_invalid_config_raises_a_value_error_naming_the_field(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        MultitaskTrainer(MultitaskConfig(**bad))


def test_run_multitask_is_strict_json_with_history_and_final():
    summary = json.loads(json.dumps(run_multitask(MultitaskConfig(weighting="dwa", **SMALL)), allow_nan=False))
    assert summary["task"] == "multitask" and summary["settings"]["weighting"] == "dwa"
    assert len(summary["history"]) == SMALL["steps"]
    assert summary["final"]["step"] == SMALL["steps"]
    assert summary["final"]["metric_cls"] == summary["history"][-1]["metric_cls"]
    assert summary["diverged"] is None and summary["steps_per_s"] > 0
