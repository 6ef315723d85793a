"""Schema of the interview bank (lossviz/content/questions_*.json) and its loader."""

import json
import re

import pytest

from lossviz import i18n, state
from lossviz.losses import LOSSES
from lossviz.question_bank import (
    DIFFICULTIES,
    KNOWN_PAGES,
    TOPICS,
    DeepLink,
    filter_questions,
    load_questions,
    parse_question,
    question_by_id,
)

QUESTIONS = load_questions()
CJK = re.compile(r"[\u4e00-\u9fff]")
EXPLORER_INPUTS = {s.name for pair in state.INPUT_SETTINGS.values() for s in pair}


def test_bank_has_at_least_60_questions_with_unique_ids():
    assert len(QUESTIONS) >= 60
    ids = [q.id for q in QUESTIONS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_every_question_has_both_languages_a_topic_a_difficulty_and_an_answer(question):
    assert question.topic in TOPICS
    assert question.difficulty in DIFFICULTIES
    for lang in i18n.LANGS:
        assert len(question.text(lang)) > 10
        assert len(question.answer_text(lang)) > 40
    assert CJK.search(question.text("zh")) and CJK.search(question.answer_text("zh"))
    assert not CJK.search(question.text("en")) and not CJK.search(question.answer_text("en"))
    assert question.text("en") != question.text("zh")


def test_every_topic_and_difficulty_is_used_and_translated():
    assert {q.topic for q in QUESTIONS} == set(TOPICS)
    assert {q.difficulty for q in QUESTIONS} == set(DIFFICULTIES)
    for lang in i18n.LANGS:
        for name in TOPICS:
            assert i18n.t(f"interview.topic.{name}", lang) != f"interview.topic.{name}"
        for name in DIFFICULTIES:
            assert i18n.t(f"interview.difficulty.{name}", lang) != f"interview.difficulty.{name}"


def test_issue_topics_are_covered():
    """The issue's list, each matched by at least one question id."""
    every_id = " ".join(q.id for q in QUESTIONS)
    for needle in ("mse-vs-mae", "huber", "why-not-mse", "cross-entropy-meaning", "kl-vs-ce",
                   "forward-reverse-kl", "softmax-ce-gradient", "bce-vs-ce", "nll-vs-ce",
                   "softmax-overflow", "logsumexp", "label-smoothing", "focal", "weighted-ce",
                   "hinge", "contrastive", "triplet", "infonce", "temperature", "dice",
                   "mtl-", "not-decreasing", "oscillates", "momentum", "rmsprop", "adam", "adamw",
                   "pretraining", "ppo", "dpo", "moe", "z-loss"):
        assert needle in every_id, needle


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.all_links()], ids=lambda q: q.id)
def test_links_name_known_pages_and_explorer_links_are_valid_settings(question):
    if question.link is not None:
        assert question.link.page == "explorer", "the inline picture must exist today"
    for link in question.all_links():
        assert link.page in KNOWN_PAGES
        if link.page != "explorer":
            continue
        query = dict(link.query)
        loss = LOSSES[query["loss"]]
        names = {p.name for p in loss.params}
        allowed = {"loss", "compare", "axis"} | EXPLORER_INPUTS | names | {
            flag for name, flag in state.OFF_SWITCHES.items() if name in names}
        assert set(query) <= allowed, set(query) - allowed
        for other in filter(None, query.get("compare", "").split(",")):
            assert LOSSES[other].family == loss.family, "compare stays within the family"
        settings = state.explorer_settings(tuple(LOSSES), [p for l in LOSSES.values() for p in l.params])
        assert state.invalid_query_values(settings, query) == []


def test_deep_link_url_encodes_query_and_language():
    link = DeepLink("explorer", (("loss", "huber"), ("compare", "mae,mse")))
    assert link.url() == "/explorer?loss=huber&compare=mae%2Cmse"
    assert link.url("zh").endswith("&lang=zh")
    assert DeepLink("surfaces").url("en") == "/surfaces?lang=en"


def test_visible_links_hide_unregistered_pages():
    question = question_by_id("cls-softmax-ce-gradient")
    assert [l.page for l in question.visible_links({"explorer"})] == ["explorer"]
    assert [l.page for l in question.visible_links({"explorer", "classification"})] == [
        "explorer", "classification"]
    assert question.visible_links(set()) == ()


def test_filter_by_topic_and_difficulty():
    hard_llm = filter_questions(QUESTIONS, "llm", "hard")
    assert hard_llm and all(q.topic == "llm" and q.difficulty == "hard" for q in hard_llm)
    assert len(filter_questions(QUESTIONS)) == len(QUESTIONS)
    assert filter_questions(QUESTIONS, "no-such-topic") == []


@pytest.mark.parametrize(
    "broken, message",
    [
        ({"topic": "regression", "difficulty": "easy"}, "missing id"),
        ({"id": "x", "topic": "cooking", "difficulty": "easy"}, "topic"),
        ({"id": "x", "topic": "regression", "difficulty": "trivial"}, "difficulty"),
        ({"id": "x", "topic": "regression", "difficulty": "easy", "q": {"en": "only english"},
          "a": {"en": "a", "zh": "答"}}, "languages"),
        ({"id": "x", "topic": "regression", "difficulty": "easy", "q": {"en": "q", "zh": "问"},
          "a": {"en": "a", "zh": "答"}, "link": {"page": "nowhere"}}, "page"),
    ],
)
def test_malformed_questions_are_rejected_with_a_message(broken, message):
    with pytest.raises(ValueError, match=message):
        parse_question(broken, "test.json")


def test_content_files_are_plain_json_objects():
    from lossviz.question_bank import CONTENT_DIR

    for path in CONTENT_DIR.glob("*.json"):
        assert isinstance(json.loads(path.read_text(encoding="utf-8")), dict), path.name
