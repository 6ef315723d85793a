r"""Metric-learning losses on embeddings. ``pred`` stacks the embeddings of each sample:

- pair losses (``cosine_embedding``, ``contrastive``): ``pred`` (N, 2, D) holds pairs
  (x₁, x₂); ``target`` (N,) is 1 for a similar pair and 0 for a dissimilar one (mapped to
  torch's +1/−1 for ``F.cosine_embedding_loss``; Hadsell et al. write Y = 0 for similar).
- ``triplet``: ``pred`` (N, 3, D) holds (anchor, positive, negative); ``target`` is None.
- ``info_nce``: ``pred`` (N, 2, D) holds (query qᵢ, key kᵢ); key i is query i's positive and
  the other N − 1 keys are its negatives (in-batch negatives); ``target`` is None.

One loss per sample (N,); every embedding in ``pred`` receives gradient.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .base import Loss
from .params import COSINE_MARGIN, MARGIN, TEMPERATURE

_COSINE_EPS = 1e-12  # what F.cosine_embedding_loss adds to each squared norm
_DISTANCE_EPS = 1e-6  # F.pairwise_distance / F.triplet_margin_loss add this to the difference


def cosine_similarity_pairs(x1: torch.Tensor, x2: torch.Tensor) -> torch.Tensor:
    r""":math:`\cos(x_1, x_2) = x_1\cdot x_2 / \sqrt{(\|x_1\|^2 + 10^{-12})(\|x_2\|^2 + 10^{-12})}`, row-wise."""
    squared_norms = ((x1 * x1).sum(-1) + _COSINE_EPS) * ((x2 * x2).sum(-1) + _COSINE_EPS)
    return (x1 * x2).sum(-1) / squared_norms.sqrt()


def cosine_embedding(pred: torch.Tensor, target: torch.Tensor, cosine_margin: float) -> torch.Tensor:
    r"""Cosine embedding loss: :math:`1 - \cos(x_1, x_2)` for a similar pair,
    :math:`\max(0, \cos(x_1, x_2) - m)` for a dissimilar one.

    PyTorch: ``F.cosine_embedding_loss(x1, x2, 2 * target - 1, margin=m, reduction='none')``.
    Use it to learn directions (text/image similarity) where the length of a vector is noise.
    """
    cos = cosine_similarity_pairs(pred[:, 0], pred[:, 1])
    y = target.to(pred.dtype)
    return y * (1.0 - cos) + (1.0 - y) * torch.relu(cos - cosine_margin)


def triplet(pred: torch.Tensor, target: None, margin: float) -> torch.Tensor:
    r"""Triplet margin loss (Schroff et al. 2015, FaceNet; Euclidean distance, as torch):

    .. math:: \ell = \max\big(0,\ d(a, p) - d(a, n) + m\big),\quad d(u, v) = \|u - v + 10^{-6}\|_2

    PyTorch: ``F.triplet_margin_loss(a, p, n, margin=m, reduction='none')`` (which rejects
    m ≤ 0; here m = 0 is allowed and gives the plain distance gap).
    Use it to rank: the positive must be closer to the anchor than the negative by m.
    """
    anchor, positive, negative = pred.unbind(1)
    d_pos = torch.linalg.vector_norm(anchor - positive + _DISTANCE_EPS, dim=-1)
    d_neg = torch.linalg.vector_norm(anchor - negative + _DISTANCE_EPS, dim=-1)
    return torch.relu(d_pos - d_neg + margin)


def contrastive(pred: torch.Tensor, target: torch.Tensor, margin: float) -> torch.Tensor:
    r"""Contrastive pair loss (Hadsell, Chopra & LeCun 2006, "Dimensionality Reduction by
    Learning an Invariant Mapping"), with y = 1 for a similar pair:

    .. math:: \ell = y\,\tfrac12 D^2 + (1 - y)\,\tfrac12 \max(0,\ m - D)^2,\quad D = \|x_1 - x_2\|_2

    Similar pairs are pulled together; dissimilar pairs are pushed apart until D ≥ m. D is
    taken as √(‖x₁ − x₂‖² + 10⁻¹²) in the hinge term so that its gradient stays finite when
    x₁ = x₂. PyTorch has no built-in. Use it for siamese networks (signatures, faces).
    """
    x1, x2 = pred[:, 0], pred[:, 1]
    squared_distance = ((x1 - x2) ** 2).sum(-1)
    distance = (squared_distance + 1e-12).sqrt()
    y = target.to(pred.dtype)
    return y * 0.5 * squared_distance + (1.0 - y) * 0.5 * torch.relu(margin - distance) ** 2


def similarity_logits(pred: torch.Tensor, temperature: float) -> torch.Tensor:
    r"""(N, N) logits :math:`\hat q_i \cdot \hat k_j / \tau` of unit-normalised queries and keys."""
    queries = F.normalize(pred[:, 0], dim=-1)
    keys = F.normalize(pred[:, 1], dim=-1)
    return queries @ keys.T / temperature


def info_nce(pred: torch.Tensor, target: None, temperature: float, symmetric: bool | None = None) -> torch.Tensor:
    r"""InfoNCE with in-batch negatives (van den Oord et al. 2018, https://arxiv.org/abs/1807.03748),
    cosine similarity over temperature τ as in SimCLR and CLIP:

    .. math:: \ell_i = -\log \frac{e^{s_{ii}/\tau}}{\sum_j e^{s_{ij}/\tau}},\quad s_{ij} = \cos(q_i, k_j)

    ``symmetric=True`` is CLIP's loss (Radford et al. 2021, https://arxiv.org/abs/2103.00020):
    the mean of the row loss (query i finds key i) and the column loss (key i finds query i).
    PyTorch: ``F.cross_entropy(logits, torch.arange(N), reduction='none')`` on the logits above.
    Use it for self-supervised and image–text contrastive pre-training.
    """
    logits = similarity_logits(pred, temperature)
    labels = torch.arange(logits.shape[0], device=logits.device)
    rows = F.cross_entropy(logits, labels, reduction="none")
    if not symmetric:
        return rows
    return 0.5 * (rows + F.cross_entropy(logits.T, labels, reduction="none"))


_LOGITS_CODE = "F.normalize(pred[:, 0], dim=-1) @ F.normalize(pred[:, 1], dim=-1).T / {temperature}"

EMBEDDING_LOSSES: tuple[Loss, ...] = (
    Loss(
        key="cosine_embedding",
        family="embedding",
        fn=cosine_embedding,
        formula=(
            r"\ell = \begin{cases} 1 - \cos(x_1, x_2) & y = 1 \text{ (similar)} \\"
            r" \max\big(0,\ \cos(x_1, x_2) - m\big) & y = 0 \text{ (dissimilar)} \end{cases}"
        ),
        torch_equivalent=(
            "F.cosine_embedding_loss(pred[:, 0], pred[:, 1], 2 * target - 1, margin={cosine_margin},"
            " reduction='none')"
        ),
        params=(COSINE_MARGIN,),
        reference="torch.nn.functional.cosine_embedding_loss(reduction='none') with labels 2y − 1",
    ),
    Loss(
        key="triplet",
        family="embedding",
        fn=triplet,
        formula=r"\ell = \max\big(0,\ \|a - p\|_2 - \|a - n\|_2 + m\big)",
        torch_equivalent="F.triplet_margin_loss(pred[:, 0], pred[:, 1], pred[:, 2], margin={margin}, reduction='none')",
        params=(MARGIN,),
        reference="torch.nn.functional.triplet_margin_loss(reduction='none')",
    ),
    Loss(
        key="contrastive",
        family="embedding",
        fn=contrastive,
        formula=(
            r"\ell = y\,\tfrac12 D^2 + (1 - y)\,\tfrac12 \max(0,\ m - D)^2,"
            r"\quad D = \|x_1 - x_2\|_2,\ y = 1 \text{ similar}"
        ),
        torch_equivalent=(
            "target * 0.5 * (pred[:, 0] - pred[:, 1]).pow(2).sum(-1) + (1 - target) * 0.5"
            " * torch.relu({margin} - F.pairwise_distance(pred[:, 0], pred[:, 1], eps=0)) ** 2"
        ),
        params=(MARGIN,),
        reference="Hadsell, Chopra & LeCun (2006) eq. 4 written out with torch.cdist in float64",
    ),
    Loss(
        key="info_nce",
        family="embedding",
        fn=info_nce,
        formula=(
            r"\ell_i = -\log \frac{\exp(s_{ii}/\tau)}{\sum_{j=1}^{N} \exp(s_{ij}/\tau)},"
            r"\quad s_{ij} = \frac{q_i \cdot k_j}{\|q_i\|\,\|k_j\|}"
        ),
        torch_equivalent=f"F.cross_entropy({_LOGITS_CODE}, torch.arange(len(pred)), reduction='none')",
        params=(TEMPERATURE,),
        options=("symmetric",),
        reference="a log-softmax over an explicit double loop of cosine similarities; CLIP's pseudocode",
    ),
)
