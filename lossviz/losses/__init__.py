"""The loss library: pure torch, no Streamlit. See base.py for the contract."""

from .base import Loss, Param
from .registry import LOSSES, get_loss, losses_by_family

__all__ = ["LOSSES", "Loss", "Param", "get_loss", "losses_by_family"]
