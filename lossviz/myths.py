"""The myth check: claims from articles (the seeds in ../shared/seeds included) that are wrong,
misleading or unsupported, each with live evidence or a citation.

Data: ``content/myths.json``, items ``{"id", "source", "verdict", "claim": {en, zh},
"correction": {en, zh}, "evidence": <name in lossviz.myth_evidence.EVIDENCE>, "cite": str}``
(``evidence`` and/or ``cite``). A correction's ``{name:.4f}`` placeholders are filled with the
numbers its evidence function computes at run time, so no number in a correction is typed in.
Torch is imported only when evidence is computed (``myth_evidence`` is imported lazily).
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from .i18n import LANGS
from .question_bank import CONTENT_DIR

VERDICTS: tuple[str, ...] = ("wrong", "misleading", "unsupported")


@dataclass(frozen=True)
class Myth:
    id: str
    source: str  # "seed 000" … "seed 004", or "common"
    verdict: str
    claim: Mapping[str, str]
    correction: Mapping[str, str]
    evidence: str | None = None
    cite: str | None = None

    def placeholders(self) -> set[str]:
        """Names the correction text needs from the evidence (the same in every language)."""
        return {name for lang in LANGS
                for _, name, _, _ in string.Formatter().parse(self.correction[lang]) if name}


def evidence_numbers(myth: Myth) -> dict[str, object]:
    """The numbers behind a myth, computed now by ``lossviz.myth_evidence`` ({} if cited only)."""
    if not myth.evidence:
        return {}
    from .myth_evidence import EVIDENCE  # torch: only when evidence is actually shown

    return EVIDENCE[myth.evidence]()


def correction_text(myth: Myth, lang: str, numbers: Mapping[str, object] | None = None) -> str:
    """The correction with its placeholders filled by the live evidence."""
    numbers = evidence_numbers(myth) if numbers is None else numbers
    return myth.correction[lang].format(**numbers)


def _parse(raw: Mapping) -> Myth:
    where = f"myths.json [{raw.get('id')}]"
    for field in ("claim", "correction"):
        texts = raw.get(field)
        if not isinstance(texts, dict) or set(texts) != set(LANGS) or not all(
            isinstance(v, str) and v.strip() for v in texts.values()
        ):
            raise ValueError(f"{where}: {field} needs non-empty {LANGS}")
    if raw.get("verdict") not in VERDICTS:
        raise ValueError(f"{where}: verdict must be one of {VERDICTS}")
    if not raw.get("evidence") and not raw.get("cite"):
        raise ValueError(f"{where}: needs live evidence or a citation")
    return Myth(raw["id"], raw.get("source", "common"), raw["verdict"], raw["claim"],
                raw["correction"], raw.get("evidence"), raw.get("cite"))


@lru_cache(maxsize=1)
def load_myths() -> tuple[Myth, ...]:
    items = json.loads((CONTENT_DIR / "myths.json").read_text(encoding="utf-8"))["myths"]
    myths = tuple(_parse(item) for item in items)
    if len({m.id for m in myths}) != len(myths):
        raise ValueError("duplicate myth id")
    return myths
