r"""The loss landscape of the model being trained (Li, Xu, Taylor, Studer & Goldstein, "Visualizing
the Loss Landscape of Neural Nets", NeurIPS 2018). Arrays only; no Streamlit, no figures.

**Random plane around the current weights** (the paper's Section 4): two random directions
:math:`\delta, \eta` drawn from a seeded Gaussian and *filter-normalised*: every row of a weight
matrix (one output neuron of a Linear layer, the paper's "filter"; a Linear layer is a 1x1
convolution) is rescaled to the norm of the same row of the weights,

.. math:: \delta_{i,j} \leftarrow \frac{\delta_{i,j}}{\lVert \delta_{i,j} \rVert}\,\lVert \theta_{i,j} \rVert,

so a step of 1 along a direction moves every neuron by about its own size, and the picture does
not depend on how the weights happen to be scaled. Biases (one-dimensional parameters; there is
no batch norm here) get a zero direction: they are not perturbed, as in the authors' code
(``--xignore biasbn``, used for the paper's figures). Then

.. math:: f(\alpha, \beta) = \mathcal L(\theta^* + \alpha\,\delta + \beta\,\eta),
          \quad \alpha, \beta \in [-1, 1]

on an odd grid, so the centre is exactly :math:`\theta^*` (the current weights).

**Trajectory on its PCA plane** (the paper's Section 7): random directions are nearly orthogonal
to the path training took, so the path is drawn on the plane of the top two principal directions
of :math:`M = [\theta_0 - \theta_n; \dots; \theta_{n-1} - \theta_n]` (PCA of those rows, centred,
as the authors' ``sklearn`` PCA does), with each direction's share of the variance. Every
snapshot :math:`\theta_i - \theta_n` is projected onto the two unit directions, so the final
weights sit at (0, 0); the loss is drawn over the same plane around :math:`\theta_n`.

The loss is the mean per-sample loss of the run's own loss function on a fixed, seeded subset
of the training points (``N_EVAL``), evaluated for all grid points in one batched call
(``torch.func.vmap`` over ``functional_call``): a 21 x 21 grid takes tens of milliseconds for
the 16,16 MLP. Same trainer, snapshots and seed: the same arrays, bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch
from torch.func import functional_call, vmap

from .loop import Trainer

SIZE = 21  # grid points per axis; odd, so the centre is exactly the current weights
SPAN = 1.0  # random plane: α, β in [−SPAN, SPAN], the paper's range
N_EVAL = 256  # training points the loss is averaged over (a fixed seeded subset)
MAX_SIZE = 41  # a grid bigger than this is refused (one session must not hog the server)
PCA_MARGIN = 0.25  # the PCA plane's grid reaches this share of the path's extent beyond it
CHUNK = 128  # grid points per batched call (bounded memory)


class LandscapeError(ValueError):
    """Why no landscape can be drawn; ``kind`` names it for the page's translated message:
    "diverged" (weights not finite), "too_few" (fewer than 3 snapshots), "flat" (the weights
    never moved), "nonfinite" (every loss on the grid is NaN or inf)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Plane:
    alphas: np.ndarray  # (size,) coordinate along the first direction
    betas: np.ndarray  # (size,) along the second
    loss: np.ndarray  # (size, size) float64; rows follow β, columns α (NaN where not finite)


@dataclass(frozen=True)
class Trajectory:
    steps: np.ndarray  # (T,) optimizer step of each snapshot
    coords: np.ndarray  # (T, 2) projection of θ_i − θ_n on the two unit directions; last row (0, 0)
    explained: np.ndarray  # (2,) share of the variance of each principal direction, descending


def weight_vector(model: torch.nn.Module) -> torch.Tensor:
    """All parameters as one flat float32 copy (what the run keeps per snapshot)."""
    return torch.nn.utils.parameters_to_vector(model.parameters()).detach().clone()


def filter_normalized_direction(weights: Sequence[torch.Tensor], generator: torch.Generator) -> list[torch.Tensor]:
    """A Gaussian direction shaped like ``weights``, each row of every matrix rescaled to the norm
    of the same row of the weights; one-dimensional parameters (biases) get zeros."""
    direction = []
    for w in weights:
        d = torch.randn(w.shape, generator=generator, dtype=w.dtype)  # drawn for biases too: a fixed stream
        if w.dim() <= 1:
            d.zero_()
        else:
            rows_d, rows_w = d.reshape(d.shape[0], -1), w.reshape(w.shape[0], -1)
            scale = rows_w.norm(dim=1) / rows_d.norm(dim=1).clamp_min(1e-12)  # (out,)
            d = (rows_d * scale[:, None]).reshape(w.shape)
        direction.append(d)
    return direction


def eval_subset(trainer: Trainer, n_eval: int = N_EVAL, seed: int = 0) -> torch.Tensor:
    """Indices of the training points the landscape averages over (sorted, seeded)."""
    n = trainer.data.x_train.shape[0]
    idx = torch.randperm(n, generator=torch.Generator().manual_seed(seed))[:min(n_eval, n)]
    return idx.sort().values


def _check_size(size: int) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or not (3 <= size <= MAX_SIZE):
        raise ValueError(f"size must be an integer in [3, {MAX_SIZE}]. Received: size={size!r}")


@torch.no_grad()
def plane_losses(trainer: Trainer, center: Sequence[torch.Tensor], d1: Sequence[torch.Tensor],
                 d2: Sequence[torch.Tensor], alphas: np.ndarray, betas: np.ndarray,
                 idx: torch.Tensor) -> np.ndarray:
    """Mean loss of ``trainer``'s model and loss at θ = center + α d1 + β d2 for every grid point:
    (len(betas), len(alphas)), rows follow β."""
    names = [name for name, _ in trainer.model.named_parameters()]
    x, y = trainer.data.x_train[idx], trainer.y_train[idx]  # (N, D), (N,)
    gb, ga = torch.meshgrid(torch.as_tensor(betas, dtype=torch.float32),
                            torch.as_tensor(alphas, dtype=torch.float32), indexing="ij")
    a, b = ga.reshape(-1), gb.reshape(-1)  # (G,)

    def outputs(params: dict[str, torch.Tensor]) -> torch.Tensor:
        return functional_call(trainer.model, params, (x,))  # (N, out_dim)

    losses = []
    for start in range(0, a.numel(), CHUNK):
        ca, cb = a[start:start + CHUNK], b[start:start + CHUNK]
        g = ca.numel()
        params = {name: c + ca.view(-1, *[1] * c.dim()) * u + cb.view(-1, *[1] * c.dim()) * v
                  for name, c, u, v in zip(names, center, d1, d2)}  # each (g, *shape)
        out = vmap(outputs)(params)  # (g, N, out_dim)
        out = out[..., 0] if trainer.out_dim == 1 else out
        flat = out.reshape(g * x.shape[0], *out.shape[2:])
        target = y.expand(g, *y.shape).reshape(g * y.shape[0], *y.shape[1:])
        per_sample = trainer.loss.fn(flat, target, **trainer.loss_params).reshape(g, -1)
        losses.append(per_sample.mean(dim=1).double())
    grid = torch.cat(losses).reshape(len(betas), len(alphas)).numpy()
    return np.where(np.isfinite(grid), grid, np.nan)


def _current(trainer: Trainer) -> list[torch.Tensor]:
    weights = [p.detach().clone() for p in trainer.model.parameters()]
    if not all(bool(torch.isfinite(w).all()) for w in weights):
        raise LandscapeError("diverged", "the weights are not finite (the run diverged): no landscape to draw")
    return weights


def _checked(plane: Plane) -> Plane:
    if not np.isfinite(plane.loss).any():
        raise LandscapeError("nonfinite", "the loss is NaN or inf everywhere on the plane")
    return plane


def random_plane(trainer: Trainer, seed: int = 0, size: int = SIZE, span: float = SPAN,
                 n_eval: int = N_EVAL) -> Plane:
    """The loss over α, β ∈ [−span, span] along two filter-normalised random directions
    (seeded) around the trainer's current weights."""
    _check_size(size)
    center = _current(trainer)
    generator = torch.Generator().manual_seed(seed)
    d1 = filter_normalized_direction(center, generator)
    d2 = filter_normalized_direction(center, generator)
    coords = span * (np.arange(size) - size // 2) / (size // 2)  # centre exactly 0.0
    loss = plane_losses(trainer, center, d1, d2, coords, coords, eval_subset(trainer, n_eval, seed))
    return _checked(Plane(coords, coords.copy(), loss))


def trajectory_pca(steps: Sequence[int], vectors: Sequence[torch.Tensor]) -> tuple[Trajectory, np.ndarray]:
    """Project the snapshots θ_0 … θ_n (flat vectors, the last one the current weights) on the
    top two principal directions of θ_i − θ_n; also return those unit directions, (2, P)."""
    if len(vectors) < 3:
        raise LandscapeError("too_few", f"the trajectory needs at least 3 snapshots; it has {len(vectors)}")
    w = torch.stack(list(vectors)).double().numpy()  # (T, P)
    if not np.isfinite(w).all():
        raise LandscapeError("diverged", "a weight snapshot is not finite (the run diverged)")
    m = w - w[-1]  # (T, P); the last row is exactly zero
    fit = m[:-1] - m[:-1].mean(axis=0)  # the paper's PCA: rows i < n, centred
    _, s, vt = np.linalg.svd(fit, full_matrices=False)
    total = float(np.sum(s ** 2))
    if total <= 0 or len(s) < 2:
        raise LandscapeError("flat", "the weights did not move: no direction to project on")
    directions = vt[:2].copy()  # (2, P) unit rows
    coords = m @ directions.T  # (T, 2)
    flip = np.where(coords[0] < 0, -1.0, 1.0)  # a fixed sign: the start has positive coordinates
    coords, directions = coords * flip, directions * flip[:, None]
    explained = s[:2] ** 2 / total
    return Trajectory(np.asarray(steps, dtype=np.int64), coords, explained), directions


def _unflatten(vector: np.ndarray, like: Sequence[torch.Tensor]) -> list[torch.Tensor]:
    out, start = [], 0
    for w in like:
        out.append(torch.as_tensor(vector[start:start + w.numel()], dtype=w.dtype).reshape(w.shape))
        start += w.numel()
    return out


def pca_plane(trainer: Trainer, steps: Sequence[int], vectors: Sequence[torch.Tensor], size: int = SIZE,
              n_eval: int = N_EVAL, seed: int = 0, margin: float = PCA_MARGIN) -> tuple[Plane, Trajectory]:
    """The trajectory on its PCA plane and the loss over that plane around the current weights
    (``vectors[-1]`` must be them), on a grid covering the path with ``margin`` to spare."""
    _check_size(size)
    center = _current(trainer)
    trajectory, directions = trajectory_pca(steps, vectors)
    axes = []
    for k in range(2):
        low, high = float(trajectory.coords[:, k].min()), float(trajectory.coords[:, k].max())
        pad = margin * max(high - low, 1e-3)
        axes.append(np.linspace(low - pad, high + pad, size))
    d1, d2 = (_unflatten(d, center) for d in directions)
    loss = plane_losses(trainer, center, d1, d2, axes[0], axes[1], eval_subset(trainer, n_eval, seed))
    return _checked(Plane(axes[0], axes[1], loss)), trajectory
