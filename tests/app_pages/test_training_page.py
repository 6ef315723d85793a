"""AppTest of /training. AppTest never ticks ``run_every`` fragments, so the Step button drives
the run here (the ticking is tested in a real browser, tests/e2e/test_training.py); numbers are
compared with the core run directly."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from lossviz.display import fmt_number
from lossviz.train import TrainConfig, Trainer

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_training(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/training.py")
    return at.run()


def status(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "/ " in m.value and ("Step" in m.value or "步" in m.value))


def test_default_page_renders_a_paused_run_at_step_zero():
    at = open_training()
    assert not at.exception
    assert at.selectbox(key="w.training.dataset.en").value == "moons"
    assert at.selectbox(key="w.training.loss.en").value == "bce"
    assert status(at).startswith("Step **0** / 500")
    assert at.button(key="training_play").label.endswith("Play")


def test_step_button_advances_to_the_same_numbers_as_the_core():
    at = open_training()
    at.button(key="training_step").click().run()
    assert not at.exception
    trainer = Trainer(TrainConfig(lr=0.03))  # page defaults: moons, 16,16 ReLU, BCE, Adam, lr 0.03, batch 64
    trainer.step(10)
    metrics = trainer.evaluate()
    text = status(at)
    assert text.startswith("Step **10** / 500")
    assert f"val loss {fmt_number(metrics['val_loss'])}" in text


def test_play_turns_into_pause_and_reset_returns_to_step_zero():
    at = open_training()
    at.button(key="training_play").click().run()
    assert at.button(key="training_play").label.endswith("Pause")
    at.button(key="training_step").click().run()  # stepping pauses
    assert at.button(key="training_play").label.endswith("Play")
    at.button(key="training_reset").click().run()
    assert status(at).startswith("Step **0**")


def test_deep_link_restores_regression_with_huber_and_delta():
    at = open_training(dataset="regression", loss="huber", delta="0.5", outliers="0.3", lr="0.1", lang="zh")
    assert not at.exception
    assert at.selectbox(key="w.training.loss.zh").value == "huber"
    assert at.slider(key="w.training.delta.zh").value == 0.5
    assert at.slider(key="w.training.outliers.zh").value == 0.3
    assert status(at).startswith("第 **0** / 500 步")


def test_ab_mode_shows_both_runs_with_their_own_losses():
    at = open_training(ab="on", dataset="imbalanced", loss_b="focal", gamma_b="3")
    assert not at.exception
    assert at.selectbox(key="w.training.loss_b.en").value == "focal"
    assert at.slider(key="w.training.gamma_b.en").value == 3.0
    at.button(key="training_step").click().run()
    text = status(at)
    assert "**A**" in text and "**B**" in text


def test_hostile_query_values_show_notices_and_never_raise():
    at = open_training(dataset="mnist", lr="abc", steps="1e9", hidden="<script>", ab="maybe", seed="nan",
                       loss="huber", speed="-1")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    for name in ("dataset", "lr", "steps", "hidden", "ab", "seed", "speed"):
        assert f"`{name}=" in warnings
    assert at.selectbox(key="w.training.dataset.en").value == "moons"
    assert at.selectbox(key="w.training.loss.en").value in ("bce",)  # huber does not fit moons: the default


def test_divergence_stops_the_run_with_a_message_not_a_traceback():
    at = open_training(dataset="regression", loss="mse", optimizer="sgd", lr="3", outliers="0.5", speed="50")
    at.button(key="training_step").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Run A stopped at step" in errors and "learning rate" in errors
    assert at.button(key="training_play").disabled


def test_inspector_shows_ece_and_csv_export():
    at = open_training()
    at.button(key="training_step").click().run()
    at.radio(key="training_inspect_view").set_value("confidence").run()
    assert any("ECE" in m.label for m in at.metric)
    at.radio(key="training_inspect_view").set_value("export").run()
    assert at.get("download_button")
    assert not at.exception
