r"""The models a learner can train here: linear (logistic / softmax regression) or a small MLP.

``hidden=()`` is the linear model :math:`z = W x + b`: with one output and BCE it is logistic
regression, with K outputs and cross-entropy softmax regression. ``hidden=(16, 16)`` is
:math:`z = W_3\,\phi(W_2\,\phi(W_1 x + b_1) + b_2) + b_3` with the activation φ.
PyTorch: ``nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))``.

Caps keep one browser session from starving the others on a shared 2-core server.
Initial weights come from a seeded generator under ``torch.random.fork_rng``, so two runs with
the same seed and shape start from the same weights and the global RNG is left alone.
"""

from __future__ import annotations

import torch
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU, "sigmoid": nn.Sigmoid, "silu": nn.SiLU}
MAX_LAYERS = 4  # hidden layers
MAX_WIDTH = 64  # units per hidden layer
MAX_PARAMETERS = 10_000


def check_hidden(hidden: tuple[int, ...]) -> tuple[int, ...]:
    """``hidden`` as a tuple of ints within the caps; ``ValueError`` saying the caps otherwise."""
    widths = tuple(hidden)
    if len(widths) > MAX_LAYERS or any(
        isinstance(w, bool) or not isinstance(w, int) or not (1 <= w <= MAX_WIDTH) for w in widths
    ):
        raise ValueError(
            f"hidden must be at most {MAX_LAYERS} widths, each an integer in [1, {MAX_WIDTH}]. "
            f"Received: hidden={hidden!r}"
        )
    return widths


def build_model(in_dim: int, out_dim: int, hidden: tuple[int, ...] = (16, 16),
                activation: str = "relu", seed: int = 0) -> nn.Sequential:
    """A seeded ``nn.Sequential`` of Linear layers with ``activation`` between them."""
    widths = check_hidden(hidden)
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}. Received: {activation!r}")
    sizes = (in_dim, *widths, out_dim)
    n_params = sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))
    if n_params > MAX_PARAMETERS:
        raise ValueError(f"the model would have {n_params} parameters; the cap is {MAX_PARAMETERS}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)  # nn.Linear's default (Kaiming-uniform) init, from this seed
        layers: list[nn.Module] = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            layers += [nn.Linear(a, b), ACTIVATIONS[activation]()]
        return nn.Sequential(*layers[:-1])  # no activation after the output layer: logits


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
