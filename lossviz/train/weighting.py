r"""How a multi-task model combines its task losses :math:`L_i` into one total (no Streamlit).

Each strategy is a small object with ``total(losses)`` (the differentiable sum the model
minimises), ``weights()`` (the effective weight on each raw loss, for the charts) and, where the
paper updates weights outside the model's gradient step, ``update(...)``.

- ``FixedWeights``: :math:`\sum_i w_i L_i`, the baseline.
- ``UncertaintyWeighting`` (Kendall, Gal & Cipolla, CVPR 2018).
- ``GradNorm`` (Chen, Badrinarayanan, Lee & Rabinovich, ICML 2018).
- ``DynamicWeightAverage`` (Liu, Johns & Davison, CVPR 2019).
"""

from __future__ import annotations

import math
from typing import Sequence

import torch

STRATEGIES = ("fixed", "uncertainty", "gradnorm", "dwa")
TASK_KINDS = ("classification", "regression")


class FixedWeights:
    r""":math:`L = \sum_i w_i L_i` with weights the user chooses. PyTorch: ``(w * losses).sum()``."""

    def __init__(self, weights: Sequence[float]):
        self.w = torch.tensor([float(w) for w in weights])

    def total(self, losses: torch.Tensor) -> torch.Tensor:
        return (self.w.to(losses.dtype) * losses).sum()

    def weights(self) -> list[float]:
        return self.w.tolist()


class UncertaintyWeighting:
    r"""Homoscedastic uncertainty weighting (Kendall, Gal & Cipolla, CVPR 2018).

    The paper's total for a regression task (Gaussian likelihood) and a classification task
    (scaled softmax) is

    .. math:: \frac{1}{2\sigma_1^2} L_1 + \frac{1}{\sigma_2^2} L_2 + \log\sigma_1 + \log\sigma_2,

    learned with :math:`s_i = \log\sigma_i^2` for stability, i.e. per task
    :math:`c_i e^{-s_i} L_i + \tfrac12 s_i` with :math:`c_i = \tfrac12` (regression) or 1 (classification):
    ``form="paper"``.

    ``form="simplified"`` (the default) is :math:`\sum_i e^{-s_i} L_i + s_i`, the form most
    public implementations use and the one the issue names. For a regression task it is exactly
    twice the paper's term (same optimum); for a classification task its optimum weight is
    :math:`1/L_i` instead of the paper's :math:`1/(2L_i)`. We default to it because it treats
    tasks alike and its fixed point is easy to state: :math:`\partial/\partial s_i = 0` gives
    :math:`e^{-s_i} = 1/L_i`, so every weighted loss tends to 1 whatever the scale of its task.
    ``s`` starts at 0 (σ = 1) and is trained with the model's own optimiser.
    """

    def __init__(self, kinds: Sequence[str], form: str = "simplified"):
        if form not in ("simplified", "paper"):
            raise ValueError(f"form must be one of simplified, paper. Received: form={form!r}")
        bad = [k for k in kinds if k not in TASK_KINDS]
        if bad:
            raise ValueError(f"task kinds must be among {', '.join(TASK_KINDS)}. Received: {bad}")
        self.form = form
        self.log_var = torch.zeros(len(kinds), requires_grad=True)  # s_i = log σ_i²
        if form == "paper":
            self.c = torch.tensor([0.5 if k == "regression" else 1.0 for k in kinds])
            self.d = torch.full((len(kinds),), 0.5)  # log σ = s / 2
        else:
            self.c, self.d = torch.ones(len(kinds)), torch.ones(len(kinds))

    def parameters(self) -> list[torch.Tensor]:
        return [self.log_var]

    def total(self, losses: torch.Tensor) -> torch.Tensor:
        s = self.log_var.to(losses.dtype)
        return (self.c * torch.exp(-s) * losses + self.d * s).sum()

    def weights(self) -> list[float]:
        return (self.c * torch.exp(-self.log_var.detach())).tolist()


def gradnorm_loss(w: torch.Tensor, grad_norms: torch.Tensor, losses: torch.Tensor, initial_losses: torch.Tensor,
                  alpha: float) -> torch.Tensor:
    r"""GradNorm's :math:`L_{grad} = \sum_i \left| G_W^{(i)} - \bar G_W \, r_i^{\alpha} \right|_1` (Chen et al., eq. 2).

    :math:`G_W^{(i)} = \lVert \nabla_W\, w_i L_i \rVert_2 = w_i \lVert \nabla_W L_i \rVert_2` on the
    last shared layer W (``grad_norms`` are the unweighted norms), :math:`\bar G_W` their mean,
    :math:`\tilde L_i = L_i / L_i(0)` and :math:`r_i = \tilde L_i / \operatorname{mean}_j \tilde L_j`
    (the relative inverse training rate). As in the paper, the target :math:`\bar G_W r_i^\alpha`
    is a constant: only :math:`G_W^{(i)}` carries a gradient to :math:`w_i`.
    """
    g = w * grad_norms  # G_W^(i)
    loss_ratio = losses / initial_losses
    r = loss_ratio / loss_ratio.mean()
    target = (g.mean() * r ** alpha).detach()
    return (g - target).abs().sum()


class GradNorm:
    r"""GradNorm (Chen et al., ICML 2018): learn :math:`w_i` so each task's gradient norm on the
    shared trunk's last layer follows :math:`\bar G_W r_i^\alpha`. Tasks that train slower get
    bigger gradients; α (1.5 in the paper's NYUv2 runs) sets how hard. After each update the
    weights are renormalised to :math:`\sum_i w_i = K`. The weights have their own Adam
    (learning rate ``lr``), clipped below at 1e-3 so none turns negative.
    """

    def __init__(self, n_tasks: int, alpha: float = 1.5, lr: float = 0.025):
        self.alpha, self.n_tasks = alpha, n_tasks
        self.w = torch.ones(n_tasks, requires_grad=True)
        self.optimizer = torch.optim.Adam([self.w], lr=lr)
        self.initial_losses: torch.Tensor | None = None
        self.last_gradnorm_loss = 0.0

    def total(self, losses: torch.Tensor) -> torch.Tensor:
        return (self.w.detach().to(losses.dtype) * losses).sum()

    def weights(self) -> list[float]:
        return self.w.detach().tolist()

    def update(self, losses: torch.Tensor, grad_norms: torch.Tensor) -> None:
        """One step on the weights from this step's losses and unweighted gradient norms on W."""
        losses, grad_norms = losses.detach().float(), grad_norms.detach().float()
        if self.initial_losses is None:
            self.initial_losses = losses.clamp_min(1e-12)
        loss = gradnorm_loss(self.w, grad_norms, losses, self.initial_losses, self.alpha)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        with torch.no_grad():
            self.w.clamp_(min=1e-3)
            self.w.mul_(self.n_tasks / self.w.sum())
        self.last_gradnorm_loss = loss.item()


def dwa_weights(previous: Sequence[float], before_previous: Sequence[float], temperature: float) -> list[float]:
    r"""Dynamic weight average (Liu, Johns & Davison, CVPR 2019, eq. 7):
    :math:`\lambda_k = K \exp(w_k / T) / \sum_i \exp(w_i / T)` with :math:`w_k = L_k(t-1) / L_k(t-2)`.
    A task whose loss fell less (ratio near 1) gets more weight; T = 2 in the paper.
    """
    ratios = torch.tensor([a / b for a, b in zip(previous, before_previous)], dtype=torch.float64)
    return (len(ratios) * torch.softmax(ratios / temperature, dim=0)).tolist()


class DynamicWeightAverage:
    r"""DWA: weights from the last two epochs' losses, 1 for the first two epochs, as in the paper.

    The paper averages each task's loss over an epoch; this loop trains full-batch, so one step
    is one epoch and ``L_k(t-1)`` is the previous step's loss.
    """

    def __init__(self, n_tasks: int, temperature: float = 2.0):
        self.temperature, self.history = temperature, []
        self.current = [1.0] * n_tasks

    def total(self, losses: torch.Tensor) -> torch.Tensor:
        return (torch.tensor(self.current, dtype=losses.dtype) * losses).sum()

    def weights(self) -> list[float]:
        return list(self.current)

    def update(self, losses: torch.Tensor, grad_norms: torch.Tensor | None = None) -> None:
        """Record this epoch's losses and set the weights for the next one."""
        self.history = (self.history + [losses.detach().tolist()])[-2:]
        if len(self.history) == 2:
            self.current = dwa_weights(self.history[1], self.history[0], self.temperature)


def make_weighting(name: str, kinds: Sequence[str], *, fixed: Sequence[float] = (1.0, 1.0), alpha: float = 1.5,
                   gradnorm_lr: float = 0.025, temperature: float = 2.0, uncertainty_form: str = "simplified"):
    """The strategy called ``name`` (one of ``STRATEGIES``) for tasks of the given kinds."""
    if name == "fixed":
        return FixedWeights(fixed)
    if name == "uncertainty":
        return UncertaintyWeighting(kinds, uncertainty_form)
    if name == "gradnorm":
        return GradNorm(len(kinds), alpha, gradnorm_lr)
    if name == "dwa":
        if not (math.isfinite(temperature) and temperature > 0):
            raise ValueError(f"temperature must be a positive number. Received: temperature={temperature!r}")
        return DynamicWeightAverage(len(kinds), temperature)
    raise ValueError(f"weighting must be one of {', '.join(STRATEGIES)}. Received: weighting={name!r}")
