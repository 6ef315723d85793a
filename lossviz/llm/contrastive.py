r"""InfoNCE / CLIP, triplet and contrastive losses on a small batch of 2-D embeddings.

Four (image, text) pairs on the unit circle: image i at angle i·spread, text i at the same angle
plus an offset (how badly each pair is aligned); the user can also move text 0 on its own.
The losses come from ``lossviz.losses`` (``info_nce``, ``triplet``, ``contrastive``), so the
numbers on the page are the library's.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ..losses import get_loss
from ..losses.embedding import similarity_logits

PAIRS = 4


def pair_embeddings(spread_deg: float, offset_deg: float, text0_deg: float) -> torch.Tensor:
    """(4, 2, 2): pair i = (image_i, text_i), unit vectors in the plane (float64)."""
    image_angles = torch.arange(PAIRS, dtype=torch.float64) * math.radians(spread_deg)
    text_angles = image_angles + math.radians(offset_deg)
    text_angles[0] = image_angles[0] + math.radians(text0_deg)
    def unit(a: torch.Tensor) -> torch.Tensor:
        return torch.stack([a.cos(), a.sin()], dim=-1)
    return torch.stack([unit(image_angles), unit(text_angles)], dim=1)


def contrastive_summary(spread_deg: float, offset_deg: float, text0_deg: float, temperature: float,
                        margin: float) -> dict:
    pred = pair_embeddings(spread_deg, offset_deg, text0_deg)
    logits = similarity_logits(pred, temperature)
    info_nce = get_loss("info_nce")
    # triplet and pair losses on pair 0: anchor image 0, positive text 0, negative text 1
    triplet_input = torch.stack([pred[0, 0], pred[0, 1], pred[1, 1]])[None]
    pair_input = torch.stack([torch.stack([pred[0, 0], pred[0, 1]]), torch.stack([pred[0, 0], pred[1, 1]])])
    pair_losses = get_loss("contrastive")(pair_input, torch.tensor([1.0, 0.0], dtype=torch.float64), margin=margin)
    return {
        "points": pred.numpy(),
        "similarity": (logits * temperature).numpy(),  # cosines, before dividing by τ
        "row_probs": logits.softmax(1).numpy(),
        "info_nce": info_nce(pred, None, temperature=temperature).numpy(),
        "clip": info_nce(pred, None, temperature=temperature, symmetric=True).numpy(),
        "triplet": float(get_loss("triplet")(triplet_input, None, margin=margin)[0]),
        "contrastive_similar": float(pair_losses[0]),
        "contrastive_dissimilar": float(pair_losses[1]),
        "chance": math.log(PAIRS),
    }


def unit_circle(n: int = 181) -> tuple[np.ndarray, np.ndarray]:
    angles = np.linspace(0.0, 2 * np.pi, n)
    return np.cos(angles), np.sin(angles)
