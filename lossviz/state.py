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


class SettingError(ValueError):
    """A URL value that is not allowed. ``key`` and ``values`` let a page say so in its own
    language (``url.expected.<kind>`` in the locale files); ``str(err)`` is the English text."""

    def __init__(self, kind: str, english: str, **values: object) -> None:
        super().__init__(english)
        self.key = f"url.expected.{kind}"
        self.values = values


@dataclass(frozen=True)
class Setting:
    """One URL-shareable setting. ``kind`` is "float", "choice" or "choices" (a list)."""

    name: str  # query parameter and widget key
    kind: str  # "float", "choice", "choices" or "flag" (0/1)
    default: object
    low: float = 0.0
    high: float = 0.0
    step: float = 0.0
    options: tuple[str, ...] = ()
    max_items: int = 0  # for "choices"

    def parse(self, raw: str | list[str]) -> object:
        """The value ``raw`` (from a URL) stands for; ``SettingError`` if it is not allowed."""
        if self.kind == "choices":
            items = self.items(raw)
            bad = [item for item in items if item not in self.options]
            if bad or len(items) > self.max_items or len(set(items)) != len(items):
                raise self.choices_error()
            return list(items)
        text = raw[-1] if isinstance(raw, list) else raw
        if self.kind == "choice":
            if text not in self.options:
                raise SettingError("choice", f"one of {', '.join(self.options)}", options=", ".join(self.options))
            return text
        if self.kind == "flag":
            if text not in ("0", "1"):
                raise SettingError("flag", "0 or 1")
            return text == "1"
        try:
            value = float(text)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or not (self.low <= value <= self.high):
            raise SettingError("number", f"a number in [{self.low:g}, {self.high:g}]",
                               low=f"{self.low:g}", high=f"{self.high:g}")
        return value

    @staticmethod
    def items(raw: str | list[str]) -> list[str]:
        """The items of a list setting: ``?a=x,y`` and ``?a=x&a=y`` both give [x, y]."""
        text = ",".join(raw) if isinstance(raw, list) else str(raw)
        return [item for item in text.split(",") if item]

    def choices_error(self, options: tuple[str, ...] | None = None) -> SettingError:
        shown = ", ".join(self.options if options is None else options)
        return SettingError("choices", f"up to {self.max_items} distinct of {shown}",
                            n=self.max_items, options=shown)

    def parse_lenient(
        self, raw: str | list[str], options: tuple[str, ...] | None = None
    ) -> tuple[object, SettingError | None]:
        """(value, problem): like ``parse``, but a list keeps its valid items (the first
        ``max_items`` distinct ones among ``options``) and reports the rest, instead of
        dropping the whole list for one bad item."""
        if self.kind != "choices":
            try:
                return self.parse(raw), None
            except SettingError as err:
                return self.default, err
        allowed = self.options if options is None else options
        kept: list[str] = []
        for item in self.items(raw):
            if item in allowed and item not in kept and len(kept) < self.max_items:
                kept.append(item)
        dropped = len(self.items(raw)) - len(kept)
        return kept, (self.choices_error(allowed) if dropped else None)

    def to_url(self, value: object) -> str:
        """The text this value takes in a URL ("" for "leave it out")."""
        if self.kind == "choices":
            return ",".join(value)
        if self.kind == "flag":
            return "1" if value else "0"
        if self.kind == "float":
            return f"{float(value):.10g}"
        return str(value)


def float_setting(name: str, default: float, low: float, high: float, step: float) -> Setting:
    return Setting(name, "float", default, low, high, step)


def flag_setting(name: str, default: bool) -> Setting:
    """An on/off switch, ``?name=1`` or ``?name=0`` in the URL."""
    return Setting(name, "flag", default)


def shown_raw(raw: str | list[str]) -> str:
    """A received URL value as it is quoted back to the user (cut to 40 characters)."""
    return (raw if isinstance(raw, str) else ",".join(raw))[:40]


def invalid_query_values(
    settings: Iterable[Setting], query: Mapping[str, str | list[str]]
) -> list[tuple[str, str, SettingError]]:
    """(name, received, error) for every known setting whose URL value is not allowed.

    Unknown names are ignored (as in TensorFlow Playground); they are not ours to judge.
    """
    problems = []
    for setting in settings:
        if setting.name not in query:
            continue
        try:
            setting.parse(query[setting.name])
        except SettingError as err:
            problems.append((setting.name, shown_raw(query[setting.name]), err))
    return problems


# --- /explorer -------------------------------------------------------------------------

DEFAULT_LOSS = "huber"
AXES = ("logit", "prob")
MAX_COMPARE = 3  # the selected loss plus up to three others: four curves at most
# Loss parameters where a negative value means "off" (binary focal α, as in torchvision):
# the explorer shows a switch (URL name on the right) and a slider over [0, high] instead.
OFF_SWITCHES = {"alpha": "use_alpha"}

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
        if param.name in seen:
            continue
        seen.add(param.name)
        if param.name in OFF_SWITCHES:  # "α < 0 means off" becomes a switch plus α in [0, high]
            settings.append(flag_setting(OFF_SWITCHES[param.name], True))
            settings.append(float_setting(param.name, max(param.default, 0.0), 0.0, param.high, param.step))
        else:
            settings.append(float_setting(param.name, param.default, param.low, param.high, param.step))
    return settings


def loss_param_values(params: dict[str, float], switches: dict[str, bool]) -> dict[str, float]:
    """The loss's keyword arguments from slider values and their on/off switches
    (a switched-off α is passed as −1, the library's and torchvision's "off")."""
    return {name: (value if switches.get(OFF_SWITCHES.get(name, ""), True) else -1.0)
            for name, value in params.items()}


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
