"""AppTest of /gan: buttons drive the run, URL settings restore it, hostile URLs never raise.

The ticking itself (st.fragment(run_every=...)) is not driven by AppTest; the loop it calls is
tested in tests/train/test_gan_loop.py and the ticking in the browser (tests/e2e/test_gan.py).
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lossviz.display import fmt_number
from lossviz.train.gan_loop import GanConfig, run_gan

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_gan(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/gan.py")
    return at.run()


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_gan_page_renders_defaults_at_step_zero():
    at = open_gan()
    assert not at.exception
    assert at.selectbox(key="w.gan.target.en").value == "bimodal"
    assert at.selectbox(key="w.gan.gan_loss.en").value == "nonsaturating"
    assert metric_values(at)["Step"] == "0"
    assert not at.warning


def test_step_button_trains_speed_steps_and_matches_the_core():
    at = open_gan(gan_speed="7")
    at.button(key="gan_step").click().run()
    assert not at.exception
    values = metric_values(at)
    assert values["Step"] == "7"
    reference = run_gan(GanConfig(steps=7))  # the page's defaults
    assert values["Generator loss"] == fmt_number(reference["history"][-1]["loss_g"])
    assert values["Discriminator loss"] == fmt_number(reference["history"][-1]["loss_d"])


def test_reset_goes_back_to_step_zero_and_play_toggles_to_pause():
    at = open_gan(gan_speed="3")
    at.button(key="gan_step").click().run()
    at.button(key="gan_reset").click().run()
    assert metric_values(at)["Step"] == "0"
    at.button(key="gan_play").click().run()  # one full rerun while playing: one chunk trained
    assert not at.exception
    assert at.button(key="gan_play").label.startswith("⏸")
    assert metric_values(at)["Step"] == "3"


def test_deep_link_restores_settings_and_language():
    at = open_gan(target="gaussian", gan_loss="minimax", gan_opt="sgd", lr_g="0.01", lr_d="0.1", d_steps="5", lang="zh")
    assert not at.exception
    assert at.selectbox(key="w.gan.gan_loss.zh").value == "minimax"
    assert at.radio(key="w.gan.gan_opt.zh").value == "sgd"
    assert at.slider(key="w.gan.lr_d.zh").value == pytest.approx(0.1)
    assert at.slider(key="w.gan.d_steps.zh").value == 5
    assert at.title[0].value == "GAN 损失：实时训练"


def test_changing_a_setting_starts_a_new_run():
    at = open_gan(gan_speed="4")
    at.button(key="gan_step").click().run()
    assert metric_values(at)["Step"] == "4"
    at.selectbox(key="w.gan.gan_loss.en").set_value("hinge").run()
    assert not at.exception and metric_values(at)["Step"] == "0"


@pytest.mark.parametrize("query", [
    {"target": "<script>alert(1)</script>", "gan_loss": "wgan"},
    {"lr_g": "nan", "lr_d": "1e999", "gan_seed": "-3"},
    {"gan_speed": "1000000", "noise_dim": "abc", "d_steps": "0", "gan_opt": "lbfgs"},
])
def test_hostile_urls_fall_back_with_a_notice(query):
    at = open_gan(**query)
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for name in query:
        assert f"`{name}=" in notices, notices
    at.button(key="gan_step").click().run()
    assert not at.exception and metric_values(at)["Step"] == "20"  # defaults used
