"""Lessons for presentation mode: a lesson is a named list of deep links (lossviz/content/lessons.json).

A teacher opens ``/?present=1&lesson=<id>`` and steps through the links with PageDown / PageUp
(what a presentation clicker sends). Each link is an ordinary shareable URL of a page
(``/explorer?loss=huber&delta=0.3``); the words the teacher shows with a step are in the locale
files under ``classroom.lesson.<id>.title`` and ``classroom.lesson.<id>.<n>`` (n from 1), so a
lesson reads in both languages. Adding a lesson = one entry in the JSON file + its strings.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LESSONS_FILE = Path(__file__).parent / "content" / "lessons.json"
# Query parameters of presentation mode itself; a lesson link must not set them.
PRESENT, LESSON, STEP, SHOW = "present", "lesson", "step", "show"
CLASSROOM_PARAMS = (PRESENT, LESSON, STEP, SHOW)
_CSS_SAFE = re.compile(r"[A-Za-z0-9_-]{1,40}")  # ASCII only: str.isalnum() accepts "¹"


@dataclass(frozen=True)
class Step:
    """One view of a lesson: a page (its url_path, "" for home) and that page's query."""

    url_path: str
    query: tuple[tuple[str, str], ...]

    @classmethod
    def from_link(cls, link: str) -> "Step":
        parts = urllib.parse.urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            raise ValueError(f"a lesson step is a path like /explorer?loss=mse, got {link!r}")
        query = tuple(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        clash = sorted({name for name, _ in query} & {*CLASSROOM_PARAMS, "lang"})
        if clash:
            raise ValueError(f"{link!r}: a lesson step must not set {clash} (the teacher's view does)")
        return cls(parts.path.strip("/"), query)

    def link(self) -> str:
        return "/" + self.url_path + ("?" + urllib.parse.urlencode(self.query) if self.query else "")


@lru_cache(maxsize=1)
def lessons() -> dict[str, tuple[Step, ...]]:
    """Every lesson, by id, in file order."""
    raw = json.loads(LESSONS_FILE.read_text(encoding="utf-8"))
    return {lesson_id: tuple(Step.from_link(link) for link in links) for lesson_id, links in raw.items()}


def step_query(lesson_id: str, number: int, step: Step, show: str | None = None) -> dict[str, str]:
    """The query string of step ``number`` (1-based) of a lesson, in presentation mode."""
    query = dict(step.query)
    query.update({PRESENT: "1", LESSON: lesson_id, STEP: str(number)})
    if show:
        query[SHOW] = show
    return query


def shown_controls(show: str | None) -> list[str]:
    """The names of ``?show=a,b`` that are safe CSS class suffixes (ASCII letters, digits, _, -)."""
    names = [] if not show else [name.strip() for name in show.split(",")]
    return [name for name in names if _CSS_SAFE.fullmatch(name)][:20]
