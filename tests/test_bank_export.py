"""Markdown and Anki CSV exports of the interview bank."""

import csv
import io

from lossviz import i18n
from lossviz.bank_export import ANKI_HEADER, to_anki_csv, to_markdown
from lossviz.question_bank import DIFFICULTIES, TOPICS, load_questions, question_by_id

QUESTIONS = load_questions()


def labels(lang):
    words = {"answer": "Answer", "link": "See it"}
    words.update({f"topic.{t}": i18n.t(f"interview.topic.{t}", lang) for t in TOPICS})
    words.update({f"difficulty.{d}": i18n.t(f"interview.difficulty.{d}", lang) for d in DIFFICULTIES})
    return words


def parse_anki(text):
    body = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    return list(csv.reader(io.StringIO("".join(body))))


def test_markdown_has_every_question_answer_and_link_in_the_language():
    for lang in i18n.LANGS:
        text = to_markdown(QUESTIONS, lang, "Bank", labels(lang), base_url="https://x.org")
        assert text.count("\n## ") == len(QUESTIONS)
        for question in QUESTIONS:
            assert question.text(lang) in text and question.answer_text(lang) in text
        assert "<https://x.org/explorer?loss=huber&delta=0.5&pred=2&lang=" + lang + ">" in text


def test_anki_csv_round_trips_one_note_per_question_with_tags():
    text = to_anki_csv(QUESTIONS, "zh", base_url="https://x.org")
    assert text.splitlines()[: len(ANKI_HEADER)] == list(ANKI_HEADER)
    rows = parse_anki(text)
    assert len(rows) == len(QUESTIONS)
    assert all(len(row) == 3 for row in rows)
    first = QUESTIONS[0]
    assert rows[0][2] == f"lossviz::{first.topic} lossviz::{first.difficulty}"
    assert "<" not in rows[0][0].replace("<br>", "")


def test_anki_csv_escapes_html_converts_maths_and_keeps_commas_and_quotes():
    question = question_by_id("cls-softmax-ce-gradient")
    (row,) = parse_anki(to_anki_csv([question], "en"))
    assert "\\(p - y\\)" in row[0] and "$" not in row[0]
    nll = question_by_id("cls-nll-vs-ce-pytorch")
    (row,) = parse_anki(to_anki_csv([nll], "en"))
    assert "`cross_entropy(z, y) == nll_loss(log_softmax(z, 1), y)`" in row[1]
    huber = question_by_id("reg-huber-delta")
    (row,) = parse_anki(to_anki_csv([huber], "en", base_url="https://x.org"))
    assert '<a href="https://x.org/explorer?loss=huber&amp;delta=0.5&amp;pred=2&amp;lang=en">' in row[1]
    assert "&lt;" not in row[1] or "<" in huber.answer_text("en")


def test_exports_of_an_empty_selection_are_valid():
    assert to_markdown([], "en", "Empty", labels("en")) == "# Empty\n"
    assert parse_anki(to_anki_csv([], "en")) == []
