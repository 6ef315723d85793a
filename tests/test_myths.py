"""Myth check data (content/myths.json): schema, live evidence wired to every placeholder."""

import math
import re

import pytest

from lossviz import i18n
from lossviz.myth_evidence import EVIDENCE
from lossviz.myths import VERDICTS, correction_text, evidence_numbers, load_myths

MYTHS = load_myths()


def test_every_seed_has_myths_and_ids_are_unique():
    sources = {m.source for m in MYTHS}
    assert {f"seed 00{i}" for i in range(5)} <= sources
    assert "common" in sources
    assert len({m.id for m in MYTHS}) == len(MYTHS) >= 25


@pytest.mark.parametrize("myth", MYTHS, ids=lambda m: m.id)
def test_myth_has_both_languages_a_verdict_and_evidence_or_citation(myth):
    assert myth.verdict in VERDICTS
    assert myth.evidence in EVIDENCE or (myth.evidence is None and myth.cite)
    for lang in i18n.LANGS:
        assert myth.claim[lang].strip() and myth.correction[lang].strip()
    assert re.search(r"[\u4e00-\u9fff]", myth.correction["zh"])
    for lang in i18n.LANGS:
        names = {n for n in re.findall(r"\{(\w+)", myth.correction[lang])}
        assert names == myth.placeholders() or lang == "zh", "both languages use the same numbers"


@pytest.mark.parametrize("myth", [m for m in MYTHS if m.evidence], ids=lambda m: m.id)
def test_every_placeholder_is_computed_and_text_renders_in_both_languages(myth):
    numbers = evidence_numbers(myth)
    assert myth.placeholders() <= set(numbers), myth.placeholders() - set(numbers)
    assert myth.placeholders(), "live evidence must show at least one computed number"
    for lang in i18n.LANGS:
        text = correction_text(myth, lang, numbers)
        assert "{" not in text
    for name in myth.placeholders():
        value = numbers[name]
        assert isinstance(value, str) or math.isfinite(value), name
    en_names = set(re.findall(r"\{(\w+)", myth.correction["en"]))
    zh_names = set(re.findall(r"\{(\w+)", myth.correction["zh"]))
    assert en_names == zh_names


def test_cited_only_myths_render_without_computing():
    cited = [m for m in MYTHS if not m.evidence]
    assert cited
    for myth in cited:
        assert evidence_numbers(myth) == {}
        assert correction_text(myth, "zh") == myth.correction["zh"]
