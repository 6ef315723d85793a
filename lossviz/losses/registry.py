"""All losses by key, in menu order (family by family), and ``get_loss``."""

from __future__ import annotations

from .base import ONE_D_FAMILIES, Loss
from .binary import BINARY_LOSSES
from .counts import COUNTS_LOSSES
from .embedding import EMBEDDING_LOSSES
from .multiclass import MULTICLASS_LOSSES
from .regression import REGRESSION_LOSSES
from .segmentation import SEGMENTATION_LOSSES
from .sequence import SEQUENCE_LOSSES

LOSSES: dict[str, Loss] = {
    loss.key: loss
    for loss in (*REGRESSION_LOSSES, *BINARY_LOSSES, *MULTICLASS_LOSSES, *COUNTS_LOSSES, *SEGMENTATION_LOSSES,
                 *EMBEDDING_LOSSES, *SEQUENCE_LOSSES)
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


def explorer_keys() -> tuple[str, ...]:
    """Keys of the losses with a one-dimensional view (one number per sample: pred (N,),
    target (N,) or logits (N, K)), in menu order. The other families (segmentation,
    embedding, sequence) need more than one slider per sample and are shown on their pages."""
    return tuple(key for key, loss in LOSSES.items() if loss.family in ONE_D_FAMILIES)
