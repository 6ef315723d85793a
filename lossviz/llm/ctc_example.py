r"""A tiny CTC example: 6 frames, classes (blank, c, a, t), label "cat".

Three reference predictions (per-frame logits) and a slider that blends between them:
- aligned: each frame peaked on one symbol of a valid path (c c a blank t t);
- blank-heavy: every frame mostly blank, the letters faint;
- uniform: every class equally likely at every frame.
The loss is ``lossviz.losses`` ``ctc`` (``F.ctc_loss``, blank 0): −log of the total probability
of every alignment that collapses to "cat".
"""

from __future__ import annotations

import torch

from ..losses import get_loss

CLASSES = ("∅", "c", "a", "t")  # ∅ = blank (class 0)
LABEL = (1, 2, 3)
FRAMES = 6
ALIGNED_PATH = (1, 1, 2, 0, 3, 3)


def reference_logits(kind: str, sharpness: float = 4.0) -> torch.Tensor:
    """(T, C) float64 logits of one reference prediction."""
    logits = torch.zeros(FRAMES, len(CLASSES), dtype=torch.float64)
    if kind == "aligned":
        logits[torch.arange(FRAMES), torch.tensor(ALIGNED_PATH)] = sharpness
    elif kind == "blank_heavy":
        logits[:, 0] = sharpness
    elif kind != "uniform":
        raise ValueError(f"kind must be aligned, blank_heavy or uniform. Received {kind!r}")
    return logits


def blended_logits(blank_weight: float, sharpness: float) -> torch.Tensor:
    """(1 − w)·aligned + w·blank-heavy logits: w = 0 is aligned, w = 1 blank-heavy."""
    return (1.0 - blank_weight) * reference_logits("aligned", sharpness) + blank_weight * reference_logits(
        "blank_heavy", sharpness)


def ctc_loss(logits: torch.Tensor) -> float:
    return float(get_loss("ctc")(logits[None], torch.tensor([LABEL]))[0])


def ctc_summary(blank_weight: float, sharpness: float) -> dict:
    """Per-frame probabilities (T, C) of the blend and the CTC loss of it and of each reference."""
    logits = blended_logits(blank_weight, sharpness)
    return {
        "probs": logits.softmax(-1).numpy(),
        "loss": ctc_loss(logits),
        "aligned": ctc_loss(reference_logits("aligned", sharpness)),
        "blank_heavy": ctc_loss(reference_logits("blank_heavy", sharpness)),
        "uniform": ctc_loss(reference_logits("uniform")),
        "greedy": greedy_decode(logits),
    }


def greedy_decode(logits: torch.Tensor) -> str:
    """Best class per frame, repeats merged, blanks dropped (what a greedy CTC decoder reads)."""
    best = logits.argmax(-1).tolist()
    kept = [c for i, c in enumerate(best) if c != 0 and (i == 0 or c != best[i - 1])]
    return "".join(CLASSES[c] for c in kept)

