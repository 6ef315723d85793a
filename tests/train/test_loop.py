"""The training loop: determinism, divergence, learning, loss-task fit, caps; checked against a
hand-written torch loop where a number is compared."""

import math

import pytest
import torch
import torch.nn.functional as F

from lossviz.losses import LOSSES
from lossviz.train import MAX_BATCH, MAX_STEPS, TrainConfig, Trainer, build_model, build_optimizer
from lossviz.train.loop import MAX_CHUNK, compatible_losses


def test_same_config_gives_the_same_trajectory_bit_for_bit():
    config = TrainConfig(dataset="spirals", loss="focal_multiclass", optimizer="nesterov", lr=0.05, steps=120)
    a, b = Trainer(config), Trainer(config)
    records_a = a.step(50) + a.step(70)  # chunking must not change the trajectory
    records_b = b.step(120)
    assert [(r.loss, r.grad_norm) for r in records_a] == [(r.loss, r.grad_norm) for r in records_b]
    for p, q in zip(a.model.parameters(), b.model.parameters()):
        assert torch.equal(p, q)


def test_another_seed_gives_another_trajectory():
    a = Trainer(TrainConfig(seed=0)).step(5)
    b = Trainer(TrainConfig(seed=1)).step(5)
    assert [r.loss for r in a] != [r.loss for r in b]


def test_trainer_does_not_touch_the_global_rng():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    Trainer(TrainConfig(steps=10)).step(10)
    assert torch.equal(torch.rand(3), expected)


def test_first_steps_match_a_hand_written_torch_loop():
    """Same weights, batches and Adam: the recorded losses are what plain torch computes."""
    config = TrainConfig(dataset="moons", loss="bce", optimizer="adam", lr=0.01, batch_size=64, steps=30)
    trainer = Trainer(config)
    x, y = trainer.data.x_train, trainer.data.y_train.float()
    model = build_model(2, 1, (16, 16), "relu", seed=config.seed)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    order = torch.Generator().manual_seed(config.seed + 1)
    expected = []
    perm, cursor = torch.randperm(len(x), generator=order), 0
    for _ in range(30):
        if cursor + 64 > len(perm):
            perm, cursor = torch.randperm(len(x), generator=order), 0
        idx = perm[cursor:cursor + 64]
        cursor += 64
        loss = F.binary_cross_entropy_with_logits(model(x[idx])[:, 0], y[idx])
        opt.zero_grad()
        loss.backward()
        expected.append(loss.item())
        opt.step()
    got = [r.loss for r in trainer.step(30)]
    assert got == pytest.approx(expected, rel=1e-5, abs=1e-6)


def test_grad_norm_is_the_global_l2_norm_of_the_gradient():
    trainer = Trainer(TrainConfig(steps=1, optimizer="sgd", lr=1e-5))
    record = trainer.step(1)[0]
    grads = [p.grad for p in trainer.model.parameters()]
    assert record.grad_norm == pytest.approx(math.sqrt(sum(float((g**2).sum()) for g in grads)), rel=1e-5)


@pytest.mark.parametrize("dataset, loss, metric", [
    ("moons", "bce", "train_accuracy"), ("blobs", "cross_entropy", "train_accuracy"),
    ("circles", "focal", "train_accuracy"), ("regression", "huber", "train_mae"),
])
def test_loss_decreases_and_the_model_learns_an_easy_set(dataset, loss, metric):
    trainer = Trainer(TrainConfig(dataset=dataset, loss=loss, steps=400, lr=0.02))
    before = trainer.evaluate()
    trainer.step(400)
    after = trainer.evaluate()
    assert after["train_loss"] < 0.5 * before["train_loss"]
    if metric.endswith("accuracy"):
        assert after[metric] > 0.95
    else:
        assert after[metric] < 0.5 * before[metric]


def test_huge_learning_rate_stops_with_a_message_not_an_exception():
    trainer = Trainer(TrainConfig(dataset="regression", loss="mse", optimizer="sgd", lr=10.0, outliers=0.3,
                                  steps=200))
    records = trainer.step(200)
    d = trainer.divergence
    assert d is not None and trainer.finished
    assert d.what in ("loss", "gradient", "weights") and d.value in ("nan", "inf")
    assert len(records) == trainer.steps_done == d.step - 1
    assert "learning rate" in d.message and f"step {d.step}" in d.message
    assert trainer.step(10) == []  # a stopped run stays stopped


def test_nan_weights_are_named():
    trainer = Trainer(TrainConfig(steps=10))
    with torch.no_grad():
        trainer.model[2].weight[0, 0] = float("nan")
    trainer.step(5)
    assert trainer.divergence.what == "weights"
    assert trainer.divergence.where == "2.weight" and trainer.divergence.value == "nan"


def test_run_stops_at_its_step_count():
    trainer = Trainer(TrainConfig(steps=25))
    assert len(trainer.step(10)) == 10
    assert len(trainer.step(100)) == 15
    assert trainer.finished and trainer.step(1) == []


def test_one_call_is_capped_at_max_chunk():
    trainer = Trainer(TrainConfig(steps=MAX_STEPS, optimizer="sgd", lr=1e-4))
    assert len(trainer.step(10 * MAX_CHUNK)) == MAX_CHUNK


@pytest.mark.parametrize("change, word", [
    ({"steps": MAX_STEPS + 1}, "steps"), ({"steps": 0}, "steps"), ({"batch_size": MAX_BATCH + 1}, "batch_size"),
    ({"hidden": (65,)}, "hidden"), ({"hidden": (8,) * 5}, "hidden"), ({"lr": 100.0}, "lr"),
    ({"n_points": 10**6}, "n_points"), ({"optimizer": "lion"}, "adam"), ({"activation": "step"}, "relu"),
    ({"dataset": "mnist"}, "moons"), ({"loss_params": (("gamma", 2.0),)}, "gamma"),
    ({"loss": "focal", "loss_params": (("gamma", 99.0),)}, "gamma"), ({"seed": -1}, "seed"),
])
def test_caps_and_bad_settings_raise_value_error_naming_the_setting(change, word):
    config = TrainConfig(**{**TrainConfig().__dict__, **change})
    with pytest.raises(ValueError, match=word):
        Trainer(config)


def test_compatible_losses_follow_the_data_set():
    families = lambda ds, **kw: {LOSSES[k].family if k in LOSSES else k
                                 for k in compatible_losses(TrainConfig(dataset=ds, **kw))}
    assert families("moons") == {"binary", "multiclass"}
    assert families("imbalanced") == {"binary", "multiclass"}
    assert families("blobs", n_classes=4) == {"multiclass"}
    assert families("blobs", n_classes=2) == {"binary", "multiclass"}
    assert families("regression") == {"regression", "custom"}  # the typed loss: regression only


def test_a_loss_that_does_not_fit_is_refused_with_the_allowed_list():
    with pytest.raises(ValueError, match="huber"):
        Trainer(TrainConfig(dataset="regression", loss="bce"))
    with pytest.raises(ValueError, match="cross_entropy"):
        Trainer(TrainConfig(dataset="blobs", loss="bce"))


def _every_compatible_pair():
    for dataset in ("moons", "blobs", "regression"):
        for key in compatible_losses(TrainConfig(dataset=dataset)):
            if key in LOSSES:  # the typed loss is tested in test_custom_training.py
                yield dataset, key


@pytest.mark.parametrize("dataset, loss", list(_every_compatible_pair()))
def test_every_compatible_loss_trains_with_its_parameters(dataset, loss):
    params = tuple((p.name, p.high if p.name != "alpha" else 0.5) for p in LOSSES[loss].params)
    trainer = Trainer(TrainConfig(dataset=dataset, loss=loss, loss_params=params, steps=20))
    records = trainer.step(20)
    assert trainer.divergence is None and len(records) == 20
    assert all(math.isfinite(r.loss) and r.loss >= 0 for r in records)
    metrics = trainer.evaluate()
    assert set(metrics) >= {"train_loss", "val_loss"}


def test_multiclass_loss_on_a_binary_set_uses_two_logits():
    trainer = Trainer(TrainConfig(dataset="moons", loss="cross_entropy"))
    assert trainer.outputs(trainer.data.x_val).shape == (len(trainer.data.x_val), 2)


def test_same_seed_and_shape_start_from_the_same_weights_whatever_the_loss():
    """A/B runs: only the loss differs, so the starting point must not."""
    a = Trainer(TrainConfig(dataset="imbalanced", loss="bce"))
    b = Trainer(TrainConfig(dataset="imbalanced", loss="focal", optimizer="sgd"))
    for p, q in zip(a.model.parameters(), b.model.parameters()):
        assert torch.equal(p, q)


def test_optimizers_match_torch_optim_settings():
    model = build_model(2, 1, (4,), "tanh")
    nesterov = build_optimizer("nesterov", model.parameters(), 0.1)
    assert isinstance(nesterov, torch.optim.SGD)
    assert nesterov.defaults["nesterov"] and nesterov.defaults["momentum"] == 0.9
    assert isinstance(build_optimizer("adamw", model.parameters(), 0.1), torch.optim.AdamW)
    assert isinstance(build_optimizer("rmsprop", model.parameters(), 0.1), torch.optim.RMSprop)
