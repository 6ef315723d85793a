"""The loss library: pure torch, no Streamlit. See base.py for the contract."""

from .base import Loss, Param
from .registry import LOSSES, explorer_keys, get_loss, losses_by_family

__all__ = ["LOSSES", "Loss", "Param", "explorer_keys", "get_loss", "losses_by_family"]
