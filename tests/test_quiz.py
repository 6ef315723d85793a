"""Quiz: every answer recomputed independently (torch.nn.functional, torch.optim, by hand),
tolerance checks, schema and rendering in both languages."""

import math

import pytest
import torch
import torch.nn.functional as F

from lossviz import i18n
from lossviz.quiz import ANSWERS, filter_quiz, format_number, is_correct, load_quiz

F64 = torch.float64
QUIZ = {item.id: item for item in load_quiz()}


def t(values):
    return torch.tensor(values, dtype=F64)


def grad_of(fn, x):
    leaf = t(x).requires_grad_()
    (grad,) = torch.autograd.grad(fn(leaf).sum(), leaf)
    return grad


def torchvision_focal(z, y, gamma):
    p = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    return ce * (1 - p_t) ** gamma


def reference(item_id):
    """The right answer of each quiz item, computed without lossviz."""
    s = QUIZ[item_id].setup
    if item_id.startswith("focal-gamma"):
        z, y = t([math.log(s["p_t"] / (1 - s["p_t"]))]), t([1.0])
        return (F.binary_cross_entropy_with_logits(z, y) / torchvision_focal(z, y, s["gamma"])).item()
    if item_id == "bce-gradient-at-zero":
        return grad_of(lambda z: F.binary_cross_entropy_with_logits(z, t([s["label"]]), reduction="none"),
                       [s["logit"]]).item()
    if item_id in ("bce-confidently-wrong",):
        return F.binary_cross_entropy_with_logits(t([s["logit"]]), t([s["label"]])).item()
    if item_id == "uniform-ce":
        return F.cross_entropy(torch.zeros(1, s["k"], dtype=F64), torch.tensor([0])).item()
    if item_id == "label-smoothing-true-class":
        k, eps = s["k"], s["eps"]
        # find the target row that F.cross_entropy uses: CE with an explicit row must agree
        row = torch.full((1, k), eps / k, dtype=F64)
        row[0, 0] += 1 - eps
        logits = t([[0.3, -0.2, 1.0, 0.0, 0.5]])
        assert F.cross_entropy(logits, torch.tensor([0]), label_smoothing=eps).item() == pytest.approx(
            F.cross_entropy(logits, row).item())
        return row[0, 0].item()
    if item_id == "huber-value":
        return F.huber_loss(t([s["residual"]]), t([0.0]), delta=s["delta"]).item()
    if item_id == "huber-vs-smooth-l1":
        h = F.huber_loss(t([s["residual"]]), t([0.0]), delta=s["delta"]).item()
        sl1 = F.smooth_l1_loss(t([s["residual"]]), t([0.0]), beta=s["delta"]).item()
        return "huber" if h > sl1 else ("smooth_l1" if sl1 > h else "equal")
    if item_id == "mse-vs-mae-gradient":
        mse = grad_of(lambda x: F.mse_loss(x, t([0.0])), [s["residual"]]).abs().item()
        mae = grad_of(lambda x: F.l1_loss(x, t([0.0])), [s["residual"]]).abs().item()
        return "mse" if mse > mae else "mae"
    if item_id == "softmax-ce-other-class-gradient":
        return grad_of(lambda z: F.cross_entropy(z, torch.tensor([0])), [[s["z0"], 0.0, 0.0]])[0, 1].item()
    if item_id == "quantile-ratio":
        tau = s["tau"]
        return (tau * 1.0) / ((1 - tau) * 1.0)
    if item_id == "kl-direction":
        p, q = t([0.9, 0.05, 0.05]), t([1 / 3] * 3)
        forward = F.kl_div(q.log(), p, reduction="sum").item()
        reverse = F.kl_div(p.log(), q, reduction="sum").item()
        return "forward" if forward > reverse else "reverse"
    if item_id == "hinge-beyond-margin":
        return F.relu(t([s["margin"] - s["logit"]])).item()
    if item_id == "adam-first-step":
        theta = torch.zeros(1, dtype=F64, requires_grad=True)
        optimizer = torch.optim.Adam([theta], lr=s["lr"])
        (theta * s["grad"]).sum().backward()
        optimizer.step()
        return theta.abs().item()
    if item_id == "temperature-top-prob":
        return torch.softmax(t([2.0, 1.0, 0.0]) / s["tau"], 0)[0].item()
    if item_id == "perplexity-from-loss":
        return math.exp(s["loss"])
    if item_id == "log-cosh-large":
        r = s["residual"]
        return r + math.log1p(math.exp(-2 * r)) - math.log(2)
    if item_id == "dpo-at-zero-margin":
        return -F.logsigmoid(t([s["margin"]])).item()
    if item_id == "switch-balance-uniform":
        n = s["num_experts"]
        return s["alpha"] * n * sum((1 / n) * (1 / n) for _ in range(n))
    raise KeyError(item_id)


@pytest.mark.parametrize("item", load_quiz(), ids=lambda q: q.id)
def test_quiz_answer_matches_independent_computation(item):
    answer, expected = item.answer(), reference(item.id)
    if item.kind == "choice":
        assert answer == expected and answer in item.options
    else:
        assert answer == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert is_correct(item, expected, answer)


@pytest.mark.parametrize("item", load_quiz(), ids=lambda q: q.id)
def test_quiz_item_renders_in_both_languages(item):
    answer = item.answer()
    for lang in i18n.LANGS:
        assert "{" not in item.prompt_text(lang) and "{" not in item.explain_text(lang, answer)
    shown = item.options[answer]["en"] if item.kind == "choice" else format_number(answer)
    assert shown in item.explain_text("en", answer)


def test_numeric_tolerance_accepts_close_and_rejects_far_or_garbage():
    item = QUIZ["focal-gamma-0-to-2"]  # answer 100, rel_tol 5 %
    answer = item.answer()
    assert is_correct(item, 100, answer) and is_correct(item, 96, answer)
    assert not is_correct(item, 90, answer)
    for garbage in (None, "abc", float("nan"), float("inf"), "1e999"):
        assert not is_correct(item, garbage, answer)


def test_choice_checks_the_key():
    item = QUIZ["mse-vs-mae-gradient"]
    assert is_correct(item, "mae", item.answer()) and not is_correct(item, "mse", item.answer())


def test_every_answer_function_is_used_and_filters_work():
    assert {item.compute for item in QUIZ.values()} == set(ANSWERS)
    assert len(QUIZ) >= 15
    llm_items = filter_quiz(QUIZ.values(), "llm")
    assert llm_items and all(q.topic == "llm" for q in llm_items)
    assert filter_quiz(QUIZ.values(), difficulty="hard")
    assert len(filter_quiz(QUIZ.values())) == len(QUIZ)
