r"""Predict-then-reveal quiz: the questions are data (``content/quiz.json``), the answers are
computed here by the loss library (or torch.optim) at run time — never typed in.

Each item names a function of ``ANSWERS`` and the setup it is called with::

    {"id": "focal-gamma-0-to-2", "kind": "numeric", "compute": "focal_shrink_factor",
     "setup": {"p_t": 0.9, "gamma": 2}, "rel_tol": 0.05, "abs_tol": 0, ...}

Numeric answers are checked with a tolerance, :math:`|g - a| \le \text{abs\_tol} +
\text{rel\_tol}\,|a|`; choice answers return the key of the right option (computed by comparing
library values). Prompts and explanations use the setup and the answer as ``{placeholders}``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping

from .i18n import LANGS
from .question_bank import CONTENT_DIR, DIFFICULTIES, TOPICS

KINDS = ("numeric", "choice")


def _torch():
    import torch

    return torch


def _logit(p: float) -> float:
    return math.log(p) - math.log1p(-p)


def _loss(key: str, pred: list, target: list, **params) -> list[float]:
    torch = _torch()
    from .losses import get_loss

    values = get_loss(key)(torch.tensor(pred, dtype=torch.float64), torch.tensor(target), **params)
    return [float(v) for v in values]


def _grad(key: str, pred: list, target: list, **params) -> list:
    torch = _torch()
    from .losses import get_loss

    leaf = torch.tensor(pred, dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(get_loss(key)(leaf, torch.tensor(target), **params).sum(), leaf)
    return grad.tolist()


def focal_shrink_factor(p_t: float, gamma: float) -> float:
    """CE / FL for a positive with probability p_t (α off): focal at γ = 0 is BCE."""
    z = [_logit(p_t)]
    bce = _loss("focal", z, [1.0], gamma=0.0, alpha=-1.0)[0]
    focal = _loss("focal", z, [1.0], gamma=gamma, alpha=-1.0)[0]
    return bce / focal


def bce_logit_gradient(logit: float, label: float) -> float:
    return _grad("bce", [logit], [label], label_smoothing=0.0)[0]


def bce_value(logit: float, label: float) -> float:
    return _loss("bce", [logit], [label], label_smoothing=0.0)[0]


def uniform_ce(k: int) -> float:
    """CE of an all-zero (uniform) logit vector over k classes."""
    return _loss("cross_entropy", [[0.0] * int(k)], [0], label_smoothing=0.0)[0]


def smoothed_true_class_target(eps: float, k: int) -> float:
    """The true-class entry of PyTorch's smoothed target, read off the loss's gradient.

    With logits all zero, ∂CE/∂z = p − ỹ and p = 1/K, so ỹ_true = 1/K − grad_true.
    """
    grad = _grad("cross_entropy", [[0.0] * int(k)], [0], label_smoothing=eps)
    return 1.0 / int(k) - grad[0][0]


def huber_value(residual: float, delta: float) -> float:
    return _loss("huber", [residual], [0.0], delta=delta)[0]


def larger_of_huber_smooth_l1(residual: float, delta: float) -> str:
    huber = _loss("huber", [residual], [0.0], delta=delta)[0]
    smooth = _loss("smooth_l1", [residual], [0.0], beta=delta)[0]
    return "equal" if math.isclose(huber, smooth, rel_tol=1e-12) else ("huber" if huber > smooth else "smooth_l1")


def softmax_ce_other_grad(z0: float) -> float:
    """∂CE/∂z₁ for logits (z0, 0, 0), true class 0."""
    return _grad("cross_entropy", [[z0, 0.0, 0.0]], [0], label_smoothing=0.0)[0][1]


def steeper_of_mse_mae(residual: float) -> str:
    mse = abs(_grad("mse", [residual], [0.0])[0])
    mae = abs(_grad("mae", [residual], [0.0])[0])
    return "equal" if math.isclose(mse, mae) else ("mse" if mse > mae else "mae")


def quantile_under_over_ratio(tau: float) -> float:
    """Loss of under-predicting by 1 divided by the loss of over-predicting by 1."""
    under, over = _loss("quantile", [-1.0, 1.0], [0.0, 0.0], tau=tau)
    return under / over


def larger_kl_direction() -> str:
    """For p = (0.9, 0.05, 0.05) and q uniform: which of KL(p‖q), KL(q‖p) is larger."""
    p, q = [0.9, 0.05, 0.05], [1 / 3] * 3
    forward = _loss("kl_div", [[math.log(v) for v in q]], [p])[0]
    reverse = _loss("kl_div", [[math.log(v) for v in p]], [q])[0]
    return "forward" if forward > reverse else "reverse"


def hinge_value(logit: float, margin: float) -> float:
    return _loss("hinge", [logit], [1.0], margin=margin)[0]


def adam_first_step(grad: float, lr: float) -> float:
    """|Δθ| after Adam's first step (defaults β, ε) for a scalar gradient (PyTorch's update rule)."""
    from .myth_evidence import adam_step

    return abs(adam_step(0.0, grad, lr))


def temperature_top_prob(tau: float) -> float:
    """Top probability of softmax((2, 1, 0) / τ), read from the CE loss: p = exp(−CE)."""
    logits = [[2.0 / tau, 1.0 / tau, 0.0]]
    return math.exp(-_loss("cross_entropy", logits, [0], label_smoothing=0.0)[0])


def perplexity(loss: float) -> float:
    """Perplexity of a mean per-token CE in nats: exp(CE)."""
    return math.exp(loss)


def log_cosh_value(residual: float) -> float:
    return _loss("log_cosh", [residual], [0.0])[0]


def dpo_loss_at_margin(margin: float) -> float:
    """DPO = BCE with label 1 on the implicit reward margin β·(log-ratio_w − log-ratio_l)."""
    return bce_value(margin, 1.0)


def switch_balance_loss(num_experts: int, alpha: float) -> float:
    """Switch Transformer's α·N·Σ f_i P_i for perfectly uniform routing (f_i = P_i = 1/N)."""
    torch = _torch()
    n = int(num_experts)
    fractions = torch.full((n,), 1.0 / n, dtype=torch.float64)
    router_probs = torch.softmax(torch.zeros(n, dtype=torch.float64), 0)
    return float(alpha * n * (fractions * router_probs).sum())


ANSWERS: dict[str, Callable[..., float | str]] = {
    fn.__name__: fn
    for fn in (
        focal_shrink_factor, bce_logit_gradient, bce_value, uniform_ce, smoothed_true_class_target,
        huber_value, larger_of_huber_smooth_l1, softmax_ce_other_grad, steeper_of_mse_mae,
        quantile_under_over_ratio, larger_kl_direction, hinge_value, adam_first_step,
        temperature_top_prob, perplexity, log_cosh_value, dpo_loss_at_margin, switch_balance_loss,
    )
}


@dataclass(frozen=True)
class QuizItem:
    id: str
    topic: str
    difficulty: str
    kind: str
    compute: str
    prompt: Mapping[str, str]
    explain: Mapping[str, str]
    setup: Mapping[str, float] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # key -> {lang: label}
    rel_tol: float = 0.0
    abs_tol: float = 0.0
    link: Mapping[str, object] | None = None

    def answer(self) -> float | str:
        """The right answer, computed now."""
        return ANSWERS[self.compute](**self.setup)

    def prompt_text(self, lang: str) -> str:
        return self.prompt[lang].format(**self.setup)

    def explain_text(self, lang: str, answer: float | str) -> str:
        shown = self.options[answer][lang] if self.kind == "choice" else format_number(answer)
        return self.explain[lang].format(answer=shown, **self.setup)


def format_number(value: float) -> str:
    """Four significant digits, the way the feedback shows a computed answer."""
    return f"{value:.4g}"


def is_correct(item: QuizItem, guess: object, answer: float | str) -> bool:
    """Whether ``guess`` (a number or an option key) matches ``answer`` within the tolerance."""
    if item.kind == "choice":
        return guess == answer
    try:
        value = float(guess)
    except (TypeError, ValueError):
        return False
    return math.isfinite(value) and abs(value - answer) <= item.abs_tol + item.rel_tol * abs(answer)


def _parse(raw: Mapping) -> QuizItem:
    where = f"quiz.json [{raw.get('id')}]"
    if raw.get("kind") not in KINDS or raw.get("compute") not in ANSWERS:
        raise ValueError(f"{where}: kind must be one of {KINDS} and compute one of ANSWERS")
    if raw.get("topic") not in TOPICS or raw.get("difficulty") not in DIFFICULTIES:
        raise ValueError(f"{where}: unknown topic or difficulty")
    for name in ("prompt", "explain"):
        if set(raw.get(name, {})) != set(LANGS):
            raise ValueError(f"{where}: {name} needs {LANGS}")
    options = raw.get("options", {})
    if raw["kind"] == "choice" and (len(options) < 2 or any(set(v) != set(LANGS) for v in options.values())):
        raise ValueError(f"{where}: a choice needs at least two options in {LANGS}")
    if raw["kind"] == "numeric" and raw.get("rel_tol", 0) <= 0 and raw.get("abs_tol", 0) <= 0:
        raise ValueError(f"{where}: a numeric answer needs a tolerance")
    return QuizItem(raw["id"], raw["topic"], raw["difficulty"], raw["kind"], raw["compute"],
                    raw["prompt"], raw["explain"], raw.get("setup", {}), options,
                    float(raw.get("rel_tol", 0)), float(raw.get("abs_tol", 0)), raw.get("link"))


@lru_cache(maxsize=1)
def load_quiz() -> tuple[QuizItem, ...]:
    items = json.loads((CONTENT_DIR / "quiz.json").read_text(encoding="utf-8"))["quiz"]
    quiz = tuple(_parse(item) for item in items)
    if len({q.id for q in quiz}) != len(quiz):
        raise ValueError("duplicate quiz id")
    return quiz


def filter_quiz(items, topic: str = "all", difficulty: str = "all") -> list[QuizItem]:
    return [q for q in items if topic in ("all", q.topic) and difficulty in ("all", q.difficulty)]
