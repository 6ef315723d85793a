r"""Export the interview bank as Markdown (to read or print) and as CSV for Anki.

Anki CSV (Anki ≥ 2.1.55 reads the ``#`` header lines): comma-separated, every field quoted,
columns Front, Back, Tags; HTML allowed, so text is HTML-escaped, newlines become ``<br>`` and
inline ``$...$`` maths becomes Anki's MathJax ``\(...\)``. Tags are ``lossviz::<topic>`` and
``lossviz::<difficulty>``; deep links are absolute when a ``base_url`` is given.
"""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Iterable

from .question_bank import Question

_INLINE_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$")
ANKI_HEADER = ("#separator:Comma", "#html:true", "#columns:Front,Back,Tags", "#tags column:3")


def to_markdown(questions: Iterable[Question], lang: str, title: str, labels: dict[str, str],
                base_url: str = "") -> str:
    """One ``##`` section per question: question, meta line, answer, links.

    ``labels`` holds translated words: "answer", "link", and "topic.<x>" / "difficulty.<x>".
    """
    lines = [f"# {title}", ""]
    for number, question in enumerate(questions, 1):
        meta = f"{labels['topic.' + question.topic]} · {labels['difficulty.' + question.difficulty]}"
        lines += [f"## {number}. {question.text(lang)}", "", f"*{meta}* · `{question.id}`", "",
                  f"**{labels['answer']}:** {question.answer_text(lang)}", ""]
        for link in question.all_links():
            lines += [f"- {labels['link']}: <{base_url}{link.url(lang)}>"]
        if question.all_links():
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _anki_html(text: str) -> str:
    escaped = html.escape(text, quote=False)
    return _INLINE_MATH.sub(r"\\(\1\\)", escaped).replace("\n", "<br>")


def to_anki_csv(questions: Iterable[Question], lang: str, base_url: str = "") -> str:
    """Anki-importable CSV text (header lines, then one note per question)."""
    out = io.StringIO()
    out.write("\n".join(ANKI_HEADER) + "\n")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for question in questions:
        back = _anki_html(question.answer_text(lang))
        links = [f'<a href="{html.escape(base_url + link.url(lang))}">{html.escape(link.page)}</a>'
                 for link in question.all_links()]
        if links:
            back += "<br><br>" + " · ".join(links)
        tags = f"lossviz::{question.topic} lossviz::{question.difficulty}"
        writer.writerow([_anki_html(question.text(lang)), back, tags])
    return out.getvalue()
