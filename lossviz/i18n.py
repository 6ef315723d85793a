"""Every user-visible string, in English and 简体中文.

Strings live in ``lossviz/locales/<lang>/*.json`` (flat ``{key: text}`` objects, one file per
area: ``app.json`` for the shell and pages, ``losses.json`` for loss names and parameters).
All files of a language are merged; a key defined twice is an error. ``t(key, lang)`` falls
back to English and then to the key itself, so a missing string is visible but never crashes
a page; ``tests/test_i18n.py`` fails if any key exists in one language and not the other.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGS: tuple[str, ...] = ("en", "zh")
DEFAULT_LANG = "en"
LANG_NAMES = {"en": "English", "zh": "简体中文"}
LOCALE_DIR = Path(__file__).parent / "locales"


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """All strings of one language, merged from its JSON files."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}. Received: lang={lang!r}")
    merged: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.json")):
        strings = json.loads(path.read_text(encoding="utf-8"))
        clash = sorted(set(strings) & set(merged))
        if clash:
            raise ValueError(f"{path}: keys defined in another {lang} file too: {clash}")
        merged.update(strings)
    return merged


def normalize_lang(lang: object) -> str:
    """A supported language code; anything else becomes the default."""
    return lang if isinstance(lang, str) and lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **values: object) -> str:
    """The string for ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``."""
    text = catalog(normalize_lang(lang)).get(key) or catalog(DEFAULT_LANG).get(key) or key
    return text.format(**values) if values else text


def missing_keys() -> dict[str, list[str]]:
    """For each language, the keys another language has and it lacks."""
    every = set().union(*(catalog(lang) for lang in LANGS))
    return {lang: sorted(every - set(catalog(lang))) for lang in LANGS}
