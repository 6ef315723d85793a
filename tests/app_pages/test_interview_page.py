"""AppTest of /interview: every mode in both languages, deep links, quiz feedback, flashcards,
myths with live numbers, hostile URLs."""

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from streamlit.testing.v1 import AppTest

from lossviz.myth_evidence import seed_bce_example
from lossviz.question_bank import question_by_id
from lossviz.quiz import format_number

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_interview(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/interview.py")
    return at.run()


def page_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("mode", ["questions", "quiz", "flashcards", "myths"])
def test_every_mode_renders_in_both_languages(mode, lang):
    at = open_interview(mode=mode, lang=lang)
    assert not at.exception
    assert not at.warning
    title = at.title[0].value
    assert title == ("面试准备" if lang == "zh" else "Interview prep")


def test_deep_link_to_one_question_shows_its_answer_link_and_chart():
    question = question_by_id("reg-huber-delta")
    at = open_interview(q=question.id, lang="zh")
    assert at.selectbox(key="w.interview.q.zh").value == question.id
    assert question.answer_text("zh") in page_text(at)
    assert len(at.get("plotly_chart")) == 1
    assert at.get("download_button")  # Markdown and Anki exports


def test_links_show_exactly_the_registered_pages(monkeypatch):
    import ui.registered_pages

    question = question_by_id("cls-softmax-ce-gradient")  # explorer link + classification link
    at = open_interview(q=question.id)
    targets = [link.proto.page for link in at.get("page_link")]
    assert any("explorer" in target for target in targets)
    assert any("classification" in target for target in targets)  # registered in app.py
    only_explorer = frozenset({"explorer", "interview"})
    monkeypatch.setattr(ui.registered_pages, "registered_url_paths", lambda: only_explorer)
    at = open_interview(q=question.id)
    targets = [link.proto.page for link in at.get("page_link")]
    assert any("explorer" in target for target in targets)
    assert not any("classification" in target for target in targets)


def test_topic_and_difficulty_filter_the_selector():
    at = open_interview(topic="llm", difficulty="hard")
    options = at.selectbox(key="w.interview.q.en").options
    assert options and all(question_by_id_for_label(o).topic == "llm" for o in options)


def question_by_id_for_label(label: str):
    from lossviz.question_bank import load_questions

    text = label.split(". ", 1)[1]
    return next(q for q in load_questions() if q.text("en") == text)


def test_quiz_numeric_answer_right_then_wrong_with_computed_value_and_score():
    at = open_interview(mode="quiz", q="focal-gamma-0-to-2")
    z, y = torch.tensor([2.1972245773362196], dtype=torch.float64), torch.tensor([1.0], dtype=torch.float64)
    p = torch.sigmoid(z)
    expected = (1 / (1 - p) ** 2).item()  # CE / FL with γ = 2, α off: 1 / (1 - p_t)^γ
    assert F.binary_cross_entropy_with_logits(z, y).item() > 0
    at.number_input(key="guess_focal-gamma-0-to-2").set_value(round(expected, 1))
    at.button[0].click().run()  # the form's Check button
    assert not at.exception
    assert at.success and format_number(expected) in at.success[0].value
    assert at.metric[0].value == "1 / 1"
    at.number_input(key="guess_focal-gamma-0-to-2").set_value(3.0)
    at.button[0].click().run()
    assert at.error and format_number(expected) in at.error[0].value
    assert at.metric[0].value == "1 / 1", "only the first try counts"


def test_quiz_choice_wrong_answer_shows_the_computed_option():
    at = open_interview(mode="quiz", q="mse-vs-mae-gradient")  # AppTest formats radios in en
    at.radio(key="guess_mse-vs-mae-gradient").set_value("mse")
    at.button[0].click().run()
    assert at.error and "MAE's gradient is larger" in at.error[0].value
    assert at.metric[0].value == "0 / 1"


def test_quiz_check_without_prediction_asks_for_one():
    at = open_interview(mode="quiz")
    at.button[0].click().run()
    assert not at.exception and at.warning


def test_flashcard_hides_answer_until_revealed_and_next_moves_on():
    question = question_by_id("reg-mse-vs-mae-outliers")
    at = open_interview(mode="flashcards", q=question.id)
    assert question.answer_text("en") not in page_text(at)
    at.toggle[0].set_value(True).run()
    assert question.answer_text("en") in page_text(at)
    next_button = next(b for b in at.button if "Next" in b.label)
    next_button.click().run()
    assert at.selectbox(key="w.interview.q.en").value != question.id


def test_myths_show_numbers_computed_now():
    at = open_interview(mode="myths")
    text = page_text(at)
    assert f"{seed_bce_example()['correct']:.4f}" in text
    assert text.count("lossviz.myth_evidence.") >= 15


@pytest.mark.parametrize(
    "query",
    [
        {"mode": "nope"},
        {"topic": "<script>alert(1)</script>", "difficulty": "impossible"},
        {"q": "../../etc/passwd"},
        {"mode": "quiz", "q": "reg-huber-delta"},  # a question id in quiz mode: first quiz item
        {"topic": "segmentation", "difficulty": "easy"},  # nothing matches: a clear message
        {"mode": ["quiz", "myths"], "lang": "xx"},
    ],
)
def test_hostile_or_odd_urls_never_raise(query):
    at = open_interview(**query)
    assert not at.exception
    if set(query) & {"mode", "topic", "difficulty", "q"} and query.get("q") != "reg-huber-delta" \
            and query.get("topic") != "segmentation" and not isinstance(query.get("mode"), list):
        assert at.warning, "a notice names what was ignored"
