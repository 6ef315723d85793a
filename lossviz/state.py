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


# --- /custom ---------------------------------------------------------------------------

CUSTOM_DEFAULT_EXPR = "log(1 + (y - p)**2 / c)"  # the Cauchy (Lorentzian) loss: robust, not convex
CUSTOM_DEFAULT_PARAMS = "c:1:0.1:10"  # name:default:low:high, comma-separated
CUSTOM_NO_OVERLAY = "none"
# URL names and widget keys of /custom that a declared parameter may not take (its slider
# is keyed and bound to the URL by its own name, ?c=2).
CUSTOM_RESERVED = frozenset({"expr", "params", "target", "pred", "overlay", "lang", "custom_expr",
                             "custom_params", "url_overlay"})


def custom_settings(overlay_keys: tuple[str, ...]) -> list[Setting]:
    """The fixed settings of /custom; ``expr`` and ``params`` are text, checked by lossviz.expr,
    and each declared parameter adds ``float_setting(name, default, low, high, step)``."""
    pred, target = INPUT_SETTINGS["regression"]
    return [pred, target,
            Setting("overlay", "choice", CUSTOM_NO_OVERLAY, options=(CUSTOM_NO_OVERLAY, *overlay_keys))]
