"""lossviz: see loss functions and their gradients.

``import lossviz`` is cheap: torch is imported only when the loss library is first touched
(``lossviz.get_loss``, ``lossviz.LOSSES``), so pages that need no maths never wait for torch.
"""

from __future__ import annotations

from typing import Any

_LAZY = {"LOSSES", "Loss", "Param", "explorer_keys", "get_loss", "losses_by_family"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import losses

        return getattr(losses, name)
    raise AttributeError(f"module 'lossviz' has no attribute {name!r}")


__all__ = sorted(_LAZY)
