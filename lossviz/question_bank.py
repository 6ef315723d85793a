"""The interview question bank: load, validate and filter the questions in ``lossviz/content/``.

The questions are data (``content/questions_*.json``), one file per area, each
``{"questions": [...]}`` with items::

    {"id": "reg-huber-delta", "topic": "regression", "difficulty": "medium",
     "q": {"en": ..., "zh": ...}, "a": {"en": ..., "zh": ...},
     "link": {"page": "explorer", "query": {"loss": "huber", "delta": "0.5"}},   # optional
     "extra_links": [{"page": "classification", "query": {...}}],                # optional
     "link_note": {"en": ..., "zh": ...}}                                        # optional

``link`` is the picture shown inline and linked (always a page that exists today);
``extra_links`` point to pages that may not be registered yet: the page shows them only when
the app registers that page. Loading raises ``ValueError`` naming the file and the question
for any schema problem, so a broken data file fails the tests, not a user's session.
No torch and no Streamlit here: the page and the exporters share this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import urlencode

from .i18n import LANGS

CONTENT_DIR = Path(__file__).parent / "content"
TOPICS: tuple[str, ...] = (
    "regression", "classification", "information", "numerics", "imbalance", "margin",
    "embedding", "segmentation", "multitask", "training", "optimizers", "llm",
)
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
# Every page the design names; a link to any other path is a data error.
KNOWN_PAGES: tuple[str, ...] = (
    "explorer", "classification", "stability", "surfaces", "training", "llm", "custom", "gan",
)


@dataclass(frozen=True)
class DeepLink:
    """A page and the exact query that shows a picture, e.g. /explorer?loss=huber&delta=0.5."""

    page: str
    query: tuple[tuple[str, str], ...] = ()

    def url(self, lang: str | None = None) -> str:
        """The page-relative address, language included when given (``/explorer?...&lang=zh``)."""
        params = list(self.query) + ([("lang", lang)] if lang else [])
        return f"/{self.page}" + (f"?{urlencode(params)}" if params else "")


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    difficulty: str
    question: Mapping[str, str]  # lang -> text
    answer: Mapping[str, str]
    link: DeepLink | None = None
    extra_links: tuple[DeepLink, ...] = ()
    link_note: Mapping[str, str] | None = None

    def text(self, lang: str) -> str:
        return self.question[lang]

    def answer_text(self, lang: str) -> str:
        return self.answer[lang]

    def all_links(self) -> tuple[DeepLink, ...]:
        return ((self.link,) if self.link else ()) + self.extra_links

    def visible_links(self, registered_pages: Iterable[str]) -> tuple[DeepLink, ...]:
        """The links whose page the app registers now (other pages are being built)."""
        pages = set(registered_pages)
        return tuple(link for link in self.all_links() if link.page in pages)


def _bilingual(raw: object, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or set(raw) != set(LANGS):
        raise ValueError(f"{where}: needs exactly the languages {LANGS}, got {raw!r:.80}")
    if not all(isinstance(text, str) and text.strip() for text in raw.values()):
        raise ValueError(f"{where}: empty text")
    return dict(raw)


def parse_link(raw: object, where: str) -> DeepLink:
    if not isinstance(raw, dict) or raw.get("page") not in KNOWN_PAGES:
        raise ValueError(f"{where}: page must be one of {KNOWN_PAGES}, got {raw!r:.80}")
    query = raw.get("query", {})
    if not isinstance(query, dict) or not all(isinstance(v, str) for v in query.values()):
        raise ValueError(f"{where}: query must map names to strings")
    return DeepLink(raw["page"], tuple(query.items()))


def parse_question(raw: Mapping, where: str) -> Question:
    """One question from its JSON form; ``ValueError`` naming ``where`` if it is malformed."""
    qid = raw.get("id")
    if not isinstance(qid, str) or not qid:
        raise ValueError(f"{where}: missing id")
    where = f"{where} [{qid}]"
    if raw.get("topic") not in TOPICS:
        raise ValueError(f"{where}: topic must be one of {TOPICS}")
    if raw.get("difficulty") not in DIFFICULTIES:
        raise ValueError(f"{where}: difficulty must be one of {DIFFICULTIES}")
    return Question(
        id=qid,
        topic=raw["topic"],
        difficulty=raw["difficulty"],
        question=_bilingual(raw.get("q"), f"{where} q"),
        answer=_bilingual(raw.get("a"), f"{where} a"),
        link=parse_link(raw["link"], f"{where} link") if "link" in raw else None,
        extra_links=tuple(parse_link(item, f"{where} extra_links") for item in raw.get("extra_links", ())),
        link_note=_bilingual(raw["link_note"], f"{where} link_note") if "link_note" in raw else None,
    )


@lru_cache(maxsize=1)
def load_questions() -> tuple[Question, ...]:
    """Every question of every ``questions_*.json`` file, in file order; ids are unique."""
    questions: list[Question] = []
    for path in sorted(CONTENT_DIR.glob("questions_*.json")):
        items = json.loads(path.read_text(encoding="utf-8"))["questions"]
        questions.extend(parse_question(item, path.name) for item in items)
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            raise ValueError(f"duplicate question id {question.id!r}")
        seen.add(question.id)
    return tuple(questions)


def question_by_id(qid: str) -> Question | None:
    return next((q for q in load_questions() if q.id == qid), None)


def filter_questions(
    questions: Iterable[Question], topic: str = "all", difficulty: str = "all"
) -> list[Question]:
    """The questions of one topic and/or difficulty ("all" keeps everything)."""
    return [
        q for q in questions
        if topic in ("all", q.topic) and difficulty in ("all", q.difficulty)
    ]
