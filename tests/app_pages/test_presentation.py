"""Presentation mode and the ?lang= notice (ui/presentation.py) through AppTest: stepping through
every lesson opens exactly its links, values match torch, hostile classroom values only warn."""

from pathlib import Path

import json
import pytest
import torch
from streamlit.testing.v1 import AppTest

from ui.scrub_readouts import component_data

from lossviz.display import fmt_number
from lossviz.i18n import t
from lossviz.lessons import lessons
from ui.presentation import presentation_css

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def tr_en(key: str) -> str:
    return t(key, "en")


def open_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    return at.run()


def test_unknown_language_gets_a_notice_naming_it():
    at = open_app(lang="xx")
    assert not at.exception
    assert any("lang=xx" in w.value and "en, zh" in w.value for w in at.warning)
    assert at.radio(key="lang").value == "en"


def test_without_present_there_is_no_stepper():
    at = open_app(lesson="regression-robustness")
    assert not at.exception and not at.button


@pytest.mark.parametrize("lesson_id", list(lessons()))
def test_next_walks_through_every_step_of_the_lesson_and_back(lesson_id):
    steps = lessons()[lesson_id]
    at = open_app(present="1", lesson=lesson_id)
    assert at.button(key="classroom_back").disabled
    for number, step in enumerate(steps, start=1):
        at.button(key="classroom_next").click().run()
        assert not at.exception, (lesson_id, number)
        assert not at.warning, f"{step.link()} has ignored values: {[w.value for w in at.warning]}"
        for name, value in step.query:  # a page drops values equal to its defaults from the URL
            if name in at.query_params:
                assert at.query_params[name] in (value, [value]), (step.link(), name)
        assert at.query_params["step"] in (str(number), [str(number)])
        assert at.info[0].value == tr_en(f"classroom.lesson.{lesson_id}.{number}")
    assert at.button(key="classroom_next").disabled
    at.button(key="classroom_back").click().run()
    assert not at.exception
    assert at.query_params["step"] in (str(len(steps) - 1), [str(len(steps) - 1)])


def test_stepping_resets_the_page_to_the_link_values():
    at = open_app(present="1", lesson="regression-robustness", step="0")
    at.button(key="classroom_next").click().run()  # /explorer?loss=mse&pred=2
    at.slider(key="w.explorer.target.en").set_value(-1.0).run()  # the teacher moves the target...
    at.button(key="classroom_next").click().run()  # ...and the next step still shows its link: pred=4, y=0
    pred = torch.tensor(4.0, requires_grad=True)
    loss = torch.nn.functional.mse_loss(pred, torch.tensor(0.0))
    loss.backward()
    (readouts,) = at.get("bidi_component")
    data = component_data(readouts.proto.json)
    assert data["values"][data["active"]][:2] == [fmt_number(loss.item()), fmt_number(pred.grad.item())]
    assert at.selectbox(key="w.explorer.loss.en").value == "mse"
    assert at.button_group(key="w.explorer.compare.en").value == ["mae"]


def test_leaving_presentation_removes_its_parameters():
    at = open_app(present="1", lesson="classification-gradients", step="1", show="logit")
    at.button(key="classroom_exit").click().run()
    assert not at.exception
    assert not {"present", "lesson", "step", "show"} & set(at.query_params.keys())


@pytest.mark.parametrize("query", [
    {"present": "yes", "lesson": "nope", "step": "-3"},
    {"present": "1", "lesson": "<script>", "step": "1e999", "show": "}</style><b>x"},
    {"present": "1", "lesson": "regression-robustness", "step": "99"},
])
def test_hostile_classroom_values_only_warn(query):
    at = open_app(**query)
    assert not at.exception
    assert at.warning


def test_css_keeps_only_named_controls_and_the_stepper():
    css = presentation_css(["pred", "delta"])
    assert ":not(.st-key-pred):not(.st-key-url_pred)" in css
    assert ":not(.st-key-delta):not(.st-key-url_delta)" in css
    assert "st-key-classroom_" in css
    assert "st-key-w-'][class*='-delta-zh'" in css  # the page views' keys: w.<page>.<name>.<lang>
    assert "stSidebar" in presentation_css([]) and "st-key" not in presentation_css([])


def test_home_links_every_lesson_in_presentation_mode():
    at = open_app()
    assert not at.exception
    labels = [link.label for link in at.get("page_link")]
    for lesson_id in lessons():
        assert tr_en(f"classroom.lesson.{lesson_id}.title") in labels
