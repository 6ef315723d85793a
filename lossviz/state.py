"""The table of shareable settings per page: what may appear in the URL, with types and ranges.

One declarative table (like TensorFlow Playground's ``PROPS``) drives the widgets, the URL and
validation, so they cannot disagree. Numeric settings become Streamlit sliders bound to the
query string (Streamlit itself drops invalid values); choice settings are synced by
``ui.url_state`` because their URL value must be a language-independent key (``loss=huber``)
while the menu shows a translated name. ``invalid_query_values`` explains to the user which
values of an opened link were ignored and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping


@dataclass(frozen=True)
class Setting:
    """One URL-shareable setting. ``kind`` is "float", "choice" or "choices" (a list)."""

    name: str  # query parameter and widget key
    kind: str
    default: object
    low: float = 0.0
    high: float = 0.0
    step: float = 0.0
    options: tuple[str, ...] = ()
    max_items: int = 0  # for "choices"

    def parse(self, raw: str | list[str]) -> object:
        """The value ``raw`` (from a URL) stands for; ``ValueError`` if it is not allowed."""
        if self.kind == "choices":
            text = ",".join(raw) if isinstance(raw, list) else str(raw)  # ?a=x,y or ?a=x&a=y
            items = [item for item in text.split(",") if item]
            bad = [item for item in items if item not in self.options]
            if bad or len(items) > self.max_items or len(set(items)) != len(items):
                raise ValueError(
                    f"up to {self.max_items} distinct of {', '.join(self.options)}"
                )
            return list(items)
        text = raw[-1] if isinstance(raw, list) else raw
        if self.kind == "choice":
            if text not in self.options:
                raise ValueError(f"one of {', '.join(self.options)}")
            return text
        try:
            value = float(text)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or not (self.low <= value <= self.high):
            raise ValueError(f"a number in [{self.low:g}, {self.high:g}]")
        return value


def float_setting(name: str, default: float, low: float, high: float, step: float) -> Setting:
    return Setting(name, "float", default, low, high, step)


def invalid_query_values(
    settings: Iterable[Setting], query: Mapping[str, str | list[str]]
) -> list[tuple[str, str, str]]:
    """(name, received, expected) for every known setting whose URL value is not allowed.

    Unknown names are ignored (as in TensorFlow Playground); they are not ours to judge.
    """
    problems = []
    for setting in settings:
        if setting.name not in query:
            continue
        raw = query[setting.name]
        try:
            setting.parse(raw)
        except ValueError as err:
            shown = raw if isinstance(raw, str) else ",".join(raw)
            problems.append((setting.name, shown[:40], str(err)))
    return problems


# --- /explorer -------------------------------------------------------------------------

DEFAULT_LOSS = "huber"
AXES = ("logit", "prob")
MAX_COMPARE = 3  # the selected loss plus up to three others: four curves at most

# The input sliders, by family. Classification losses move the logit of the true class.
_CLASSIFICATION_INPUTS = (
    float_setting("logit", 1.0, -8.0, 8.0, 0.05),
    float_setting("label", 1.0, 0.0, 1.0, 0.05),
)
INPUT_SETTINGS: dict[str, tuple[Setting, Setting]] = {
    "regression": (
        float_setting("pred", 1.5, -5.0, 5.0, 0.05),
        float_setting("target", 0.0, -3.0, 3.0, 0.05),
    ),
    "binary": _CLASSIFICATION_INPUTS,
    "multiclass": _CLASSIFICATION_INPUTS,
}


def explorer_settings(loss_keys: tuple[str, ...], loss_params: Iterable) -> list[Setting]:
    """Every setting /explorer can read from its URL, given the losses and their Params."""
    settings = [
        Setting("loss", "choice", DEFAULT_LOSS, options=loss_keys),
        Setting("compare", "choices", [], options=loss_keys, max_items=MAX_COMPARE),
        Setting("axis", "choice", "logit", options=AXES),
    ]
    seen = {s.name for s in settings}
    for pair in INPUT_SETTINGS.values():
        for setting in pair:
            if setting.name not in seen:
                settings.append(setting)
                seen.add(setting.name)
    for param in loss_params:
        if param.name not in seen:
            settings.append(float_setting(param.name, param.default, param.low, param.high, param.step))
            seen.add(param.name)
    return settings


# --- /classification -------------------------------------------------------------------

MAX_CLASSES = 10
CLASS_COUNTS = tuple(str(k) for k in range(2, MAX_CLASSES + 1))  # "k" in the URL
CLASS_INDICES = tuple(str(i) for i in range(MAX_CLASSES))  # "y"; checked against k on the page
DEFAULT_LOGITS = (2.0, 1.0, 0.1, -1.0, 0.5, -0.5, 1.5, -1.5, 0.0, -2.0)
LOGIT_LIMIT = 10.0


def classification_settings() -> list[Setting]:
    """Every setting /classification reads from its URL: k, y, z0…z9 and the loss knobs.

    The ε and γ ranges are the loss library's own (``Param``s of cross_entropy and focal);
    α here is the softmax focal loss's weight of the true class, so [0, 1].
    """
    return [
        Setting("k", "choice", "4", options=CLASS_COUNTS),
        Setting("y", "choice", "0", options=CLASS_INDICES),
        *(float_setting(f"z{i}", DEFAULT_LOGITS[i], -LOGIT_LIMIT, LOGIT_LIMIT, 0.1) for i in range(MAX_CLASSES)),
        float_setting("temperature", 1.0, 0.1, 5.0, 0.05),
        float_setting("label_smoothing", 0.1, 0.0, 0.5, 0.01),
        float_setting("gamma", 2.0, 0.0, 5.0, 0.1),
        float_setting("alpha", 0.25, 0.0, 1.0, 0.05),
        float_setting("weight", 2.0, 0.0, 10.0, 0.1),
    ]


# --- /stability ------------------------------------------------------------------------

STABILITY_DTYPES = ("float16", "bfloat16", "float32", "float64")
MAX_STABILITY_LOGITS = 8
STABILITY_LOGIT_LIMIT = 1e4


def parse_logit_list(text: str, max_count: int = MAX_STABILITY_LOGITS,
                     limit: float = STABILITY_LOGIT_LIMIT) -> list[float]:
    """Comma-separated logits: 2 to ``max_count`` finite numbers within ±``limit``, else ``ValueError``."""
    expected = f"2 to {max_count} comma-separated numbers in [-{limit:g}, {limit:g}]"
    parts = [part.strip() for part in str(text).split(",")]
    if not 2 <= len(parts) <= max_count:
        raise ValueError(expected)
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or abs(value) > limit:
            raise ValueError(expected)
        values.append(value)
    return values


@dataclass(frozen=True)
class LogitListSetting(Setting):
    """A comma-separated list of numbers in one URL value (``?logits=100,99,-800``)."""

    def parse(self, raw: str | list[str]) -> object:
        text = raw[-1] if isinstance(raw, list) else raw
        return parse_logit_list(text)


def stability_settings() -> list[Setting]:
    """Every setting /stability reads from its URL."""
    return [
        LogitListSetting("logits", "logits", "100, 99, -800"),
        Setting("dtype", "choice", "float32", options=STABILITY_DTYPES),
    ]
