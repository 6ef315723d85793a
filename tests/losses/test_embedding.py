"""Embedding losses against torch.nn.functional, Hadsell et al.'s formula and CLIP's pseudocode."""

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz.losses import get_loss

F64 = torch.float64
PROPERTY = settings(max_examples=30, deadline=None)


def embeddings(stacked, n=16, d=5, dtype=F64, seed=4):
    return torch.randn(n, stacked, d, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def pair_labels(n=16):
    return (torch.arange(n) % 2).to(F64)  # 0, 1, 0, 1, ...: dissimilar and similar pairs


@pytest.mark.parametrize("margin", [-0.5, 0.0, 0.3, 0.9])
def test_cosine_embedding_matches_torch_with_plus_minus_one_labels(margin):
    pred, y = embeddings(2), pair_labels()
    expected = F.cosine_embedding_loss(pred[:, 0], pred[:, 1], 2 * y - 1, margin=margin, reduction="none")
    torch.testing.assert_close(get_loss("cosine_embedding")(pred, y, cosine_margin=margin), expected,
                               rtol=0.0, atol=1e-6)


@pytest.mark.parametrize("margin", [0.1, 0.5, 1.0, 3.0])  # torch rejects margin <= 0
def test_triplet_matches_torch_triplet_margin_loss(margin):
    pred = embeddings(3)
    expected = F.triplet_margin_loss(pred[:, 0], pred[:, 1], pred[:, 2], margin=margin, reduction="none")
    torch.testing.assert_close(get_loss("triplet")(pred, None, margin=margin), expected, rtol=0.0, atol=1e-6)


def test_triplet_at_zero_margin_is_the_distance_gap_written_out():
    pred = embeddings(3)
    d_pos = (pred[:, 0] - pred[:, 1] + 1e-6).norm(dim=1)
    d_neg = (pred[:, 0] - pred[:, 2] + 1e-6).norm(dim=1)
    torch.testing.assert_close(get_loss("triplet")(pred, None, margin=0.0), torch.clamp(d_pos - d_neg, min=0))


@pytest.mark.parametrize("margin", [0.5, 1.0, 2.5])
def test_contrastive_matches_hadsell_chopra_lecun_equation(margin):
    """L = (1 − Y) ½ D² + Y ½ max(0, m − D)² with the paper's Y = 0 for similar pairs."""
    pred, similar = embeddings(2), pair_labels()
    distance = torch.cdist(pred[:, :1], pred[:, 1:]).flatten()
    paper_y = 1 - similar
    expected = (1 - paper_y) * 0.5 * distance**2 + paper_y * 0.5 * torch.clamp(margin - distance, min=0) ** 2
    torch.testing.assert_close(get_loss("contrastive")(pred, similar, margin=margin), expected, rtol=0.0, atol=1e-6)


def info_nce_by_loops(pred, temperature):
    """−log softmax over an explicit double loop of cosine similarities (rows: query i vs keys j)."""
    n = pred.shape[0]
    sims = [[float(F.cosine_similarity(pred[i, 0], pred[j, 1], dim=0)) / temperature for j in range(n)]
            for i in range(n)]
    rows = [-(sims[i][i] - math.log(sum(math.exp(s) for s in sims[i]))) for i in range(n)]
    cols = [-(sims[i][i] - math.log(sum(math.exp(sims[j][i]) for j in range(n)))) for i in range(n)]
    return torch.tensor(rows, dtype=F64), torch.tensor(cols, dtype=F64)


@pytest.mark.parametrize("temperature", [0.05, 0.1, 1.0])
def test_info_nce_matches_a_loop_over_in_batch_negatives(temperature):
    pred = embeddings(2, n=6)
    rows, cols = info_nce_by_loops(pred, temperature)
    torch.testing.assert_close(get_loss("info_nce")(pred, None, temperature=temperature), rows)
    symmetric = get_loss("info_nce")(pred, None, temperature=temperature, symmetric=True)
    torch.testing.assert_close(symmetric, (rows + cols) / 2)  # CLIP: (loss_i + loss_t) / 2


def test_clip_pseudocode_mean_equals_mean_of_symmetric_per_sample_loss():
    """CLIP (Radford et al. 2021, Figure 3): logits = I_e @ T_e.T * exp(t); loss = (CE(logits, labels, axis=0)
    + CE(logits, labels, axis=1)) / 2."""
    pred, temperature = embeddings(2, n=8), 0.07
    image, text = F.normalize(pred[:, 0], dim=1), F.normalize(pred[:, 1], dim=1)
    logits = image @ text.T / temperature
    labels = torch.arange(8)
    clip = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
    ours = get_loss("info_nce")(pred, None, temperature=temperature, symmetric=True).mean()
    torch.testing.assert_close(ours, clip)


def test_info_nce_of_perfectly_separated_pairs_falls_with_temperature():
    pred = torch.eye(4, dtype=F64)[:, None, :].repeat(1, 2, 1)  # q_i = k_i = e_i: cos 1 on, 0 off the diagonal
    for temperature, expected in [(1.0, math.log(1 + 3 * math.exp(-1))), (0.1, math.log(1 + 3 * math.exp(-10)))]:
        torch.testing.assert_close(get_loss("info_nce")(pred, None, temperature=temperature),
                                   torch.full((4,), expected, dtype=F64))


def test_info_nce_at_chance_is_log_n():
    pred = torch.ones(5, 2, 3, dtype=F64)  # every similarity equal
    torch.testing.assert_close(get_loss("info_nce")(pred, None), torch.full((5,), math.log(5), dtype=F64))


@pytest.mark.parametrize("key, stacked", [("cosine_embedding", 2), ("contrastive", 2), ("triplet", 3),
                                          ("info_nce", 2)])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_identical_and_zero_vectors_keep_finite_gradients(key, stacked, dtype):
    pred = torch.zeros(4, stacked, 3, dtype=dtype)
    pred[2:] = 1.0  # two samples of zero vectors, two of identical vectors
    pred.requires_grad_(True)
    target = None if key in ("triplet", "info_nce") else torch.tensor([0.0, 1.0, 0.0, 1.0], dtype=dtype)
    values = get_loss(key)(pred, target)
    (grad,) = torch.autograd.grad(values.sum(), pred)
    assert values.dtype == dtype and torch.isfinite(values).all() and torch.isfinite(grad).all()


@PROPERTY
@given(st.floats(0.1, 3.0), st.floats(0.1, 10.0))
def test_embedding_losses_ignore_a_common_rotation(margin, angle):
    """Distances and cosines do not change when every embedding is rotated the same way (up to
    the 1e-6 torch's pairwise distance adds to each difference)."""
    pred = embeddings(3, n=6, d=2)
    angle = torch.tensor(angle, dtype=F64)
    rotation = torch.stack([torch.stack([angle.cos(), -angle.sin()]), torch.stack([angle.sin(), angle.cos()])])
    rotated = pred @ rotation.T
    for key, x in [("triplet", pred), ("contrastive", pred[:, :2]), ("info_nce", pred[:, :2])]:
        target = pair_labels(6) if key == "contrastive" else None
        params = {"margin": margin} if key != "info_nce" else {}
        xr = rotated if key == "triplet" else rotated[:, :2]
        torch.testing.assert_close(get_loss(key)(xr, target, **params), get_loss(key)(x, target, **params),
                                   rtol=0.0, atol=1e-5)
