r"""The training run: a frozen config and a ``Trainer`` that advances in chunks (``step(n)``).

One step is plain mini-batch training on the mean per-sample loss:

.. math:: \mathcal L_B(\theta) = \frac{1}{|B|} \sum_{i \in B} \ell(f_\theta(x_i), y_i),\quad
          \theta \leftarrow \mathrm{opt}(\theta, \nabla_\theta \mathcal L_B)

PyTorch: ``loss = loss_fn(model(x[idx]), y[idx]).mean(); opt.zero_grad(); loss.backward(); opt.step()``.
Batches are slices of a fresh seeded permutation each epoch (sampling without replacement).

Deterministic bit for bit: data, initial weights and batch order each come from their own seeded
generator, and ``torch.set_num_threads(1)`` fixes the reduction order (and keeps one session
to one core of a shared server). The trainer decides nothing about redraws: a page calls
``step(n)`` as often as it likes and draws what comes back.

A non-finite loss, gradient or weight stops the run: ``trainer.divergence`` says what diverged,
at which step, and a hint; further ``step`` calls return nothing.

A loss the user typed (``loss="custom"``, regression only) is ``lossviz.custom_loss``'s ``Loss``
built from ``custom_expr`` and ``custom_params`` (declarations ``name:default:low:high``); its
values go in ``loss_params`` like any loss's. Its evaluation keeps the expression language's caps
(``lossviz.expr``: at most ``MAX_POINTS`` points, ``EVAL_BUDGET_S`` per evaluation); an evaluation
that runs out of time stops the run like a divergence (``what="time"``), never with a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from ..custom_loss import custom_loss, parse_param_declarations
from ..expr import EVAL_BUDGET_S, ExprError
from ..losses import LOSSES, Loss, get_loss
from ..state import CUSTOM_KEY, CUSTOM_RESERVED
from .datasets import DATASETS, Dataset, make_dataset
from .models import ACTIVATIONS, build_model, check_hidden
from .optim import MAX_LR, MIN_LR, OPTIMIZERS, build_optimizer

MAX_STEPS = 5000  # per run: ~3 s of one core at ~2000 steps/s
MAX_BATCH = 512
MAX_CHUNK = 1000  # steps per step(n) call, so one call never holds the GIL for long
PROBLEM_FAMILIES = {"binary": ("binary", "multiclass"), "multiclass": ("multiclass",), "regression": ("regression",)}


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a run. Same config, same trajectory, bit for bit."""

    dataset: str = "moons"  # one of datasets.DATASETS; moons needs a non-linear boundary
    n_points: int = 400  # train + validation; a few hundred points stay readable in a scatter plot
    noise: float = 0.1  # std of the input jitter on 2-D sets; 0.1 keeps moons separable but not trivial
    n_classes: int = 3  # blobs / spirals only; 3 is the smallest K where softmax differs from sigmoid
    ratio: float = 10.0  # imbalanced only: negatives per positive; 10 is where plain BCE starts to ignore positives
    label_noise: float = 0.0  # imbalanced only: fraction of flipped labels
    outliers: float = 0.0  # regression only: fraction of targets shifted far away (Huber vs MSE)
    hidden: tuple[int, ...] = (16, 16)  # MLP widths; () is logistic / softmax regression
    activation: str = "relu"  # one of models.ACTIVATIONS
    loss: str = "bce"  # a key of lossviz.LOSSES whose family fits the data set
    loss_params: tuple[tuple[str, float], ...] = ()  # e.g. (("gamma", 2.0),); missing ones take defaults
    optimizer: str = "adam"  # one of optim.OPTIMIZERS; Adam forgives a poorly chosen learning rate
    lr: float = 0.01  # 1e-2 trains the default MLP on moons in a few hundred steps
    batch_size: int = 64  # small enough for visible noise in the loss curve
    steps: int = 500  # the run stops here; capped at MAX_STEPS
    seed: int = 0  # seeds data, initial weights and batch order (three separate generators)
    custom_expr: str = ""  # loss="custom" only: the expression in p and y, e.g. "abs(y - p)**q"
    custom_params: str = ""  # loss="custom" only: its declared parameters, "q:1.5:0.5:4" (as in /custom's URL)

    def problem(self) -> str:
        """Which loss families fit: "regression", "binary" (two classes) or "multiclass" (K > 2)."""
        if self.dataset == "regression":
            return "regression"
        two = self.dataset in ("moons", "circles", "imbalanced") or self.n_classes == 2
        return "binary" if two else "multiclass"


def compatible_losses(config: TrainConfig) -> list[str]:
    """Loss keys whose family fits the data set (binary sets also take multiclass losses, K = 2)."""
    families = PROBLEM_FAMILIES[config.problem()]
    keys = [key for key, loss in LOSSES.items() if loss.family in families]
    return keys + [CUSTOM_KEY] if "regression" in families else keys


def config_loss(config: TrainConfig) -> Loss:
    """The config's loss: a library loss, or the user's expression for ``loss="custom"``
    (``ExprError``, a ``ValueError``, if the expression or its declarations are not allowed)."""
    if config.loss == CUSTOM_KEY:
        return custom_loss(config.custom_expr, parse_param_declarations(config.custom_params, CUSTOM_RESERVED))
    return get_loss(config.loss)


def check_config(config: TrainConfig) -> None:
    """``ValueError`` naming what is allowed, for the first setting that is not."""
    if config.dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}. Received: {config.dataset!r}")
    if config.activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}. Received: {config.activation!r}")
    if config.optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}. Received: {config.optimizer!r}")
    check_hidden(config.hidden)
    allowed = compatible_losses(config)
    if config.loss not in allowed:
        raise ValueError(
            f"loss {config.loss!r} does not fit the {config.dataset} data set. Allowed: {', '.join(allowed)}"
        )
    config_loss(config).resolve_params(**dict(config.loss_params))
    for name, value, high in (("steps", config.steps, MAX_STEPS), ("batch_size", config.batch_size, MAX_BATCH)):
        if isinstance(value, bool) or not isinstance(value, int) or not (1 <= value <= high):
            raise ValueError(f"{name} must be an integer in [1, {high}]. Received: {name}={value!r}")
    if isinstance(config.lr, bool) or not isinstance(config.lr, (int, float)) or not (MIN_LR <= config.lr <= MAX_LR):
        raise ValueError(f"lr must be in [{MIN_LR:g}, {MAX_LR:g}]. Received: lr={config.lr!r}")
    if isinstance(config.seed, bool) or not isinstance(config.seed, int) or not (0 <= config.seed < 2**31):
        raise ValueError(f"seed must be an integer in [0, 2^31). Received: seed={config.seed!r}")


@dataclass(frozen=True)
class StepRecord:
    step: int  # 1-based count of optimizer steps taken so far
    loss: float  # mean loss of this step's batch (before the update)
    grad_norm: float  # global L2 norm of the gradient over all parameters


@dataclass(frozen=True)
class Divergence:
    """Why a run stopped early: ``what`` is "loss", "gradient" or "weights", or "time" when a
    typed loss ran out of its evaluation time."""

    step: int
    what: str
    value: str  # "nan" or "inf" ("slow" for what="time")
    where: str = ""  # the parameter that went non-finite, for "weights"

    @property
    def message(self) -> str:
        if self.what == "time":
            return (f"Training stopped at step {self.step}: evaluating the typed loss took longer than "
                    f"{EVAL_BUDGET_S:g} s. Hint: simplify the expression.")
        place = f" ({self.where})" if self.where else ""
        return (f"Training diverged at step {self.step}: the {self.what}{place} became {self.value}. "
                "Hint: lower the learning rate, or use a loss that stays bounded (e.g. Huber instead of MSE).")


@dataclass
class Trainer:
    """A live run: model, optimizer and batch order, advanced by ``step(n)``."""

    config: TrainConfig
    data: Dataset = field(init=False)
    model: torch.nn.Sequential = field(init=False)
    loss: Loss = field(init=False)
    steps_done: int = field(init=False, default=0)
    divergence: Divergence | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        torch.set_num_threads(1)
        check_config(self.config)
        c = self.config
        self.data = make_dataset(c.dataset, c.n_points, c.seed, c.noise, c.n_classes, c.ratio,
                                 c.label_noise, c.outliers)
        self.loss = config_loss(c)
        self.loss_params = self.loss.resolve_params(**dict(c.loss_params))
        self.out_dim = self.data.n_classes if self.loss.family == "multiclass" else 1
        self.model = build_model(self.data.in_dim, self.out_dim, c.hidden, c.activation, seed=c.seed)
        self.optimizer = build_optimizer(c.optimizer, self.model.parameters(), c.lr)
        self.y_train = self.targets(self.data.y_train)
        self.y_val = self.targets(self.data.y_val)
        self.loss(self.outputs(self.data.x_train[:2]), self.y_train[:2], **self.loss_params)  # checks once
        self._order = torch.Generator().manual_seed(c.seed + 1)  # batch order
        self._perm = torch.empty(0, dtype=torch.long)
        self._cursor = 0

    @property
    def finished(self) -> bool:
        return self.divergence is not None or self.steps_done >= self.config.steps

    def targets(self, y: torch.Tensor) -> torch.Tensor:
        """Labels as the loss wants them: float 0/1 for binary losses, int64 indices for multiclass."""
        return y.long() if self.loss.family == "multiclass" else y.float()

    def outputs(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N,) or (N, K), or predictions (N,) for regression."""
        z = self.model(x)  # (N, out_dim)
        return z if self.out_dim > 1 else z[:, 0]

    def _next_batch(self) -> torch.Tensor:
        n = self.data.x_train.shape[0]
        size = min(self.config.batch_size, n)
        if self._cursor + size > self._perm.numel():
            self._perm = torch.randperm(n, generator=self._order)  # a new epoch
            self._cursor = 0
        idx = self._perm[self._cursor:self._cursor + size]
        self._cursor += size
        return idx

    def step(self, n: int = 1) -> list[StepRecord]:
        """Take up to ``n`` optimizer steps (fewer at the end of the run or on divergence)."""
        records: list[StepRecord] = []
        n = max(0, min(int(n), MAX_CHUNK, self.config.steps - self.steps_done))
        params = list(self.model.parameters())
        for _ in range(n if self.divergence is None else 0):
            idx = self._next_batch()
            step = self.steps_done + 1
            try:
                batch_loss = self.loss.fn(self.outputs(self.data.x_train[idx]), self.y_train[idx],
                                          **self.loss_params).mean()
            except ExprError:  # a typed loss ran out of its evaluation time (lossviz.expr)
                self.divergence = Divergence(step, "time", "slow")
                break
            self.optimizer.zero_grad(set_to_none=True)
            batch_loss.backward()
            grad_norm = torch.nn.utils.get_total_norm([p.grad for p in params], foreach=True)
            loss_value, norm_value = torch.stack([batch_loss.detach(), grad_norm]).tolist()
            if not (_finite(loss_value) and _finite(norm_value)):
                self.divergence = self._diagnose(step, loss_value, norm_value)
                break
            self.optimizer.step()
            self.steps_done = step
            records.append(StepRecord(step, loss_value, norm_value))
        if records and self.divergence is None:
            self.divergence = self._check_weights(self.steps_done)
        return records

    def _diagnose(self, step: int, loss_value: float, norm_value: float) -> Divergence:
        """Name the first non-finite thing: weights (from the last update), then loss, then gradient."""
        bad_weights = self._check_weights(step)
        if bad_weights is not None:
            return bad_weights
        if not _finite(loss_value):
            return Divergence(step, "loss", _kind(loss_value))
        return Divergence(step, "gradient", _kind(norm_value))

    def _check_weights(self, step: int) -> Divergence | None:
        for name, p in self.model.named_parameters():
            if not bool(torch.isfinite(p).all()):
                value = "nan" if bool(torch.isnan(p).any()) else "inf"
                return Divergence(step, "weights", value, where=name)
        return None

    @torch.no_grad()
    def evaluate(self) -> dict[str, float]:
        """Mean loss on train and validation sets, plus accuracy (classification) or MAE (regression)."""
        metrics: dict[str, float] = {"step": float(self.steps_done)}
        for split, x, y in (("train", self.data.x_train, self.y_train), ("val", self.data.x_val, self.y_val)):
            out = self.outputs(x)
            try:
                metrics[f"{split}_loss"] = float(self.loss.fn(out, y, **self.loss_params).mean())
            except ExprError:  # a typed loss out of time: no value, not a crash
                metrics[f"{split}_loss"] = float("nan")
            if self.data.task == "regress":
                metrics[f"{split}_mae"] = float((out - y).abs().mean())
            else:
                predicted = out.argmax(dim=1) if out.dim() == 2 else (out > 0).long()
                metrics[f"{split}_accuracy"] = float((predicted == y.long()).float().mean())
        return metrics


def _finite(value: float) -> bool:
    return value == value and abs(value) != float("inf")


def _kind(value: float) -> str:
    return "nan" if value != value else "inf"
