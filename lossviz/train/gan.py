r"""The maths of a one-dimensional GAN: target distributions, the adversarial losses, and why
the original generator loss saturates. No Streamlit; the training loop is in ``gan_loop.py``.

Every loss takes the discriminator's raw output :math:`l = D_{\text{logit}}(x)` (a logit for the
cross-entropy losses, a score for least squares and hinge) and is written with stable
primitives (``F.binary_cross_entropy_with_logits`` / ``F.softplus``), never ``log(sigmoid(l))``,
so a confident discriminator (|l| of hundreds) gives finite losses and gradients.
(``F.softplus`` switches to the identity above l = 20, an error of e^{-20} in its gradient,
so the code calls ``binary_cross_entropy_with_logits``, which is exact there.)
With :math:`D = \sigma(l)`: :math:`-\log D = \mathrm{softplus}(-l)` and
:math:`-\log(1 - D) = \mathrm{softplus}(l)`.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

TARGETS = ("gaussian", "bimodal", "uniform")
LOSSES = ("minimax", "nonsaturating", "lsgan", "hinge")
# Losses whose discriminator output is a probability σ(l); least squares and hinge use a raw score.
PROBABILITY_LOSSES = ("minimax", "nonsaturating")

# The real distributions, chosen to sit inside X_RANGE with room for the generator to miss.
GAUSSIAN_MEAN, GAUSSIAN_STD = 2.5, 0.5  # away from where the generator starts (≈ 0)
BIMODAL_MEANS, BIMODAL_STD = (-2.0, 2.0), 0.3
UNIFORM_LOW, UNIFORM_HIGH = -1.5, 1.5
X_RANGE = (-4.0, 4.0)  # where densities and D(x) are drawn
MODE_RADIUS = 1.0  # "near a mode": within this distance of its centre (3.3 σ for the bimodal target)


# --- the real data -----------------------------------------------------------------------------

def sample_real(target: str, n: int, generator: torch.Generator) -> torch.Tensor:
    """``n`` samples (n, 1) of the real distribution, drawn from ``generator`` (so a seed fixes them)."""
    if target == "gaussian":
        return GAUSSIAN_MEAN + GAUSSIAN_STD * torch.randn(n, 1, generator=generator)
    if target == "bimodal":
        which = torch.randint(0, 2, (n, 1), generator=generator)
        means = torch.tensor(BIMODAL_MEANS)[which]
        return means + BIMODAL_STD * torch.randn(n, 1, generator=generator)
    if target == "uniform":
        return UNIFORM_LOW + (UNIFORM_HIGH - UNIFORM_LOW) * torch.rand(n, 1, generator=generator)
    raise ValueError(f"target must be one of {', '.join(TARGETS)}. Received: target={target!r}")


def real_density(target: str, x: torch.Tensor) -> torch.Tensor:
    """The exact probability density of the real distribution at ``x``."""
    def normal_pdf(mean: float, std: float) -> torch.Tensor:
        return torch.exp(-0.5 * ((x - mean) / std) ** 2) / (std * math.sqrt(2 * math.pi))

    if target == "gaussian":
        return normal_pdf(GAUSSIAN_MEAN, GAUSSIAN_STD)
    if target == "bimodal":
        return sum(0.5 * normal_pdf(m, BIMODAL_STD) for m in BIMODAL_MEANS)
    if target == "uniform":
        inside = (x >= UNIFORM_LOW) & (x <= UNIFORM_HIGH)
        return inside.to(x.dtype) / (UNIFORM_HIGH - UNIFORM_LOW)
    raise ValueError(f"target must be one of {', '.join(TARGETS)}. Received: target={target!r}")


def modes(target: str) -> tuple[float, ...]:
    """The centres of the target's modes (the uniform target has one, its middle)."""
    return {"gaussian": (GAUSSIAN_MEAN,), "bimodal": BIMODAL_MEANS,
            "uniform": ((UNIFORM_LOW + UNIFORM_HIGH) / 2,)}[target]


def mode_mass(samples: torch.Tensor, target: str) -> list[float]:
    r"""Fraction of ``samples`` within ``MODE_RADIUS`` of each mode centre.

    The mode-collapse metric: the bimodal target puts ~0.5 near each mode (every sample is
    within 3.3 σ); a collapsed generator puts ~1 near one and ~0 near the other.
    For the uniform target the one "mode" is its interval, so the value is the mass inside it.
    """
    x = samples.reshape(-1)
    if target == "uniform":
        return [float(((x >= UNIFORM_LOW) & (x <= UNIFORM_HIGH)).double().mean())]
    return [float(((x - m).abs() <= MODE_RADIUS).double().mean()) for m in modes(target)]


def modes_covered(masses: list[float], target: str) -> int:
    """How many modes hold at least a fifth of their fair share of the mass (0.1 of 0.5 each)."""
    fair = 1.0 / len(modes(target))
    return sum(mass >= 0.2 * fair for mass in masses)


def wasserstein_1d(a: torch.Tensor, b: torch.Tensor) -> float:
    r"""Earth mover's distance between two equal-size 1-D samples: :math:`\frac1n\sum_i |a_{(i)} - b_{(i)}|`
    over the sorted samples (scipy's ``wasserstein_distance`` for equal weights)."""
    return float((a.reshape(-1).sort().values - b.reshape(-1).sort().values).abs().mean())


def histogram(samples: torch.Tensor, bins: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(bin centres, density) over ``X_RANGE``; mass outside the range is counted but not drawn."""
    low, high = X_RANGE
    counts = torch.histc(samples.reshape(-1).double(), bins=bins, min=low, max=high)
    width = (high - low) / bins
    centres = low + width * (torch.arange(bins, dtype=torch.float64) + 0.5)
    return centres, counts / (samples.numel() * width)


# --- the losses, from the discriminator's raw output l ----------------------------------------

def discriminator_loss(loss: str, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    r"""The discriminator's loss (mean over the batch) for the chosen GAN loss.

    - minimax / non-saturating (Goodfellow et al., 2014): :math:`-[\log D(x) + \log(1 - D(G(z)))]`
      = ``F.binary_cross_entropy_with_logits(real, 1) + F.binary_cross_entropy_with_logits(fake, 0)``.
    - lsgan (Mao et al., 2017, a=0, b=c=1): :math:`\tfrac12 (D(x) - 1)^2 + \tfrac12 D(G(z))^2` on the raw score.
    - hinge (Lim & Ye 2017; Miyato et al. 2018): :math:`\max(0, 1 - D(x)) + \max(0, 1 + D(G(z)))`.
    """
    if loss in PROBABILITY_LOSSES:
        ones, zeros = torch.ones_like(real), torch.zeros_like(fake)
        return F.binary_cross_entropy_with_logits(real, ones) + F.binary_cross_entropy_with_logits(fake, zeros)
    if loss == "lsgan":
        return 0.5 * ((real - 1) ** 2).mean() + 0.5 * (fake ** 2).mean()
    if loss == "hinge":
        return F.relu(1 - real).mean() + F.relu(1 + fake).mean()
    raise ValueError(f"loss must be one of {', '.join(LOSSES)}. Received: loss={loss!r}")


def generator_loss_terms(loss: str, fake: torch.Tensor) -> torch.Tensor:
    r"""The generator's loss per sample, on the discriminator's raw output :math:`l` for G(z).

    - minimax (saturating): :math:`\log(1 - D(G(z))) = -\mathrm{softplus}(l)`
      = ``-F.binary_cross_entropy_with_logits(l, 0)``; minimised, it goes to −∞.
    - nonsaturating: :math:`-\log D(G(z)) = \mathrm{softplus}(-l)` = ``F.binary_cross_entropy_with_logits(l, 1)``.
    - lsgan: :math:`\tfrac12 (D(G(z)) - 1)^2`.  - hinge: :math:`-D(G(z))`.
    Use non-saturating (the default in practice): same fixed point, strong gradient early on.
    """
    if loss == "minimax":
        return -F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake), reduction="none")
    if loss == "nonsaturating":
        return F.binary_cross_entropy_with_logits(fake, torch.ones_like(fake), reduction="none")
    if loss == "lsgan":
        return 0.5 * (fake - 1) ** 2
    if loss == "hinge":
        return -fake
    raise ValueError(f"loss must be one of {', '.join(LOSSES)}. Received: loss={loss!r}")


def generator_loss(loss: str, fake: torch.Tensor) -> torch.Tensor:
    """The batch mean of ``generator_loss_terms``: what the generator minimises."""
    return generator_loss_terms(loss, fake).mean()


def minimax_grad_logit(d: torch.Tensor) -> torch.Tensor:
    r""":math:`\partial \log(1 - \sigma(l)) / \partial l = -\sigma(l) = -D`: it vanishes as D → 0,
    exactly when the discriminator confidently rejects the generator's samples (early training)."""
    return -d


def nonsaturating_grad_logit(d: torch.Tensor) -> torch.Tensor:
    r""":math:`\partial (-\log \sigma(l)) / \partial l = -(1 - \sigma(l)) = D - 1`: close to −1 when D → 0."""
    return d - 1


def saturation_curves(points: int = 199) -> dict[str, list[float]]:
    r"""Both generator losses and their gradients against :math:`D = D(G(z)) \in (0, 1)`, by autograd.

    ``grad_logit`` is :math:`\partial L / \partial l` (what flows back through the discriminator
    to the generator: :math:`-D` and :math:`D - 1`); ``grad_d`` is :math:`\partial L / \partial D`
    (:math:`-1/(1-D)` and :math:`-1/D`). Float64; the grid leaves out the end points 0 and 1.
    """
    d = torch.linspace(0, 1, points + 2, dtype=torch.float64)[1:-1]
    out: dict[str, list[float]] = {"d": d.tolist()}
    for name in PROBABILITY_LOSSES:
        logit = torch.logit(d).requires_grad_(True)
        value = generator_loss_terms(name, logit)
        (grad_logit,) = torch.autograd.grad(value.sum(), logit)
        prob = d.clone().requires_grad_(True)
        (grad_d,) = torch.autograd.grad(generator_loss_terms(name, torch.logit(prob)).sum(), prob)
        out[f"{name}_loss"] = value.detach().tolist()
        out[f"{name}_grad_logit"] = grad_logit.tolist()
        out[f"{name}_grad_d"] = grad_d.tolist()
    return out
