r"""RLHF objectives as functions of one number, so they can be drawn as curves.

PPO (Schulman et al. 2017, https://arxiv.org/abs/1707.06347), per sample with probability ratio
:math:`r = \pi_\theta(a|s) / \pi_{\text{old}}(a|s)` and advantage A:

.. math:: L^{\text{CLIP}}(r) = \min\big(r A,\ \operatorname{clip}(r, 1 - \varepsilon, 1 + \varepsilon) A\big)

(an objective to maximise; the paper's ε = 0.2). With a KL penalty β we subtract β·k₃(r),
:math:`k_3 = (r - 1) - \log r \ge 0`, a per-sample estimate of KL(π_old ‖ π_θ) from actions drawn
from π_old (J. Schulman, "Approximating KL Divergence", 2020, http://joschu.net/blog/kl-approx.html);
the PPO paper's own penalty variant uses the exact KL of the action distributions.

DPO (Rafailov et al. 2023, https://arxiv.org/abs/2305.18290): with the log-ratio margin
:math:`h = \log\frac{\pi_\theta(y_w)}{\pi_{\text{ref}}(y_w)} - \log\frac{\pi_\theta(y_l)}{\pi_{\text{ref}}(y_l)}`,

.. math:: L_{\text{DPO}} = -\log \sigma(\beta h),\qquad \beta h = \text{implicit reward margin}
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

RATIO_RANGE = (0.01, 2.5)
MARGIN_RANGE = (-10.0, 10.0)
DPO_BETAS = (0.1, 0.5, 1.0, 2.0)


def ppo_clip_objective(ratio: torch.Tensor, advantage: float, clip_eps: float) -> torch.Tensor:
    return torch.minimum(ratio * advantage, ratio.clamp(1 - clip_eps, 1 + clip_eps) * advantage)


def kl_penalty_k3(ratio: torch.Tensor) -> torch.Tensor:
    """(r − 1) − log r: zero at r = 1, positive elsewhere."""
    return (ratio - 1.0) - torch.log(ratio)


def ppo_curves(clip_eps: float, kl_beta: float, n: int = 250) -> dict:
    """Objective and its derivative d/dr for A = +1 and A = −1 over the ratio axis, float64."""
    ratio = torch.linspace(*RATIO_RANGE, n, dtype=torch.float64, requires_grad=True)
    curves = {"ratio": ratio.detach().numpy()}
    for name, advantage in (("positive", 1.0), ("negative", -1.0)):
        objective = ppo_clip_objective(ratio, advantage, clip_eps) - kl_beta * kl_penalty_k3(ratio)
        (grad,) = torch.autograd.grad(objective.sum(), ratio)
        curves[name] = objective.detach().numpy()
        curves[name + "_grad"] = grad.numpy()
    return curves


def ppo_point(ratio: float, advantage: float, clip_eps: float, kl_beta: float) -> dict:
    """Objective and d/dr at one ratio; ``clipped``: the min picked the clipped term, whose
    gradient is 0 (A > 0 above 1 + ε, A < 0 below 1 − ε)."""
    r = torch.tensor(ratio, dtype=torch.float64, requires_grad=True)
    objective = ppo_clip_objective(r, advantage, clip_eps) - kl_beta * kl_penalty_k3(r)
    (grad,) = torch.autograd.grad(objective, r)
    clipped = ratio > 1 + clip_eps if advantage > 0 else ratio < 1 - clip_eps
    return {"objective": float(objective.detach()), "grad": float(grad), "clipped": bool(clipped)}


def dpo_loss(margin: torch.Tensor, beta: float) -> torch.Tensor:
    """−log σ(β h), as softplus(−β h) (stable for large |β h|)."""
    return F.softplus(-beta * margin)


def dpo_curves(betas: tuple[float, ...] = DPO_BETAS, n: int = 241) -> dict:
    margin = torch.linspace(*MARGIN_RANGE, n, dtype=torch.float64)
    return {"margin": margin.numpy(), **{beta: dpo_loss(margin, beta).numpy() for beta in betas}}


def dpo_point(margin: float, beta: float) -> dict:
    """Loss and dL/dh = −β σ(−β h) at one margin."""
    h = torch.tensor(margin, dtype=torch.float64, requires_grad=True)
    loss = dpo_loss(h, beta)
    (grad,) = torch.autograd.grad(loss, h)
    return {"loss": float(loss.detach()), "grad": float(grad), "reward_margin": beta * margin}

