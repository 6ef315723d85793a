"""The GAN loop: determinism, record shape, divergence caught, JSON summary, and mode collapse
measured on the bimodal target."""

import json
import math

import pytest
import torch

from lossviz.train import gan
from lossviz.train.gan_loop import GanConfig, GanTrainer, run_gan

SHORT = GanConfig(steps=30, batch=32, hidden=8)


def test_same_seed_gives_the_same_run_bit_for_bit():
    a, b = GanTrainer(SHORT), GanTrainer(SHORT)
    ra, rb = a.step(25), b.step(25)
    assert [{k: v for k, v in r.items()} for r in ra] == rb
    for pa, pb in zip(a.generator.parameters(), b.generator.parameters()):
        assert torch.equal(pa, pb)


def test_chunking_does_not_change_the_run():
    whole, chunked = GanTrainer(SHORT), GanTrainer(SHORT)
    records = whole.step(20)
    parts = chunked.step(7) + chunked.step(6) + chunked.step(7)
    strip = lambda rs: [{k: v for k, v in r.items() if k != "view"} for r in rs]  # noqa: E731
    assert strip(records) == strip(parts)


def test_a_different_seed_gives_a_different_run():
    a = GanTrainer(SHORT).step(5)
    b = GanTrainer(GanConfig(**{**SHORT.__dict__, "seed": 1})).step(5)
    assert a[-1]["loss_d"] != b[-1]["loss_d"]


def test_training_does_not_touch_the_global_random_state():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    GanTrainer(SHORT).step(3)
    assert torch.equal(torch.rand(3), expected)


def test_records_carry_losses_every_step_and_the_view_on_the_last():
    trainer = GanTrainer(SHORT)
    records = trainer.step(4)
    assert [r["step"] for r in records] == [1, 2, 3, 4]
    assert all({"loss_d", "loss_g", "d_real", "d_fake"} <= r.keys() for r in records)
    assert "view" not in records[0] and "view" in records[-1]
    view = records[-1]["view"]
    assert len(view["x"]) == len(view["d_of_x"]) == len(view["real_density"])
    assert len(view["bins"]) == len(view["real_hist"]) == len(view["fake_hist"])
    assert all(0 <= d <= 1 for d in view["d_of_x"])  # σ(l) for the cross-entropy losses
    assert sum(view["real_hist"]) * (view["bins"][1] - view["bins"][0]) == pytest.approx(1, abs=0.01)


def test_first_record_losses_equal_the_loss_functions_on_the_initial_networks():
    trainer = GanTrainer(SHORT)
    rng = torch.Generator().manual_seed(SHORT.seed + 1)  # replay the trainer's draws
    real = gan.sample_real(SHORT.target, SHORT.batch, rng)
    fake = trainer.generator(torch.randn(SHORT.batch, SHORT.noise_dim, generator=rng))
    expected_d = gan.discriminator_loss(SHORT.loss, trainer.discriminator(real), trainer.discriminator(fake))
    record = trainer.step(1)[0]
    assert record["loss_d"] == pytest.approx(expected_d.item(), rel=1e-6)


def test_divergence_stops_with_a_message_and_rolls_back_to_finite_weights():
    trainer = GanTrainer(SHORT)
    trainer.step(3)
    real_step = trainer.opt_d.step

    def blow_up():  # as if an update had overflowed
        real_step()
        with torch.no_grad():
            trainer.discriminator[0].weight[0, 0] = math.nan

    trainer.opt_d.step = blow_up
    records = trainer.step(5)
    assert records == [] and "NaN or infinite" in trainer.diverged and "step 4" in trainer.diverged
    assert trainer.steps_done == 3
    assert all(torch.isfinite(p).all() for p in trainer.discriminator.parameters())
    assert trainer.step(5) == []  # stays stopped until reset
    assert all(math.isfinite(v) for v in trainer.view()["d_of_x"])


def test_non_finite_initial_weights_are_caught_by_the_loss_check():
    trainer = GanTrainer(SHORT)
    with torch.no_grad():
        trainer.discriminator[0].weight[0, 0] = math.inf
    assert trainer.step(2) == [] and "loss_d=nan" in trainer.diverged


def test_invalid_config_is_a_value_error_naming_the_field():
    for bad in ({"lr_g": math.nan}, {"lr_d": 0.0}, {"target": "<b>"}, {"loss": "wgan"}, {"batch": 10**6}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            GanTrainer(GanConfig(**bad))


def test_run_gan_summary_is_json_with_history_and_final_metrics():
    summary = run_gan(SHORT)
    text = json.dumps(summary, allow_nan=False)  # strict JSON: no NaN sneaks in
    back = json.loads(text)
    assert back["task"] == "gan" and back["settings"]["loss"] == "nonsaturating"
    assert len(back["history"]) == SHORT.steps and back["history"][-1]["step"] == SHORT.steps
    assert back["final"]["loss_g"] == back["history"][-1]["loss_g"]
    assert back["final"]["modes_total"] == 2 and len(back["final"]["mode_mass"]) == 2
    assert back["diverged"] is None and back["steps_per_s"] > 0


def test_minimax_loss_stalls_against_a_strong_discriminator_where_non_saturating_learns():
    """Plain SGD, D five times per G step at 10x G's rate, Gaussian target at 2.5, generator
    starting near 0: D(G(z)) falls towards 0 and the minimax gradient -D with it."""
    strong_d = dict(target="gaussian", optimizer="sgd", lr_g=0.01, lr_d=0.1, d_steps=5, steps=300)
    minimax = run_gan(GanConfig(loss="minimax", **strong_d))
    nonsaturating = run_gan(GanConfig(loss="nonsaturating", **strong_d))
    assert minimax["history"][-1]["d_fake"] < 0.01
    assert abs(minimax["final"]["fake_mean"]) < 1.0  # still near where it started
    assert abs(nonsaturating["final"]["fake_mean"] - gan.GAUSSIAN_MEAN) < 0.3
    assert nonsaturating["final"]["wasserstein"] < minimax["final"]["wasserstein"] / 4


def test_a_collapsed_generator_is_measured_as_one_mode_of_two():
    trainer = GanTrainer(SHORT)  # bimodal target
    with torch.no_grad():  # a generator that ignores z and outputs the right mode, +2
        last = trainer.generator[-1]
        last.weight.zero_()
        last.bias.fill_(gan.BIMODAL_MEANS[1])
    view = trainer.view()
    assert view["mode_mass"] == [0.0, 1.0] and view["modes_covered"] == 1 and view["modes_total"] == 2


def test_lsgan_collapses_onto_one_mode_where_non_saturating_covers_both_same_seed():
    """Measured on the bimodal target with the page's defaults (seed 0, rates 0.002)."""
    base = dict(target="bimodal", lr_g=0.002, lr_d=0.002, steps=400)
    lsgan = run_gan(GanConfig(loss="lsgan", **base))["final"]
    nonsaturating = run_gan(GanConfig(loss="nonsaturating", **base))["final"]
    assert lsgan["modes_covered"] == 1 and max(lsgan["mode_mass"]) > 0.9
    assert nonsaturating["modes_covered"] == 2 and min(nonsaturating["mode_mass"]) > 0.3
