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


# --- /explorer: the counts family (poisson_nll, msle, mape) -------------------------------------
# Predictions move like regression's; targets are non-negative (a count or an amount), so they get
# their own setting name: "target" keeps its regression range [-3, 3].
INPUT_SETTINGS["counts"] = (INPUT_SETTINGS["regression"][0], float_setting("count", 2.0, 0.0, 10.0, 0.1))


# --- /llm ---------------------------------------------------------------------------------------
# One slider per name, prefixed by the tab it belongs to (lm_, ls_, mlm_, ctc_, nce_, kl_, ppo_,
# dpo_, moe_), so links stay readable: /llm?ls_eps=0.1&kl_sep=6.
LLM_SETTINGS: tuple[Setting, ...] = (
    float_setting("lm_skill", 2.0, -2.0, 8.0, 0.1),  # bonus logit on the correct next token
    float_setting("ls_eps", 0.1, 0.0, 0.5, 0.01),  # label smoothing ε (the Transformer used 0.1)
    float_setting("mlm_rate", 0.15, 0.05, 1.0, 0.05),  # BERT masks 15 % of positions
    float_setting("ctc_blank", 0.0, 0.0, 1.0, 0.05),  # 0 = aligned frames, 1 = blank-heavy frames
    float_setting("ctc_sharp", 4.0, 0.5, 8.0, 0.5),  # how peaked each frame's logits are
    float_setting("nce_tau", 0.1, 0.01, 2.0, 0.01),  # temperature τ
    float_setting("nce_spread", 90.0, 0.0, 120.0, 5.0),  # degrees between neighbouring pairs
    float_setting("nce_offset", 10.0, 0.0, 180.0, 5.0),  # degrees between image i and text i
    float_setting("nce_text0", 10.0, -180.0, 180.0, 5.0),  # text 1's own offset from image 1
    float_setting("nce_margin", 1.0, 0.0, 3.0, 0.1),  # triplet / contrastive margin m
    float_setting("kl_sep", 6.0, 0.0, 8.0, 0.5),  # distance between the two modes
    float_setting("kl_weight", 0.5, 0.1, 0.9, 0.05),  # weight of the left mode
    float_setting("ppo_eps", 0.2, 0.05, 0.5, 0.05),  # clip ε (the PPO paper's 0.2)
    float_setting("ppo_beta", 0.0, 0.0, 1.0, 0.05),  # KL penalty β
    float_setting("ppo_ratio", 1.3, 0.05, 2.5, 0.05),  # the probability ratio r read out as metrics
    float_setting("dpo_margin", 1.0, -10.0, 10.0, 0.5),  # log-ratio margin h read out as metrics
    float_setting("moe_collapse", 0.0, 0.0, 1.0, 0.05),  # 0 = random routing, 1 = all to expert 1
    float_setting("moe_scale", 1.0, 0.1, 5.0, 0.1),  # router logit scale (what z-loss punishes)
)
