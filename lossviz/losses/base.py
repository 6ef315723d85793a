"""The two types every loss is made of: ``Param`` (one tunable number) and ``Loss``.

A ``Loss`` bundles the forward rule (a plain function on torch tensors), its LaTeX formula,
the PyTorch call a user would write, and the ``Param`` table that drives sliders, URL
validation and argument checking alike (one table, so they can never disagree).

Calling a loss validates everything a learner could get wrong and raises ``ValueError``
with a message that says what is allowed and what was received.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Callable

import torch

FAMILIES = ("regression", "binary", "multiclass")


@dataclass(frozen=True)
class Param:
    """One scalar parameter of a loss: slider range, default, symbol and i18n help key."""

    name: str  # keyword argument name and URL query key, e.g. "delta"
    default: float
    low: float
    high: float
    step: float
    symbol: str  # shown in the UI, e.g. "δ"
    help_key: str  # i18n key of a one-line explanation

    def validate(self, value: object) -> float:
        """Return ``value`` as a float if it is a finite number inside [low, high]."""
        if isinstance(value, bool) or not isinstance(value, numbers.Real):  # numpy scalars are Real
            if isinstance(value, torch.Tensor) and value.numel() == 1 and value.dtype != torch.bool:
                value = float(value)
            else:
                raise ValueError(
                    f"{self.name} must be a number in [{self.low}, {self.high}]. "
                    f"Received: {self.name}={value!r}"
                )
        value = float(value)
        if not math.isfinite(value) or not (self.low <= value <= self.high):
            raise ValueError(
                f"{self.name} must be in [{self.low}, {self.high}]. Received: {self.name}={value!r}"
            )
        return value


@dataclass(frozen=True)
class Loss:
    """A per-sample loss with its formula, torch reference and parameter table.

    ``fn(pred, target, **params)`` must return a tensor of shape (N,) (reduction 'none'),
    differentiable with respect to ``pred``. ``options`` names extra keyword arguments that
    are not sliders (for example a class-weight tensor ``weight``); they default to None.
    """

    key: str
    family: str
    fn: Callable[..., torch.Tensor]
    formula: str  # LaTeX, shown next to the chart
    torch_equivalent: str  # a format string over the param names, e.g. "F.huber_loss(..., delta={delta})"
    params: tuple[Param, ...] = ()
    options: tuple[str, ...] = ()
    reference: str = ""  # what the tests check this loss against, in words
    accepts_soft_targets: bool = False  # multiclass: also takes (N, K) probability targets
    hard_labels: bool = False  # binary: meant for y in {0, 1} only (hinge: t = 2y − 1 must be ±1)
    # How parameter values appear in the torch one-liner, when that differs from the value
    # itself (focal: any α < 0 means "off" here, but torchvision only accepts α = −1 for that).
    code_values: Callable[[dict[str, float]], dict[str, float]] | None = None

    param_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"family must be one of {FAMILIES}. Received: family={self.family!r}")
        object.__setattr__(self, "param_names", tuple(p.name for p in self.params))

    @property
    def name_key(self) -> str:
        """i18n key of the loss's display name."""
        return f"loss.{self.key}.name"

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ValueError(f"{self.key} has no parameter {name!r}. Allowed: {list(self.param_names)}")

    def resolve_params(self, **kwargs: object) -> dict[str, object]:
        """Check names and ranges; return every param (defaults filled in) plus given options."""
        allowed = set(self.param_names) | set(self.options)
        unknown = sorted(set(kwargs) - allowed)
        if unknown:
            raise ValueError(
                f"{self.key} does not take {unknown}. Allowed parameters: {sorted(allowed) or 'none'}"
            )
        resolved: dict[str, object] = {}
        for p in self.params:
            resolved[p.name] = p.validate(kwargs[p.name]) if p.name in kwargs else p.default
        for name in self.options:
            resolved[name] = kwargs.get(name)
        return resolved

    def torch_code(self, **kwargs: object) -> str:
        """The PyTorch one-liner for these parameter values, e.g. for the formula panel."""
        values = {p.name: p.default for p in self.params}
        values.update({k: v for k, v in kwargs.items() if k in self.param_names})
        if self.code_values is not None:
            values = self.code_values(values)
        return self.torch_equivalent.format(**{k: _fmt(v) for k, v in values.items()})

    def __call__(self, pred: torch.Tensor, target: torch.Tensor, **kwargs: object) -> torch.Tensor:
        params = self.resolve_params(**kwargs)
        _check_inputs(self, pred, target)
        if self.family == "multiclass" and target.dim() == 1:
            target = target.long()  # class indices of any integer dtype; gather/one_hot need int64
        return self.fn(pred, target, **params)


def _fmt(value: object) -> str:
    """Short, exact-looking number formatting for code snippets (0.5, 2, 1e-05)."""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _check_inputs(loss: Loss, pred: torch.Tensor, target: torch.Tensor) -> None:
    """Shapes and dtypes by family; messages name what is expected and what was received."""
    if not isinstance(pred, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise ValueError(
            f"{loss.key}: pred and target must be torch tensors. "
            f"Received: {type(pred).__name__}, {type(target).__name__}"
        )
    if not pred.is_floating_point():
        raise ValueError(f"{loss.key}: pred must be a float tensor. Received dtype {pred.dtype}")
    if loss.family in ("regression", "binary"):
        if pred.dim() != 1 or target.shape != pred.shape:
            raise ValueError(
                f"{loss.key}: pred and target must both have shape (N,). "
                f"Received: pred {tuple(pred.shape)}, target {tuple(target.shape)}"
            )
        if not target.is_floating_point():
            raise ValueError(f"{loss.key}: target must be a float tensor. Received dtype {target.dtype}")
        if not bool(torch.isfinite(target).all()):
            raise ValueError(f"{loss.key}: target must be finite (no NaN or inf).")
        if loss.family == "binary" and bool(((target < 0) | (target > 1)).any()):
            raise ValueError(f"{loss.key}: binary targets must lie in [0, 1].")
        return
    # multiclass: pred (N, K) logits; target (N,) class indices or (N, K) probabilities
    if pred.dim() != 2 or pred.shape[1] < 2:
        raise ValueError(
            f"{loss.key}: pred must be logits of shape (N, K) with K >= 2. Received {tuple(pred.shape)}"
        )
    n, k = pred.shape
    if target.dim() == 1:
        if target.is_floating_point() or target.shape[0] != n:
            raise ValueError(
                f"{loss.key}: class-index targets must be an integer tensor of shape ({n},). "
                f"Received {tuple(target.shape)} {target.dtype}"
            )
        if bool(((target < 0) | (target >= k)).any()):
            raise ValueError(f"{loss.key}: class indices must lie in [0, {k - 1}].")
    elif target.dim() == 2:
        if not loss.accepts_soft_targets:
            raise ValueError(f"{loss.key} takes class-index targets of shape (N,), not probabilities.")
        if target.shape != pred.shape or not target.is_floating_point():
            raise ValueError(
                f"{loss.key}: probability targets must be float with shape {tuple(pred.shape)}. "
                f"Received {tuple(target.shape)} {target.dtype}"
            )
        if not bool(torch.isfinite(target).all()) or bool((target < 0).any()):
            raise ValueError(f"{loss.key}: probability targets must be finite and non-negative.")
        row_sums = target.sum(dim=1)
        if not bool(torch.allclose(row_sums, torch.ones_like(row_sums), atol=1e-4)):
            raise ValueError(
                f"{loss.key}: each probability target row must sum to 1. "
                f"Received sums from {float(row_sums.min()):g} to {float(row_sums.max()):g}"
            )
    else:
        raise ValueError(f"{loss.key}: target must be (N,) or (N, K). Received {tuple(target.shape)}")
