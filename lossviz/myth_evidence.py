r"""Live evidence for the myth check (``content/myths.json``): each function recomputes, with
the loss library or torch, the numbers that show a claim wrong, and returns them by name.

The myth texts use these names as ``{placeholders}``; ``EVIDENCE`` maps a myth's
``evidence`` field to its function. Everything is float64 unless a claim is about another
dtype. Tests (``tests/test_myth_evidence.py``) recompute every number independently with
``torch.nn.functional`` or by hand. No Streamlit here.
"""

from __future__ import annotations

import math
from typing import Callable

import torch
import torch.nn.functional as F

from .losses import get_loss

F64 = torch.float64


def _t(values, dtype=F64) -> torch.Tensor:
    return torch.tensor(values, dtype=dtype)


def _logit(p: float) -> float:
    return math.log(p) - math.log1p(-p)


def seed_bce_example() -> dict[str, float]:
    r"""Mean BCE of :math:`\hat y = (0.2, 0.8)`, :math:`y = (1, 0)`; the seed drops the second sample's term."""
    probs = [0.2, 0.8]
    per_sample = get_loss("bce")(_t([_logit(p) for p in probs]), _t([1.0, 0.0]), label_smoothing=0.0)
    only_first_term = -0.5 * math.log(0.2)  # -(1/2)(1·log 0.2 + 0·log 0.8), the seed's expression
    return {"correct": float(per_sample.mean()), "second_sample": float(per_sample[1]),
            "only_first_term": only_first_term}


def seed_bce_sign_flip() -> dict[str, float]:
    """The seed's 'simplified' BCE, +mean(y log ŷ + (1−y) log(1−ŷ)), on the same example: negative."""
    correct = seed_bce_example()["correct"]
    return {"flipped": -correct, "correct": correct}


def label_smoothing_targets(eps: float = 0.1, k: int = 4) -> dict[str, float]:
    """Sum of the seed's smoothed row [ε/K, ε/K, 1−ε, ε/K] against PyTorch's (1−ε)y + ε/K."""
    seed_row = [eps / k] * k
    seed_row[2] = 1.0 - eps
    logits = _t([[0.3, -1.2, 2.0, 0.5]])
    ce = get_loss("cross_entropy")
    torch_rule = ce(logits, torch.tensor([2]), label_smoothing=eps)
    correct_row = _t([[eps / k, eps / k, 1.0 - eps + eps / k, eps / k]])
    return {"seed_sum": sum(seed_row), "true_class": 1.0 - eps + eps / k, "other": eps / k,
            "torch_ls": float(torch_rule[0]), "explicit": float(ce(logits, correct_row, label_smoothing=0.0)[0])}


def smoothing_loss_floor(eps: float = 0.1, vocab: int = 32000) -> dict[str, float]:
    """Lowest CE reachable with label smoothing ε over a vocabulary: the smoothed target's entropy."""
    target = torch.full((1, vocab), eps / vocab, dtype=F64)
    target[0, 0] += 1.0 - eps
    best_logits = torch.log(target)  # softmax(log ỹ) = ỹ: the minimiser
    floor = float(get_loss("cross_entropy")(best_logits, target, label_smoothing=0.0)[0])
    return {"floor": floor, "perplexity": math.exp(floor), "vocab": float(vocab), "eps": eps}


def ce_of_identical_distributions() -> dict[str, float]:
    """H(p, p) for p = (0.5, 0.5): log 2, not 0; KL(p‖p) = 0."""
    p = _t([[0.5, 0.5]])
    logits = torch.log(p)
    return {"ce": float(get_loss("cross_entropy")(logits, p, label_smoothing=0.0)[0]),
            "kl": float(get_loss("kl_div")(logits, p)[0])}


def ce_equals_entropy_plus_kl() -> dict[str, float]:
    """CE(p, q) = H(p) + KL(p‖q) for p = (0.7, 0.2, 0.1), q = softmax(1, 0, −1)."""
    p, z = _t([[0.7, 0.2, 0.1]]), _t([[1.0, 0.0, -1.0]])
    ce = float(get_loss("cross_entropy")(z, p, label_smoothing=0.0)[0])
    kl = float(get_loss("kl_div")(z, p)[0])
    entropy = float(-(p * torch.log(p)).sum())
    return {"ce": ce, "kl": kl, "entropy": entropy}


def bce_negative_label_term() -> dict[str, float]:
    """BCE of a negative (y = 0) predicted at p = 0.8: all of it comes from −log(1 − p)."""
    value = float(get_loss("bce")(_t([_logit(0.8)]), _t([0.0]), label_smoothing=0.0)[0])
    return {"loss": value, "p": 0.8}


def softmax_divide_by_max() -> dict[str, float]:
    """softmax(x) vs softmax(x / max x) for x = (1000, 999, 998), and the naive float32 exp."""
    x = _t([1000.0, 999.0, 998.0])
    right = torch.softmax(x, 0)
    divided = torch.softmax(x / x.max(), 0)
    naive = torch.exp(x.float()) / torch.exp(x.float()).sum()
    return {"right0": float(right[0]), "right2": float(right[2]), "divided0": float(divided[0]),
            "divided2": float(divided[2]), "naive_is_nan": float(torch.isnan(naive).all())}


def mse_vs_bce_gradient(z: float = -6.0) -> dict[str, float]:
    """Logit gradients for a confidently wrong positive (y = 1, logit z): BCE vs MSE on σ(z)."""
    leaf = _t([z]).requires_grad_()
    (bce_grad,) = torch.autograd.grad(get_loss("bce")(leaf, _t([1.0]), label_smoothing=0.0).sum(), leaf)
    leaf = _t([z]).requires_grad_()
    (mse_grad,) = torch.autograd.grad(get_loss("mse")(torch.sigmoid(leaf), _t([1.0])).sum(), leaf)
    return {"z": z, "bce_grad": float(bce_grad[0]), "mse_grad": float(mse_grad[0]),
            "ratio": float(bce_grad[0] / mse_grad[0])}


def gan_discriminator_sign() -> dict[str, float]:
    """log D(x) + log(1 − D(G(z))) for a good (0.9, 0.1) and a useless (0.5, 0.5) discriminator."""
    bce = get_loss("bce")

    def objective(d_real: float, d_fake: float) -> float:
        loss = bce(_t([_logit(d_real), _logit(d_fake)]), _t([1.0, 0.0]), label_smoothing=0.0).sum()
        return -float(loss)  # the BCE discriminator loss is exactly minus the seed's expression

    return {"good": objective(0.9, 0.1), "useless": objective(0.5, 0.5)}


def focal_alpha_balance(p_t: float = 0.7) -> dict[str, float]:
    """Loss of a positive vs a negative with the same p_t: constant α (seed) vs torchvision α_t."""
    focal = get_loss("focal")
    logits, labels = _t([_logit(p_t), _logit(1 - p_t)]), _t([1.0, 0.0])
    constant = focal(logits, labels, gamma=2.0, alpha=-1.0)  # α off: the seed's alpha=1 scales nothing
    weighted = focal(logits, labels, gamma=2.0, alpha=0.25)
    return {"constant_ratio": float(constant[0] / constant[1]), "alpha_ratio": float(weighted[0] / weighted[1])}


def losses_below_zero_or_above() -> dict[str, float]:
    """A 'perfect' prediction under label smoothing (K = 10, ε = 0.1) and a Gaussian NLL value."""
    k, eps = 10, 0.1
    target = torch.full((1, k), eps / k, dtype=F64)
    target[0, 0] += 1 - eps
    floor = float(get_loss("cross_entropy")(torch.log(target), torch.tensor([0]), label_smoothing=eps)[0])
    gaussian = float(F.gaussian_nll_loss(_t([0.0]), _t([0.0]), _t([0.01])))
    return {"smoothed_floor": floor, "gaussian_nll": gaussian}


def integer_class_weights() -> dict[str, object]:
    """``nn.CrossEntropyLoss(weight=torch.tensor([1, 5]))`` on float logits: the error it raises."""
    try:
        F.cross_entropy(torch.zeros(2, 2), torch.tensor([0, 1]), weight=torch.tensor([1, 5]))
    except RuntimeError as err:
        return {"raises": 1.0, "error": str(err).splitlines()[0][:80]}
    return {"raises": 0.0, "error": ""}


def ce_gradient_bounded() -> dict[str, float]:
    """Softmax-CE logit gradient of the true class: very wrong (z = −10 vs 0, 0) and nearly right."""
    ce = get_loss("cross_entropy")
    grads = []
    for z in (-10.0, 5.0):
        leaf = _t([[z, 0.0, 0.0]]).requires_grad_()
        (grad,) = torch.autograd.grad(ce(leaf, torch.tensor([0]), label_smoothing=0.0).sum(), leaf)
        grads.append(float(grad[0, 0]))
    return {"wrong": grads[0], "right": grads[1]}


def seed_training_run(steps: int = 1000, lr: float = 0.01, n_inits: int = 41) -> dict[str, float]:
    """The seed's 1-input logistic model, full-batch SGD as written, from Keras-like initial weights
    w0 in [−√3, √3] (Glorot uniform for 1→1) and b0 = 0: the range of the final test BCE.

    The BCE gradient is written out (∂/∂w = mean((σ(wx + b) − y) x), ∂/∂b = mean(σ − y)) and all
    41 runs step together: autograd and an optimizer per step took ~15 s on a loaded machine,
    this takes milliseconds. The test replays runs with autograd and ``torch.optim.SGD``.
    """
    x, y = _t([0.1, 0.4, 0.7, 0.8])[:, None], _t([0.0, 1.0, 1.0, 0.0])[:, None]
    test_x, test_y = _t([0.2, 0.5, 0.9])[:, None], _t([0.0, 1.0, 1.0])[:, None]
    w = torch.linspace(-math.sqrt(3), math.sqrt(3), n_inits, dtype=F64)
    b = torch.zeros(n_inits, dtype=F64)
    for _ in range(steps):
        error = torch.sigmoid(x * w + b) - y  # (4, n_inits)
        w = w - lr * (error * x).mean(0)
        b = b - lr * error.mean(0)
    logits = test_x * w + b
    test = F.binary_cross_entropy_with_logits(logits, test_y.expand_as(logits), reduction="none").mean(0)
    return {"best": float(test.min()), "worst": float(test.max()), "claimed": 0.25}


def log_epsilon_clamp(z: float = -30.0, eps: float = 1e-10) -> dict[str, float]:
    """−log(σ(z) + ε) against the stable BCE for a positive at logit z: value and gradient."""
    leaf = _t([z]).requires_grad_()
    stable = get_loss("bce")(leaf, _t([1.0]), label_smoothing=0.0)
    (stable_grad,) = torch.autograd.grad(stable.sum(), leaf)
    leaf2 = _t([z]).requires_grad_()
    clamped = -torch.log(torch.sigmoid(leaf2) + eps)
    (clamped_grad,) = torch.autograd.grad(clamped.sum(), leaf2)
    return {"stable": float(stable.detach()[0]), "stable_grad": float(stable_grad[0]),
            "clamped": float(clamped.detach()[0]), "clamped_grad": float(clamped_grad[0])}


def kl_asymmetry() -> dict[str, float]:
    """KL(p‖q) and KL(q‖p) for p = (0.9, 0.05, 0.05), q = (0.4, 0.3, 0.3)."""
    p, q = _t([[0.9, 0.05, 0.05]]), _t([[0.4, 0.3, 0.3]])
    kl = get_loss("kl_div")
    return {"forward": float(kl(torch.log(q), p)[0]), "reverse": float(kl(torch.log(p), q)[0])}


def adam_step(theta: float, grad: float, lr: float, weight_decay: float = 0.0, decoupled: bool = False,
              betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> float:
    r"""One step (t = 1) of PyTorch's Adam (``decoupled=False``: L2 added to the gradient) or
    AdamW (``decoupled=True``: :math:`\theta \leftarrow \theta(1 - \eta\lambda)` first), as in
    the torch.optim docs. Written out because the first ``torch.optim`` step of a process costs
    ~3 s (lazy imports); tests compare it with ``torch.optim.Adam`` / ``AdamW``.
    """
    if decoupled:
        theta *= 1.0 - lr * weight_decay
    else:
        grad += weight_decay * theta
    m_hat = (1 - betas[0]) * grad / (1 - betas[0])  # bias-corrected first moment at t = 1
    v_hat = (1 - betas[1]) * grad * grad / (1 - betas[1])
    return theta - lr * m_hat / (math.sqrt(v_hat) + eps)


def adam_weight_decay_vs_adamw(lr: float = 0.1, decay: float = 0.1) -> dict[str, float]:
    """One step from θ = 1 with gradient 10 (no data term elsewhere): Adam(weight_decay) vs AdamW."""
    return {"adam": adam_step(1.0, 10.0, lr, decay), "adamw": adam_step(1.0, 10.0, lr, decay, decoupled=True)}


def huber_vs_smooth_l1(delta: float = 2.0, residual: float = 3.0) -> dict[str, float]:
    """Huber(δ) and smooth L1(β = δ) at the same residual: they differ by the factor δ."""
    pred, target = _t([residual]), _t([0.0])
    huber = float(get_loss("huber")(pred, target, delta=delta)[0])
    smooth = float(get_loss("smooth_l1")(pred, target, beta=delta)[0])
    return {"huber": huber, "smooth_l1": smooth, "ratio": huber / smooth}


EVIDENCE: dict[str, Callable[[], dict]] = {
    fn.__name__: fn
    for fn in (
        seed_bce_example, seed_bce_sign_flip, label_smoothing_targets, smoothing_loss_floor,
        ce_of_identical_distributions, ce_equals_entropy_plus_kl, bce_negative_label_term,
        softmax_divide_by_max, mse_vs_bce_gradient, gan_discriminator_sign, focal_alpha_balance,
        losses_below_zero_or_above, integer_class_weights, ce_gradient_bounded, seed_training_run,
        log_epsilon_clamp, kl_asymmetry, adam_weight_decay_vs_adamw, huber_vs_smooth_l1,
    )
}
