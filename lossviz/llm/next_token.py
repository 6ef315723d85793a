r"""Next-token cross-entropy on a tiny vocabulary: padding masks, averaging, perplexity,
label smoothing and the masked-language-model loss.

The "model" is a fixed set of logits: seeded noise plus a ``skill`` bonus on the correct token,
so one slider moves the model from clueless (skill ≈ 0: about ln V per token) to confident.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from ..losses.sequence import IGNORE_INDEX, token_losses

VOCAB = ("<pad>", "the", "cat", "sat", "on", "mat", "dog", "ran")
PAD_ID = 0
# Three target sequences of different lengths, right-padded to T = 6 (ids into VOCAB).
SEQUENCES = ((1, 2, 3, 4, 1, 5), (1, 6, 7), (2, 3))
# The model knows the long sentence better than the short ones, so token and sequence
# averages differ visibly: skill offset per sequence.
SKILL_OFFSETS = (1.5, 0.0, -1.5)


def batch_targets(pad_id: int = PAD_ID) -> torch.Tensor:
    """(N, T) target ids, padding filled with ``pad_id``."""
    t = max(len(s) for s in SEQUENCES)
    return torch.tensor([list(s) + [pad_id] * (t - len(s)) for s in SEQUENCES])


def batch_logits(skill: float, seed: int = 0) -> torch.Tensor:
    """(N, T, V) float64 logits: N(0, 1) noise plus ``skill + offset`` on each real target token."""
    targets = batch_targets()
    noise = torch.randn(*targets.shape, len(VOCAB), generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    bonus = torch.tensor(SKILL_OFFSETS, dtype=torch.float64)[:, None] + skill
    real = (targets != PAD_ID).to(torch.float64)
    return noise + F.one_hot(targets, len(VOCAB)).to(torch.float64) * (bonus * real)[..., None]


def next_token_summary(skill: float) -> dict:
    """Per-token losses and every average the page shows.

    - ``per_token`` (N, T): CE at real tokens, NaN at padding (drawn as a gap);
    - ``unmasked_per_token`` (N, T): CE when padding is (wrongly) treated as the target ``<pad>``;
    - ``masked_mean``: mean over real tokens (torch's ``ignore_index`` mean);
    - ``unmasked_mean``: mean over every position, padding included;
    - ``sequence_means``, ``sequence_average``: each sequence's own mean, then their mean;
    - ``perplexity`` = exp(masked_mean); ``uniform_loss`` = ln V, the loss of a clueless model.
    """
    logits = batch_logits(skill)
    targets = batch_targets()
    masked_targets = targets.masked_fill(targets == PAD_ID, IGNORE_INDEX)
    per_token = token_losses(logits, masked_targets)
    real = masked_targets != IGNORE_INDEX
    unmasked = token_losses(logits, targets)  # <pad> is just another class here
    masked_mean = float(per_token.sum() / real.sum())
    sequence_means = (per_token.sum(1) / real.sum(1)).tolist()
    return {
        "per_token": torch.where(real, per_token, torch.nan).numpy(),
        "unmasked_per_token": unmasked.numpy(),
        "lengths": real.sum(1).tolist(),
        "masked_mean": masked_mean,
        "unmasked_mean": float(unmasked.mean()),
        "sequence_means": sequence_means,
        "sequence_average": float(np.mean(sequence_means)),
        "perplexity": math.exp(masked_mean),
        "uniform_loss": math.log(len(VOCAB)),
    }


def smoothed_target(eps: float, vocab_size: int, true_class: int = 0) -> np.ndarray:
    r"""The label-smoothed target :math:`(1 - \varepsilon)\,\mathrm{onehot}(y) + \varepsilon / V`, as torch uses."""
    target = np.full(vocab_size, eps / vocab_size)
    target[true_class] += 1.0 - eps
    return target


def smoothing_floor(eps: float, vocab_size: int) -> float:
    r"""The lowest cross-entropy any model can reach against the smoothed target: its entropy

    .. math:: H(\tilde y) = -(1 - \varepsilon + \tfrac{\varepsilon}{V})\log(1 - \varepsilon + \tfrac{\varepsilon}{V})
              - (V - 1)\,\tfrac{\varepsilon}{V}\log\tfrac{\varepsilon}{V}

    reached by predicting exactly ỹ. With ε = 0 the floor is 0 (a one-hot target).
    """
    on = 1.0 - eps + eps / vocab_size
    off = eps / vocab_size
    return -on * math.log(on) - (vocab_size - 1) * (off * math.log(off) if off > 0 else 0.0)


def smoothing_curve(eps: float, vocab_size: int, margins: np.ndarray) -> dict:
    """CE with and without smoothing for logits (m, 0, …, 0), as the true logit's lead m grows:
    without smoothing the loss keeps falling (pushing logits to infinity); with it, it turns up."""
    logits = torch.zeros(len(margins), vocab_size, dtype=torch.float64)
    logits[:, 0] = torch.as_tensor(margins, dtype=torch.float64)
    labels = torch.zeros(len(margins), dtype=torch.long)
    plain = F.cross_entropy(logits, labels, reduction="none")
    smoothed = F.cross_entropy(logits, labels, label_smoothing=eps, reduction="none")
    return {"x": np.asarray(margins, dtype=float), "plain": plain.numpy(), "smoothed": smoothed.numpy()}


def best_margin(eps: float, vocab_size: int) -> float:
    r"""The logit lead that minimises smoothed CE: :math:`\log\big((1 - \varepsilon + \varepsilon/V)/(\varepsilon/V)\big)`
    (infinite for ε = 0)."""
    if eps <= 0:
        return math.inf
    # in logs: a tiny ε from a link (3e-324) would make ε / V underflow to 0
    return math.log1p(-eps + eps / vocab_size) - math.log(eps) + math.log(vocab_size)


# --- masked language model ------------------------------------------------------------------

MLM_LENGTH = 12


def mlm_mask(rate: float, length: int = MLM_LENGTH, seed: int = 1) -> np.ndarray:
    """Which positions are masked: the first round(rate·L) (at least 1) of a fixed random order,
    so a higher rate masks a superset of the positions a lower rate masked."""
    order = torch.randperm(length, generator=torch.Generator().manual_seed(seed)).numpy()
    count = min(length, max(1, round(rate * length)))
    mask = np.zeros(length, dtype=bool)
    mask[order[:count]] = True
    return mask


def mlm_summary(rate: float, skill: float = 2.0, seed: int = 2) -> dict:
    """MLM loss: CE only where masked (labels elsewhere set to -100, as BERT-style code does)."""
    gen = torch.Generator().manual_seed(seed)
    tokens = torch.randint(1, len(VOCAB), (MLM_LENGTH,), generator=gen)
    logits = torch.randn(MLM_LENGTH, len(VOCAB), generator=gen, dtype=torch.float64)
    logits += skill * F.one_hot(tokens, len(VOCAB)).to(torch.float64)
    mask = torch.from_numpy(mlm_mask(rate))
    labels = tokens.masked_fill(~mask, IGNORE_INDEX)
    every = F.cross_entropy(logits, tokens, reduction="none")
    return {
        "tokens": [VOCAB[i] for i in tokens.tolist()],
        "mask": mask.numpy(),
        "per_token": every.numpy(),
        "mlm_loss": float(F.cross_entropy(logits, labels, ignore_index=IGNORE_INDEX)),
        "all_positions_loss": float(every.mean()),
        "masked_count": int(mask.sum()),
    }
