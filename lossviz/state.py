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
                return self.on_step(self.parse(raw))
            except SettingError as err:
                return self.default, err
            except ValueError as err:  # a page's own parse: still an ignored value, never a crash
                return self.default, SettingError("other", str(err), text=str(err))
        allowed = self.options if options is None else options
        kept: list[str] = []
        for item in self.items(raw):
            if item in allowed and item not in kept and len(kept) < self.max_items:
                kept.append(item)
        dropped = len(self.items(raw)) - len(kept)
        return kept, (self.choices_error(allowed) if dropped else None)

    def on_step(self, value: object) -> tuple[object, SettingError | None]:
        """A number from a link, moved to the nearest of the slider's steps (the page can only
        show and compute those: the explorer's readouts exist for each step), with a notice
        when that changed it; anything else unchanged."""
        if self.kind != "float" or not self.step:
            return value, None
        steps = round((float(value) - float(self.low)) / float(self.step))
        nearest = min(max(round(float(self.low) + steps * float(self.step), 12), float(self.low)), float(self.high))
        if abs(nearest - float(value)) <= 1e-9 * float(self.step):
            return nearest, None
        return nearest, SettingError("step", f"a value on the slider's steps of {self.step:g}; using {nearest:g}",
                                     step=f"{self.step:g}", used=f"{nearest:g}")

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
_PREDICTION = float_setting("pred", 1.5, -5.0, 5.0, 0.05)
INPUT_SETTINGS: dict[str, tuple[Setting, Setting]] = {
    "regression": (_PREDICTION, float_setting("target", 0.0, -3.0, 3.0, 0.05)),
    # counts (poisson_nll, msle, mape): predictions move like regression's; targets are
    # non-negative (a count or an amount), so they get their own name, "target" keeping [-3, 3]
    "counts": (_PREDICTION, float_setting("count", 2.0, 0.0, 10.0, 0.1)),
    "binary": _CLASSIFICATION_INPUTS,
    "multiclass": _CLASSIFICATION_INPUTS,
}


SCRUB_INPUT = "input"  # /explorer's scrubber moves the prediction or logit (else: a parameter's name)
CUSTOM_KEY = "custom"  # the loss the user typed (/custom); in /explorer's compare list and /training's menu


def explorer_settings(loss_keys: tuple[str, ...], loss_params: Iterable) -> list[Setting]:
    """Every setting /explorer can read from its URL, given the losses and their Params.
    ``compare`` may also hold ``custom``, the loss typed on /custom (its ``expr`` and ``params``
    are text settings of their own, read by ``ui.custom_compare``)."""
    settings = [
        Setting("loss", "choice", DEFAULT_LOSS, options=loss_keys),
        Setting("compare", "choices", [], options=(*loss_keys, CUSTOM_KEY), max_items=MAX_COMPARE),
        Setting("axis", "choice", "logit", options=AXES),
    ]
    seen = {s.name for s in settings}
    param_names: list[str] = []
    for pair in INPUT_SETTINGS.values():
        for setting in pair:
            if setting.name not in seen:
                settings.append(setting)
                seen.add(setting.name)
    for param in loss_params:
        if param.name in seen:
            continue
        seen.add(param.name)
        param_names.append(param.name)
        if param.name in OFF_SWITCHES:  # "α < 0 means off" becomes a switch plus α in [0, high]
            settings.append(flag_setting(OFF_SWITCHES[param.name], True))
            settings.append(float_setting(param.name, max(param.default, 0.0), 0.0, param.high, param.step))
        else:
            settings.append(float_setting(param.name, param.default, param.low, param.high, param.step))
    # What the browser-side scrubber moves: the prediction/logit ("input"), or one parameter of
    # the selected loss (a curve family; the prediction is then a server slider).
    settings.append(Setting("scrub", "choice", SCRUB_INPUT, options=(SCRUB_INPUT, *param_names)))
    return settings


def loss_param_values(params: dict[str, float], switches: dict[str, bool]) -> dict[str, float]:
    """The loss's keyword arguments from slider values and their on/off switches
    (a switched-off α is passed as −1, the library's and torchvision's "off")."""
    return {name: (value if switches.get(OFF_SWITCHES.get(name, ""), True) else -1.0)
            for name, value in params.items()}


# --- /interview ------------------------------------------------------------------------

INTERVIEW_MODES = ("questions", "quiz", "flashcards", "myths")


@dataclass(frozen=True)
class ItemIdSetting(Setting):
    """A choice among many ids (?q=): the notice names one example instead of every id."""

    def parse(self, raw: str | list[str]) -> object:
        text = raw[-1] if isinstance(raw, list) else raw
        if text not in self.options:
            raise SettingError("interview_id", f"a question or quiz id such as {self.options[0]}",
                               example=self.options[0])
        return text


def interview_settings(topics: tuple[str, ...], difficulties: tuple[str, ...],
                       item_ids: tuple[str, ...]) -> list[Setting]:
    """/interview's URL: the mode, the topic and difficulty filters, and one question/quiz id
    (``?q=``, a deep link to one question, flashcard or quiz item)."""
    return [
        Setting("mode", "choice", "questions", options=INTERVIEW_MODES),
        Setting("topic", "choice", "all", options=("all", *topics)),
        Setting("difficulty", "choice", "all", options=("all", *difficulties)),
        ItemIdSetting("q", "choice", "", options=item_ids),
    ]


# --- /training -------------------------------------------------------------------------

TRAIN_ARCHS = ("linear", "8", "16", "32", "8,8", "16,16", "32,32", "16,16,16")  # hidden widths
TRAIN_LRS = ("0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3")  # log-spaced, as people try them
TRAIN_BATCHES = ("8", "16", "32", "64", "128", "256")
TRAIN_SPEEDS = ("1", "5", "10", "25", "50")  # optimizer steps per chart update
B_SUFFIX = "_b"  # run B's loss, optimizer, learning rate and loss parameters: ?loss_b=focal&gamma_b=2


def training_settings(datasets: tuple[str, ...], activations: tuple[str, ...], optimizers: tuple[str, ...],
                      loss_keys: tuple[str, ...], loss_params: Iterable) -> list[Setting]:
    """Every setting /training reads from its URL; run B's have the ``_b`` suffix."""
    settings = [
        Setting("dataset", "choice", "moons", options=datasets),
        float_setting("classes", 3, 2, 6, 1),
        float_setting("ratio", 10, 1, 50, 1),
        float_setting("label_noise", 0.0, 0.0, 0.5, 0.05),
        float_setting("outliers", 0.1, 0.0, 0.5, 0.05),
        float_setting("noise", 0.1, 0.0, 0.5, 0.05),
        Setting("hidden", "choice", "16,16", options=TRAIN_ARCHS),
        Setting("activation", "choice", "relu", options=activations),
        float_setting("steps", 500, 100, 5000, 100),
        float_setting("seed", 0, 0, 99, 1),
        Setting("batch", "choice", "64", options=TRAIN_BATCHES),
        Setting("speed", "choice", "10", options=TRAIN_SPEEDS),
        Setting("ab", "choice", "off", options=("off", "on")),
    ]
    seen_params = list({param.name: param for param in loss_params}.values())
    for suffix, default_loss in (("", "bce"), (B_SUFFIX, "focal")):
        settings += [
            Setting("loss" + suffix, "choice", default_loss, options=loss_keys),
            Setting("optimizer" + suffix, "choice", "adam", options=optimizers),
            Setting("lr" + suffix, "choice", "0.03", options=TRAIN_LRS),
        ]
        names = {s.name for s in settings}
        for param in seen_params:
            if param.name + suffix not in names:
                settings.append(float_setting(param.name + suffix, param.default, param.low, param.high, param.step))
                names.add(param.name + suffix)
    return settings + multitask_settings()


# /training's multi-task mode (?mode=multitask): its own names, so nothing collides with the
# single-task settings above (``alpha`` and ``temperature`` are loss parameters there).
TRAINING_MODES = ("single", "multitask")
MT_WEIGHTINGS = ("fixed", "uncertainty", "gradnorm", "dwa")  # = lossviz.train.weighting.STRATEGIES
MT_SCALES = ("1", "3", "10", "30", "100", "300", "1000")  # × one task's raw loss; up to 1000x
MT_WEIGHTS = ("0", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10")  # fixed w_i, log-spaced
MT_LRS = ("0.001", "0.003", "0.01", "0.03", "0.1")  # Adam
UNCERTAINTY_FORMS = ("simplified", "paper")  # Σ e^{-s}L + s, or Kendall et al.'s own constants


def multitask_settings() -> list[Setting]:
    """The multi-task mode's settings; run B's strategy and its knobs have the ``_b`` suffix."""
    settings = [
        Setting("mode", "choice", "single", options=TRAINING_MODES),
        Setting("scale", "choice", "1000", options=MT_SCALES),
        Setting("scaled_task", "choice", "reg", options=("cls", "reg")),
        Setting("mt_lr", "choice", "0.01", options=MT_LRS),
        float_setting("mt_steps", 500, 100, 5000, 100),
        float_setting("mt_seed", 0, 0, 99, 1),
        Setting("mt_speed", "choice", "10", options=TRAIN_SPEEDS),
        Setting("mt_ab", "choice", "on", options=("off", "on")),
    ]
    for suffix, default in (("", "fixed"), (B_SUFFIX, "uncertainty")):
        settings += [
            Setting("weighting" + suffix, "choice", default, options=MT_WEIGHTINGS),
            Setting("weight_cls" + suffix, "choice", "1", options=MT_WEIGHTS),
            Setting("weight_reg" + suffix, "choice", "1", options=MT_WEIGHTS),
            float_setting("gn_alpha" + suffix, 1.5, 0.0, 3.0, 0.05),  # GradNorm's α (1.5: the paper's NYUv2)
            float_setting("dwa_t" + suffix, 2.0, 0.5, 10.0, 0.5),  # DWA's temperature T (2: the paper's)
            Setting("unc_form" + suffix, "choice", "simplified", options=UNCERTAINTY_FORMS),
        ]
    return settings


# --- /surfaces -------------------------------------------------------------------------

SURFACE_VIEWS = ("contour", "3d")
MAX_PATHS = 4
DEFAULT_OPTIMIZERS = ["sgd", "momentum", "adam"]
MOMENTUM_OPTIMIZERS = ("momentum", "nesterov")  # optimizers with a momentum slider
BETAS_OPTIMIZERS = ("adam", "adamw")  # optimizers with β₁, β₂ sliders


def surfaces_settings(surface_keys: tuple[str, ...], optimizer_defaults: Mapping[str, float],
                      learning_rates: tuple[str, ...], regression_losses: tuple[str, ...],
                      logistic_losses: tuple[str, ...], loss_params: Iterable,
                      start_window: tuple[tuple[float, float], tuple[float, float], tuple[float, float]]) -> list[Setting]:
    """Every setting /surfaces reads from its URL. ``start_window`` is the current surface's
    (x range, y range, default start): the start sliders span the surface's own window.
    ``optimizer_defaults`` maps each optimizer key to its default learning rate (a string of
    ``learning_rates``); each optimizer has its own ``lr_<key>`` (and momentum or betas)."""
    (x_low, x_high), (y_low, y_high), (x0, y0) = start_window
    optimizers = tuple(optimizer_defaults)
    settings = [
        Setting("surface", "choice", "quadratic", options=surface_keys),
        Setting("view", "choice", "contour", options=SURFACE_VIEWS),
        Setting("opt", "choices", list(DEFAULT_OPTIMIZERS), options=optimizers, max_items=MAX_PATHS),
        float_setting("x0", x0, x_low, x_high, 0.05),
        float_setting("y0", y0, y_low, y_high, 0.05),
        float_setting("steps", 100.0, 10.0, 500.0, 10.0),
        float_setting("condition", 10.0, 1.0, 100.0, 1.0),
        float_setting("outliers", 0.0, 0.0, 6.0, 1.0),
        Setting("reg_loss", "choice", regression_losses[0], options=regression_losses),
        Setting("cls_loss", "choice", logistic_losses[0], options=logistic_losses),
    ]
    seen = {s.name for s in settings}
    for param in loss_params:
        if param.name not in seen:
            settings.append(float_setting(param.name, param.default, param.low, param.high, param.step))
            seen.add(param.name)
    for key, lr in optimizer_defaults.items():
        settings.append(Setting(f"lr_{key}", "choice", lr, options=learning_rates))
        if key in MOMENTUM_OPTIMIZERS:
            settings.append(float_setting(f"momentum_{key}", 0.9, 0.0, 0.99, 0.01))
        if key in BETAS_OPTIMIZERS:
            settings.append(float_setting(f"beta1_{key}", 0.9, 0.0, 0.99, 0.01))
            settings.append(float_setting(f"beta2_{key}", 0.999, 0.9, 0.9999, 0.0001))
    return settings


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


# --- /gan ------------------------------------------------------------------------------

GAN_TARGETS = ("gaussian", "bimodal", "uniform")  # = lossviz.train.gan.TARGETS (no torch import here)
GAN_LOSSES = ("nonsaturating", "minimax", "lsgan", "hinge")  # menu order; = lossviz.train.gan.LOSSES
GAN_OPTIMIZERS = ("adam", "sgd")  # = lossviz.train.gan_loop.OPTIMIZERS
GAN_SETTINGS = (
    Setting("target", "choice", "bimodal", options=GAN_TARGETS),
    Setting("gan_loss", "choice", "nonsaturating", options=GAN_LOSSES),
    Setting("gan_opt", "choice", "adam", options=GAN_OPTIMIZERS),
    float_setting("lr_g", 0.002, 0.0001, 0.2, 0.0001),  # the generator's learning rate
    float_setting("lr_d", 0.002, 0.0001, 0.2, 0.0001),  # the discriminator's learning rate
    float_setting("d_steps", 1.0, 1.0, 10.0, 1.0),  # discriminator updates per generator update
    float_setting("noise_dim", 2.0, 1.0, 4.0, 1.0),  # latent dimensions of z
    float_setting("gan_seed", 0.0, 0.0, 99.0, 1.0),
    float_setting("gan_speed", 20.0, 1.0, 50.0, 1.0),  # training steps per tick of the live view
)


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
    """Comma-separated logits: 2 to ``max_count`` finite numbers within ±``limit``, else
    ``SettingError`` (a ``ValueError``)."""
    expected = SettingError("number_list", f"2 to {max_count} comma-separated numbers in [-{limit:g}, {limit:g}]",
                            n=max_count, limit=f"{limit:g}")
    parts = [part.strip() for part in str(text).split(",")]
    if not 2 <= len(parts) <= max_count:
        raise expected
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or abs(value) > limit:
            raise expected
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
