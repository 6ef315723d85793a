r"""Mixture-of-experts router losses on a small batch of tokens.

Switch Transformer load balancing (Fedus, Zoph & Shazeer 2021, https://arxiv.org/abs/2101.03961,
§2.2), for N experts and a batch of T tokens routed top-1:

.. math:: \mathcal{L}_{\text{balance}} = N \sum_{i=1}^{N} f_i P_i,\quad
          f_i = \frac1T \sum_x [\operatorname{argmax} p(x) = i],\quad P_i = \frac1T \sum_x p_i(x)

It is 1 under perfectly uniform routing and N when every token goes to one expert (the paper
multiplies it by α = 10⁻²). Router z-loss (Zoph et al. 2022, ST-MoE, https://arxiv.org/abs/2202.08906,
§3): :math:`\mathcal{L}_z = \frac1T \sum_x \big(\log \sum_i e^{z_i(x)}\big)^2`, which keeps
router logits small (the paper's coefficient is 10⁻³).
"""

from __future__ import annotations

import torch

EXPERTS = 4
TOKENS = 32


def router_logits(collapse: float, scale: float, seed: int = 0) -> torch.Tensor:
    """(T, N) logits: ``scale`` × [(1 − c)·noise + c·(3 on expert 0)]. c = 0 is balanced-ish
    random routing, c = 1 sends every token to expert 0."""
    noise = torch.randn(TOKENS, EXPERTS, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    favourite = torch.zeros(EXPERTS, dtype=torch.float64)
    favourite[0] = 3.0
    return scale * ((1.0 - collapse) * noise + collapse * favourite)


def load_balancing_loss(logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(loss, f, P) for logits (T, N)."""
    probs = logits.softmax(-1)
    experts = logits.shape[-1]
    fraction_routed = torch.nn.functional.one_hot(probs.argmax(-1), experts).to(probs.dtype).mean(0)
    mean_prob = probs.mean(0)
    return experts * (fraction_routed * mean_prob).sum(), fraction_routed, mean_prob


def router_z_loss(logits: torch.Tensor) -> torch.Tensor:
    return (torch.logsumexp(logits, dim=-1) ** 2).mean()


def moe_summary(collapse: float, scale: float) -> dict:
    logits = router_logits(collapse, scale)
    balance, fraction_routed, mean_prob = load_balancing_loss(logits)
    return {"balance": float(balance), "f": fraction_routed.numpy(), "P": mean_prob.numpy(),
            "z_loss": float(router_z_loss(logits)), "max_abs_logit": float(logits.abs().max())}
