"""All losses by key, in menu order (family by family), and ``get_loss``."""

from __future__ import annotations

from .base import Loss
from .binary import BINARY_LOSSES
from .multiclass import MULTICLASS_LOSSES
from .regression import REGRESSION_LOSSES

LOSSES: dict[str, Loss] = {
    loss.key: loss for loss in (*REGRESSION_LOSSES, *BINARY_LOSSES, *MULTICLASS_LOSSES)
}


def get_loss(key: str) -> Loss:
    """The loss registered under ``key``; ``KeyError`` listing the valid keys otherwise."""
    try:
        return LOSSES[key]
    except (KeyError, TypeError):
        raise KeyError(f"Unknown loss {key!r}. Valid keys: {', '.join(LOSSES)}") from None


def losses_by_family() -> dict[str, list[Loss]]:
    """Families in menu order, each with its losses in menu order."""
    grouped: dict[str, list[Loss]] = {}
    for loss in LOSSES.values():
        grouped.setdefault(loss.family, []).append(loss)
    return grouped
