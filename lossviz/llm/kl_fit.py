r"""Forward vs reverse KL: fit one Gaussian q = N(μ, σ²) to a two-mode target p.

p = w·N(−d/2, 1) + (1 − w)·N(d/2, 1). Densities live on a fine grid and KL is a Riemann sum.

- forward :math:`\mathrm{KL}(p\,\|\,q) = \int p \log(p/q)`: q must cover everywhere p has mass
  ("mode covering"); its minimiser matches p's mean and variance (moment matching).
- reverse :math:`\mathrm{KL}(q\,\|\,p) = \int q \log(q/p)`: q is punished wherever p is small,
  so it hides inside one mode ("mode seeking") once the modes are apart; there is then one
  local minimum per mode and we report the better one.
(Bishop, Pattern Recognition and Machine Learning, 2006, §10.1.2, Figure 10.3.)
"""

from __future__ import annotations

import math

import numpy as np
import torch

GRID = torch.linspace(-20.0, 20.0, 2001, dtype=torch.float64)
_DX = float(GRID[1] - GRID[0])


def _log_normal(x: torch.Tensor, mu, sigma) -> torch.Tensor:
    """log N(x; μ, σ²); μ and σ may be floats or tensors."""
    sigma = torch.as_tensor(sigma, dtype=torch.float64)
    return -0.5 * ((x - mu) / sigma) ** 2 - torch.log(sigma * math.sqrt(2 * math.pi))


def target_log_density(separation: float, weight: float) -> torch.Tensor:
    """log p on the grid (logsumexp of the two weighted components)."""
    left = math.log(weight) + _log_normal(GRID, -separation / 2, 1.0)
    right = math.log(1 - weight) + _log_normal(GRID, separation / 2, 1.0)
    return torch.logaddexp(left, right)


def forward_kl(log_p: torch.Tensor, mu, sigma) -> torch.Tensor:
    p = log_p.exp()
    return (p * (log_p - _log_normal(GRID, mu, sigma))).sum() * _DX


def reverse_kl(log_p: torch.Tensor, mu, sigma) -> torch.Tensor:
    log_q = _log_normal(GRID, mu, sigma)
    return (log_q.exp() * (log_q - log_p)).sum() * _DX


def fit_forward(separation: float, weight: float) -> tuple[float, float]:
    """Moment matching: μ = E_p[x], σ² = Var_p[x] (the exact minimiser of KL(p‖q) over Gaussians)."""
    mean = (1 - 2 * weight) * separation / 2  # w·(−d/2) + (1 − w)·(d/2)
    second = 1.0 + (separation / 2) ** 2  # each component: 1 + m²
    return mean, math.sqrt(second - mean**2)


MU_GRID = torch.linspace(-6.0, 6.0, 49, dtype=torch.float64)
SIGMA_GRID = torch.exp(torch.linspace(math.log(0.3), math.log(6.0), 20, dtype=torch.float64))
_COARSE = slice(None, None, 10)  # every 10th point of GRID (dx = 0.2) for the starting table


def reverse_kl_table(log_p: torch.Tensor) -> torch.Tensor:
    """Coarse KL(q‖p) for every (μ, σ) of MU_GRID × SIGMA_GRID, shape (49, 20): only to pick
    the basin (which mode) the refinement starts in."""
    mu, sigma = MU_GRID[:, None, None], SIGMA_GRID[None, :, None]
    x, log_p = GRID[_COARSE], log_p[_COARSE]
    log_q = _log_normal(x, mu, sigma)
    return (log_q.exp() * (log_q - log_p)).sum(-1) * (_DX * 10)


def fit_reverse(separation: float, weight: float, steps: int = 40) -> tuple[float, float]:
    """Minimise KL(q‖p) over Gaussians: the best (μ, σ) on a coarse grid (which finds the
    better mode), then damped Newton steps on (μ, log σ) with autograd's exact 2×2 Hessian.
    (torch.optim is avoided on purpose: building its first optimizer costs ~10 s of imports.)"""
    log_p = target_log_density(separation, weight)
    table = reverse_kl_table(log_p)
    i, j = divmod(int(table.argmin()), table.shape[1])
    params = torch.tensor([float(MU_GRID[i]), math.log(float(SIGMA_GRID[j]))], dtype=torch.float64)

    def objective(theta: torch.Tensor) -> torch.Tensor:
        return reverse_kl(log_p, theta[0], theta[1].exp())

    for _ in range(steps):
        theta = params.clone().requires_grad_(True)
        value = objective(theta)
        (grad,) = torch.autograd.grad(value, theta, create_graph=True)
        if float(grad.detach().abs().max()) < 1e-11:
            break
        hessian = torch.stack([torch.autograd.grad(g, theta, retain_graph=True)[0] for g in grad])
        try:
            direction = -torch.linalg.solve(hessian.detach() + 1e-9 * torch.eye(2, dtype=torch.float64), grad.detach())
        except RuntimeError:  # singular Hessian: fall back to the gradient
            direction = -grad.detach()
        if float(direction @ grad.detach()) >= 0:  # not a descent direction (Hessian not positive)
            direction = -grad.detach()
        step = 1.0
        while step > 1e-8 and float(objective(params + step * direction)) > float(value.detach()):
            step /= 2  # backtrack until the KL does not increase
        params = params + step * direction
    mu, log_sigma = params.tolist()
    return mu, math.exp(log_sigma)


def kl_fit_summary(separation: float, weight: float) -> dict:
    log_p = target_log_density(separation, weight)
    fwd, rev = fit_forward(separation, weight), fit_reverse(separation, weight)
    def density(mu, sigma):
        return _log_normal(GRID, mu, sigma).exp().numpy()
    step = 8  # every 8th grid point is plenty to draw
    return {
        "x": GRID.numpy()[::step], "p": log_p.exp().numpy()[::step],
        "q_forward": density(*fwd)[::step], "q_reverse": density(*rev)[::step],
        "forward": fwd, "reverse": rev,
        "forward_kl_at_forward": float(forward_kl(log_p, *fwd)),
        "reverse_kl_at_reverse": float(reverse_kl(log_p, *rev)),
        "forward_kl_at_reverse": float(forward_kl(log_p, *rev)),
        "reverse_kl_at_forward": float(reverse_kl(log_p, *fwd)),
    }
