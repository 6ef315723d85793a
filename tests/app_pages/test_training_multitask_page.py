"""AppTest of /training's multi-task mode. AppTest never ticks ``run_every`` fragments, so the
Step button drives the run here (the ticking is tested in a real browser,
tests/e2e/test_training_multitask.py); numbers are compared with the core trainer directly."""

import math
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lossviz.display import fmt_number
from lossviz.train.multitask import MultitaskConfig, MultitaskTrainer

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_training(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/training.py")
    return at.run()


def status(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "/ " in m.value and ("Step" in m.value or "步" in m.value))


def numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+\.\d+", text)]


def test_mode_switch_turns_the_single_task_page_into_the_multitask_mode():
    at = open_training()
    assert at.radio(key="w.training.mode.en").value == "single"
    at.radio(key="w.training.mode.en").set_value("multitask").run()
    assert not at.exception
    assert at.selectbox(key="w.training.weighting.en").value == "fixed"
    assert at.selectbox(key="w.training.weighting_b.en").value == "uncertainty"  # A/B on by default
    assert status(at).startswith("Step **0** / 500")
    assert not any(b.key == "training_play" for b in at.button)  # the single-task run is not drawn
    assert at.query_params["mode"] in ("multitask", ["multitask"])


def test_deep_link_restores_the_mode_and_its_settings():
    at = open_training(mode="multitask", weighting="uncertainty", weighting_b="gradnorm", gn_alpha_b="0.5",
                       scale="100", scaled_task="cls", mt_lr="0.03", mt_steps="300", mt_seed="7")
    assert not at.exception
    assert at.selectbox(key="w.training.weighting.en").value == "uncertainty"
    assert at.selectbox(key="w.training.weighting_b.en").value == "gradnorm"
    assert at.slider(key="w.training.gn_alpha_b.en").value == 0.5
    assert at.select_slider(key="w.training.scale.en").value == "100"
    assert at.radio(key="w.training.scaled_task.en").value == "cls"
    assert at.slider(key="w.training.mt_seed.en").value == 7
    assert status(at).startswith("Step **0** / 300")
    assert not at.warning


def test_step_advances_both_runs_to_the_core_trainers_numbers():
    at = open_training(mode="multitask", weighting="fixed", weighting_b="uncertainty", mt_speed="5")
    at.button(key="training_mt_step").click().run()
    assert not at.exception
    text = status(at)
    assert text.startswith("Step **5** / 500")
    for run, strategy in (("A", "fixed"), ("B", "uncertainty")):
        trainer = MultitaskTrainer(MultitaskConfig(weighting=strategy, scale=1000.0, lr=0.01, steps=500))
        last = trainer.step(5)[-1]
        expected = f"accuracy {fmt_number(last['metric_cls'], 3)} · RMSE {fmt_number(last['metric_reg'], 3)}"
        assert f"**{run}**" in text and expected in text, (expected, text)
    assert all(math.isfinite(v) for v in numbers(text))
    chart = at.get("plotly_chart")[0].proto.spec
    assert '"yaxis4"' in chart and "task loss" in chart


def test_fixed_weights_sliders_only_for_fixed_and_ab_off_hides_run_b():
    at = open_training(mode="multitask", weighting="fixed", weight_reg="0.001", mt_ab="off")
    assert at.select_slider(key="w.training.weight_reg.en").value == "0.001"
    assert not any(s.key == "w.training.weighting_b.en" for s in at.selectbox)
    at.selectbox(key="w.training.weighting.en").set_value("dwa").run()
    assert not any(s.key == "w.training.weight_reg.en" for s in at.select_slider)
    assert at.slider(key="w.training.dwa_t.en").value == 2.0
    assert "weight_reg" not in at.query_params  # not on screen: out of the link


def test_play_pause_and_reset():
    at = open_training(mode="multitask")
    at.button(key="training_mt_play").click().run()  # the play rerun itself runs one tick (<= 10 steps, 60 ms)
    assert at.button(key="training_mt_play").label.endswith("Pause")
    played = int(re.match(r"Step \*\*(\d+)\*\*", status(at)).group(1))
    assert 1 <= played <= 10
    at.button(key="training_mt_step").click().run()  # stepping pauses, and takes exactly 10 steps
    assert at.button(key="training_mt_play").label.endswith("Play")
    assert status(at).startswith(f"Step **{played + 10}**")
    at.button(key="training_mt_reset").click().run()
    assert status(at).startswith("Step **0**")
    assert not at.exception


def test_malformed_values_show_notices_and_fall_back():
    at = open_training(mode="multitask", weighting="magic", scale="1e9", gn_alpha="abc", mt_steps="-5",
                       mt_ab="maybe", weight_cls="<script>", mt_seed="nan")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    for name in ("weighting", "scale", "gn_alpha", "mt_steps", "mt_ab", "weight_cls", "mt_seed"):
        assert f"`{name}=" in warnings, (name, warnings)
    assert at.selectbox(key="w.training.weighting.en").value == "fixed"
    assert at.select_slider(key="w.training.scale.en").value == "1000"


def test_a_malformed_mode_falls_back_to_single_task_with_a_notice():
    at = open_training(mode="triple")
    assert not at.exception
    assert "`mode=" in " ".join(w.value for w in at.warning)
    assert at.radio(key="w.training.mode.en").value == "single"


def test_divergence_stops_the_run_with_a_message():
    at = open_training(mode="multitask", mt_ab="off")
    run = at.session_state["training_mt_run"]
    import torch

    with torch.no_grad():
        run.runs["A"].model.cls_head.weight.fill_(float("nan"))
    at.button(key="training_mt_step").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Run A stopped at step 1" in errors and "learning rate" in errors
    assert at.button(key="training_mt_play").disabled


@pytest.mark.parametrize("lang, heading, step", [("en", "Live Training", "Step **10**"), ("zh", "实时训练", "第 **10**")])
def test_both_languages_render_a_stepped_run_with_its_formulas(lang, heading, step):
    """Stepped in English, then switched once: AppTest formats select widgets with English labels
    on later runs of a page opened in Chinese (see test_explorer_page.py); the browser test
    presses play in Chinese."""
    at = open_training(mode="multitask", weighting="gradnorm", weighting_b="dwa")
    at.button(key="training_mt_step").click().run()
    if lang != "en":
        at.radio(key="lang").set_value(lang).run()
    assert not at.exception
    assert at.title[0].value == heading
    assert step in status(at)
    assert all(math.isfinite(v) for v in numbers(status(at)))
    assert at.selectbox(key=f"w.training.weighting.{lang}").value == "gradnorm"
    latex = " ".join(m.value for m in at.latex)
    assert r"\alpha = 1.5" in latex and "T = 2" in latex
    text = " ".join(m.value for m in at.markdown)
    assert "Chen" in text and "Liu" in text and "NYUv2" in text


def test_uncertainty_in_the_papers_form_runs_with_kendalls_constants():
    at = open_training(mode="multitask", weighting="uncertainty", unc_form="paper", mt_ab="off", mt_speed="5")
    assert at.radio(key="w.training.unc_form.en").value == "paper"
    at.button(key="training_mt_step").click().run()
    assert not at.exception
    core = MultitaskTrainer(MultitaskConfig(weighting="uncertainty", uncertainty_form="paper", scale=1000.0,
                                            lr=0.01, steps=500)).step(5)[-1]
    assert f"accuracy {fmt_number(core['metric_cls'], 3)} · RMSE {fmt_number(core['metric_reg'], 3)}" in status(at)
    latex = " ".join(m.value for m in at.latex)
    assert r"\frac{1}{2\sigma_{\mathrm{reg}}^2}" in latex and r"\log\sigma_{\mathrm{cls}}" in latex
