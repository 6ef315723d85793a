r"""A two-task model trained step by step: one shared trunk, a classification head and a
regression head, with a switchable loss weighting (no Streamlit; deterministic from a seed).

The data: points :math:`x \in [-2, 2]^2`; the class is 1 outside the circle :math:`\lVert x\rVert = 1.3`
(BCE on a logit, metric accuracy) and the value is :math:`y = \sin(2 x_1) + \tfrac12 x_2` plus noise
(MSE, metric RMSE in y's units). ``scale`` multiplies one task's raw loss (up to 1000x, as when a
target is in different units), so the imbalance the weighting must fix is real.

Training is full-batch (one step = one epoch, which is what DWA's epoch losses need).
``MultitaskTrainer(config).step(n)`` returns one flat record per step:
``loss_<task>`` (the scaled raw loss the weighting sees), ``metric_<task>``, ``weight_<task>``
(the effective weight on that loss) and ``grad_<task>`` (:math:`\lVert\nabla_W\, w_i L_i\rVert_2` on the
trunk's last layer W: how hard each task pulls the shared weights), plus ``total``.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from . import weighting

TASKS = ("cls", "reg")  # record-key suffixes
TASK_KINDS = ("classification", "regression")
CIRCLE_RADIUS = 1.3  # about half the square is inside: balanced classes
NOISE_STD = 0.1
MAX_SCALE = 1000.0
MAX_STEPS = 20_000


@dataclass(frozen=True)
class MultitaskConfig:
    weighting: str = "fixed"  # fixed | uncertainty | gradnorm | dwa
    scale: float = 100.0  # multiplies the raw loss of scaled_task: the imbalance to fix
    scaled_task: str = "reg"  # cls | reg
    weight_cls: float = 1.0  # fixed weights (weighting="fixed" only)
    weight_reg: float = 1.0
    alpha: float = 1.5  # GradNorm's restoring force; 1.5 in the paper's NYUv2 runs
    temperature: float = 2.0  # DWA's T, as in the paper
    uncertainty_form: str = "simplified"  # simplified (Σ e^{-s}L + s) | paper (Kendall eq. 7)
    lr: float = 0.01  # Adam, for the model (and the log-variances of uncertainty weighting)
    hidden: int = 32  # trunk width; two tanh layers
    n_train: int = 256
    steps: int = 500  # used by run_multitask only
    seed: int = 0

    def validated(self) -> "MultitaskConfig":
        checks = [
            ("weighting", self.weighting in weighting.STRATEGIES, f"one of {', '.join(weighting.STRATEGIES)}"),
            ("scale", _finite(self.scale) and 1e-3 <= self.scale <= MAX_SCALE, f"a number in [0.001, {MAX_SCALE:g}]"),
            ("scaled_task", self.scaled_task in TASKS, "one of cls, reg"),
            ("weight_cls", _finite(self.weight_cls) and 0 <= self.weight_cls <= 100, "a number in [0, 100]"),
            ("weight_reg", _finite(self.weight_reg) and 0 <= self.weight_reg <= 100, "a number in [0, 100]"),
            ("alpha", _finite(self.alpha) and 0 <= self.alpha <= 5, "a number in [0, 5]"),
            ("temperature", _finite(self.temperature) and 0.05 <= self.temperature <= 100, "a number in [0.05, 100]"),
            ("uncertainty_form", self.uncertainty_form in ("simplified", "paper"), "one of simplified, paper"),
            ("lr", _finite(self.lr) and 0 < self.lr <= 1, "a number in (0, 1]"),
            ("hidden", 1 <= self.hidden <= 256, "an integer in [1, 256]"),
            ("n_train", 8 <= self.n_train <= 4096, "an integer in [8, 4096]"),
            ("steps", 0 <= self.steps <= MAX_STEPS, f"an integer in [0, {MAX_STEPS}]"),
        ]
        for name, ok, allowed in checks:
            if not ok:
                raise ValueError(f"{name} must be {allowed}. Received: {name}={getattr(self, name)!r}")
        return self


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def make_data(n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(x (n, 2), class (n,) in {0., 1.}, value (n,)), drawn from ``generator``."""
    x = 4 * torch.rand(n, 2, generator=generator) - 2
    label = (x.norm(dim=1) > CIRCLE_RADIUS).float()
    value = torch.sin(2 * x[:, 0]) + 0.5 * x[:, 1] + NOISE_STD * torch.randn(n, generator=generator)
    return x, label, value


class TwoHeadNet(nn.Module):
    """x (B, 2) -> trunk (B, H) -> (class logit (B,), value (B,))."""

    def __init__(self, hidden: int):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(2, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh())
        self.cls_head, self.reg_head = nn.Linear(hidden, 1), nn.Linear(hidden, 1)

    @property
    def shared_last_layer(self) -> torch.Tensor:
        """W in GradNorm: the weight matrix of the trunk's last layer."""
        return self.trunk[2].weight

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.trunk(x)
        return self.cls_head(h).squeeze(1), self.reg_head(h).squeeze(1)


class MultitaskTrainer:
    def __init__(self, config: MultitaskConfig):
        self.config = config.validated()
        with torch.random.fork_rng(devices=[]):  # seeded weights; the global RNG is left alone
            torch.manual_seed(config.seed)
            self.model = TwoHeadNet(config.hidden)
        rng = torch.Generator().manual_seed(config.seed + 1)
        self.x, self.label, self.value = make_data(config.n_train, rng)
        self.x_test, self.label_test, self.value_test = make_data(1024, rng)
        self.scales = torch.tensor([config.scale if t == config.scaled_task else 1.0 for t in TASKS])
        self.weighting = weighting.make_weighting(
            config.weighting, TASK_KINDS, fixed=(config.weight_cls, config.weight_reg), alpha=config.alpha,
            temperature=config.temperature, uncertainty_form=config.uncertainty_form)
        params = list(self.model.parameters()) + list(getattr(self.weighting, "parameters", list)())
        self.optimizer = torch.optim.Adam(params, lr=config.lr)
        self.steps_done = 0
        self.diverged: str | None = None

    def task_losses(self, x: torch.Tensor, label: torch.Tensor, value: torch.Tensor) -> torch.Tensor:
        """(2,): scaled raw losses [BCE, MSE] of the model on (x, label, value)."""
        logit, pred = self.model(x)
        raw = torch.stack([F.binary_cross_entropy_with_logits(logit, label), F.mse_loss(pred, value)])
        return raw * self.scales

    @torch.no_grad()
    def metrics(self) -> dict:
        """Held-out accuracy and RMSE (in y's own units, whatever the scale)."""
        logit, pred = self.model(self.x_test)
        return {"metric_cls": float(((logit > 0).float() == self.label_test).float().mean()),
                "metric_reg": float(F.mse_loss(pred, self.value_test).sqrt())}

    def _one_step(self) -> dict:
        losses = self.task_losses(self.x, self.label, self.value)  # (2,)
        weights = torch.tensor(self.weighting.weights())
        w_layer = self.model.shared_last_layer
        raw_norms = torch.stack([torch.autograd.grad(losses[i], w_layer, retain_graph=True)[0].norm()
                                 for i in range(len(TASKS))])  # ||∇_W L_i||
        total = self.weighting.total(losses)
        self.optimizer.zero_grad(set_to_none=True)
        total.backward()
        self.optimizer.step()
        if hasattr(self.weighting, "update"):
            self.weighting.update(losses.detach(), raw_norms)
        record = {"step": self.steps_done + 1, "total": total.item()}
        for i, task in enumerate(TASKS):
            record[f"loss_{task}"] = losses[i].item()
            record[f"weight_{task}"] = weights[i].item()
            record[f"grad_{task}"] = (weights[i] * raw_norms[i]).item()
        return record

    def _state(self) -> list[torch.Tensor]:
        extra = list(getattr(self.weighting, "parameters", list)())
        return [p.detach().clone() for p in list(self.model.parameters()) + extra]

    def _restore(self, saved: list[torch.Tensor]) -> None:
        params = list(self.model.parameters()) + list(getattr(self.weighting, "parameters", list)())
        with torch.no_grad():
            for p, value in zip(params, saved):
                p.copy_(value)

    def step(self, n: int) -> list[dict]:
        """Up to ``n`` steps (fewer if the run diverges); one flat record per step."""
        records: list[dict] = []
        for _ in range(max(0, int(n)) if not self.diverged else 0):
            saved = self._state()
            record = self._one_step()
            params = list(self.model.parameters())
            finite = all(math.isfinite(v) for v in record.values()) and bool(
                torch.isfinite(torch.stack([p.sum() for p in params])).all())
            if not finite:
                self._restore(saved)
                self.diverged = (f"step {record['step']}: a loss, gradient or weight became NaN or infinite; "
                                 "lower the learning rate or the scale and reset")
                break
            self.steps_done += 1
            records.append({**record, **self.metrics()})
        return records


def run_multitask(config: MultitaskConfig) -> dict:
    """Train ``config.steps`` steps; the JSON-able summary the command line prints with ``--json``."""
    trainer = MultitaskTrainer(config)
    start = time.perf_counter()
    history = trainer.step(config.steps)
    elapsed = time.perf_counter() - start
    final = {"step": trainer.steps_done, **(history[-1] if history else trainer.metrics())}
    final.pop("step", None)
    return {
        "task": "multitask",
        "settings": asdict(trainer.config),
        "history": history,
        "final": {"step": trainer.steps_done, **final},
        "diverged": trainer.diverged,
        "steps_per_s": round(trainer.steps_done / elapsed, 1) if elapsed > 0 and trainer.steps_done else 0.0,
    }
