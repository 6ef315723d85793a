"""Lessons (lossviz/lessons.py + content/lessons.json): every step is a link to a registered page,
every step has its words in both languages, and ?show= names can never break out of CSS."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lossviz.i18n import LANGS, catalog
from lossviz.lessons import CLASSROOM_PARAMS, Step, lessons, shown_controls, step_query
from ui.registered_pages import registered_pages


def test_every_step_opens_a_registered_page():
    pages = {page.url_path for page in registered_pages()}
    assert lessons(), "at least one lesson"
    for lesson_id, steps in lessons().items():
        assert steps, lesson_id
        for step in steps:
            assert step.url_path in pages, f"{lesson_id}: {step.link()} is not a page of app.py"


@pytest.mark.parametrize("lang", LANGS)
def test_every_lesson_and_step_has_words_in_each_language(lang):
    strings = catalog(lang)
    for lesson_id, steps in lessons().items():
        assert strings.get(f"classroom.lesson.{lesson_id}.title")
        for number in range(1, len(steps) + 1):
            assert strings.get(f"classroom.lesson.{lesson_id}.{number}"), (lang, lesson_id, number)
        # no words for a step that does not exist
        assert f"classroom.lesson.{lesson_id}.{len(steps) + 1}" not in strings


def test_step_link_round_trip_and_query():
    step = Step.from_link("/explorer?loss=huber&compare=mse,mae&delta=0.3")
    assert step.url_path == "explorer"
    assert Step.from_link(step.link()) == step
    query = step_query("demo", 2, step, "pred")
    assert query == {"loss": "huber", "compare": "mse,mae", "delta": "0.3",
                     "present": "1", "lesson": "demo", "step": "2", "show": "pred"}


@pytest.mark.parametrize("link", ["https://evil.example/explorer", "explorer?loss=mse",
                                  "/explorer?present=1", "/explorer?lang=zh", "//evil.example/x"])
def test_links_that_leave_the_app_or_set_the_teachers_view_are_rejected(link):
    with pytest.raises(ValueError):
        Step.from_link(link)


def test_classroom_params_are_not_page_settings():
    assert set(CLASSROOM_PARAMS) == {"present", "lesson", "step", "show"}


SAFE = set(string.ascii_letters + string.digits + "_-")


@given(st.text(max_size=200))
def test_shown_controls_are_safe_css_class_suffixes(show):
    names = shown_controls(show)
    assert len(names) <= 20
    for name in names:
        assert name and set(name) <= SAFE and name in show


def test_shown_controls_keeps_the_named_controls_in_order():
    assert shown_controls("pred, delta,,loss") == ["pred", "delta", "loss"]
    assert shown_controls("pred}</style><script>") == []
    assert shown_controls(None) == []
