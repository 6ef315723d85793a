r"""A one-dimensional GAN trained step by step, deterministic from a seed (no Streamlit).
Float32 (measured ~1.5x faster per step than float64 on these CPUs); the loss tests use float64.

``GanTrainer(config).step(n)`` runs ``n`` training steps (each: ``d_steps`` discriminator
updates, then one generator update; Adam with β = (0.5, 0.999) as in DCGAN, or plain SGD) and returns one
record per step. The last record of each call also carries ``"view"``: D(x) on a grid, the
real density, and histograms of real and generated samples drawn from fixed evaluation noise,
so a page redraws once per chunk of steps. A non-finite loss or parameter stops the run with
a message (``trainer.diverged``) and keeps the last finite state.
``run_gan(config)`` is the command-line entry: a JSON-able summary of a whole run.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

import torch
from torch import nn

from . import gan

GRID_POINTS = 161  # D(x) and the real density across X_RANGE, every 0.05
HIST_BINS = 64
EVAL_SAMPLES = 2000  # fixed noise / real samples for histograms and metrics
MAX_STEPS = 20_000
MAX_HIDDEN = 128
MAX_BATCH = 1024
OPTIMIZERS = ("adam", "sgd")


@dataclass(frozen=True)
class GanConfig:
    target: str = "bimodal"  # gaussian | bimodal | uniform
    loss: str = "nonsaturating"  # minimax | nonsaturating | lsgan | hinge
    lr_g: float = 2e-3  # learning rate of the generator (the page's default too)
    lr_d: float = 2e-3  # learning rate of the discriminator
    batch: int = 128  # real and generated samples per step; small enough for ~1 ms steps
    hidden: int = 32  # units per hidden layer of both networks (two hidden layers each)
    noise_dim: int = 2  # latent z ~ N(0, I); 2 lets the generator fold noise into two modes
    d_steps: int = 1  # discriminator updates per generator update (1, as in the original paper)
    optimizer: str = "adam"  # adam (β = 0.5, 0.999, as DCGAN) | sgd (plain: shows raw gradient sizes)
    steps: int = 2000  # used by run_gan only
    seed: int = 0  # fixes the initial weights, the data and the noise

    def validated(self) -> "GanConfig":
        """Self if every field is allowed, else ``ValueError`` naming the field and the range."""
        checks = [
            ("target", self.target in gan.TARGETS, f"one of {', '.join(gan.TARGETS)}"),
            ("loss", self.loss in gan.LOSSES, f"one of {', '.join(gan.LOSSES)}"),
            ("lr_g", _finite(self.lr_g) and 0 < self.lr_g <= 1, "a number in (0, 1]"),
            ("lr_d", _finite(self.lr_d) and 0 < self.lr_d <= 1, "a number in (0, 1]"),
            ("batch", 1 <= self.batch <= MAX_BATCH, f"an integer in [1, {MAX_BATCH}]"),
            ("hidden", 1 <= self.hidden <= MAX_HIDDEN, f"an integer in [1, {MAX_HIDDEN}]"),
            ("noise_dim", 1 <= self.noise_dim <= 8, "an integer in [1, 8]"),
            ("d_steps", 1 <= self.d_steps <= 10, "an integer in [1, 10]"),
            ("optimizer", self.optimizer in OPTIMIZERS, f"one of {', '.join(OPTIMIZERS)}"),
            ("steps", 0 <= self.steps <= MAX_STEPS, f"an integer in [0, {MAX_STEPS}]"),
        ]
        for name, ok, allowed in checks:
            if not ok:
                raise ValueError(f"{name} must be {allowed}. Received: {name}={getattr(self, name)!r}")
        return self


def _finite(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def mlp(inputs: int, hidden: int, activation: type[nn.Module]) -> nn.Sequential:
    """inputs -> hidden -> hidden -> 1, the architecture of both players."""
    return nn.Sequential(nn.Linear(inputs, hidden), activation(), nn.Linear(hidden, hidden), activation(),
                         nn.Linear(hidden, 1))


class GanTrainer:
    """Generator G: z (B, noise_dim) -> x (B, 1); discriminator D: x (B, 1) -> raw output l (B, 1)."""

    def __init__(self, config: GanConfig):
        self.config = config.validated()
        with torch.random.fork_rng(devices=[]):  # seeded initial weights, global RNG left untouched
            torch.manual_seed(config.seed)
            self.generator = mlp(config.noise_dim, config.hidden, nn.Tanh)
            self.discriminator = mlp(1, config.hidden, lambda: nn.LeakyReLU(0.2))
        self.rng = torch.Generator().manual_seed(config.seed + 1)  # training data and noise
        eval_rng = torch.Generator().manual_seed(config.seed + 2)  # fixed: histograms move only with G
        self.eval_noise = torch.randn(EVAL_SAMPLES, config.noise_dim, generator=eval_rng)
        self.eval_real = gan.sample_real(config.target, EVAL_SAMPLES, eval_rng)
        self.grid = torch.linspace(*gan.X_RANGE, GRID_POINTS).unsqueeze(1)  # (P, 1)
        self.opt_g = self._optimizer(self.generator, config.lr_g)
        self.opt_d = self._optimizer(self.discriminator, config.lr_d)
        self.steps_done = 0
        self.diverged: str | None = None

    def _optimizer(self, net: nn.Module, lr: float) -> torch.optim.Optimizer:
        """Adam rescales every gradient to a similar step size, which hides how small the minimax
        gradient gets; plain SGD moves in proportion to it, so saturation shows as a stall."""
        if self.config.optimizer == "sgd":
            return torch.optim.SGD(net.parameters(), lr=lr)
        return torch.optim.Adam(net.parameters(), lr=lr, betas=(0.5, 0.999))

    def _noise(self) -> torch.Tensor:
        return torch.randn(self.config.batch, self.config.noise_dim, generator=self.rng)

    def _one_step(self) -> dict:
        cfg = self.config
        for _ in range(cfg.d_steps):
            real = gan.sample_real(cfg.target, cfg.batch, self.rng)
            with torch.no_grad():
                fake = self.generator(self._noise())
            d_real, d_fake = self.discriminator(real), self.discriminator(fake)
            loss_d = gan.discriminator_loss(cfg.loss, d_real, d_fake)
            self.opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            self.opt_d.step()
        d_on_fake = self.discriminator(self.generator(self._noise()))
        loss_g = gan.generator_loss(cfg.loss, d_on_fake)
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_g.step()  # D's gradients from this pass are cleared before D's next update
        return {"step": self.steps_done + 1, "loss_d": loss_d.item(), "loss_g": loss_g.item(),
                "d_real": self._shown(d_real).mean().item(), "d_fake": self._shown(d_on_fake).mean().item()}

    def _shown(self, raw: torch.Tensor) -> torch.Tensor:
        """D as shown: the probability σ(l) for the cross-entropy losses, the raw score otherwise."""
        return torch.sigmoid(raw) if self.config.loss in gan.PROBABILITY_LOSSES else raw

    def _finite_state(self) -> bool:
        params = [p for net in (self.generator, self.discriminator) for p in net.parameters()]
        return bool(torch.isfinite(torch.stack([p.sum() for p in params])).all())  # one check, not 12

    def step(self, n: int) -> list[dict]:
        """Run up to ``n`` steps (fewer if it diverges); one record per step, ``"view"`` on the last."""
        records: list[dict] = []
        if self.diverged:
            return records
        for _ in range(max(0, int(n))):
            saved = self._snapshot_weights()
            record = self._one_step()
            if not (math.isfinite(record["loss_d"]) and math.isfinite(record["loss_g"]) and self._finite_state()):
                self._restore_weights(saved)
                self.diverged = (f"step {record['step']}: a loss or weight became NaN or infinite "
                                 f"(loss_d={record['loss_d']:.4g}, loss_g={record['loss_g']:.4g}); "
                                 "lower a learning rate and reset")
                break
            self.steps_done += 1
            records.append(record)
        if records:
            records[-1]["view"] = self.view()
        return records

    def _snapshot_weights(self) -> list[torch.Tensor]:
        return [p.detach().clone() for net in (self.generator, self.discriminator) for p in net.parameters()]

    def _restore_weights(self, saved: list[torch.Tensor]) -> None:
        params = [p for net in (self.generator, self.discriminator) for p in net.parameters()]
        with torch.no_grad():
            for p, value in zip(params, saved):
                p.copy_(value)

    @torch.no_grad()
    def generated(self) -> torch.Tensor:
        """The generator's output on the fixed evaluation noise, (EVAL_SAMPLES, 1)."""
        return self.generator(self.eval_noise)

    @torch.no_grad()
    def view(self) -> dict:
        """What the page draws: D(x) across x, densities, and the mode-coverage readout."""
        fake = self.generated()
        centres, fake_hist = gan.histogram(fake, HIST_BINS)
        _, real_hist = gan.histogram(self.eval_real, HIST_BINS)
        masses = gan.mode_mass(fake, self.config.target)
        return {
            "x": self.grid.squeeze(1).tolist(),
            "d_of_x": self._shown(self.discriminator(self.grid)).squeeze(1).tolist(),
            "real_density": gan.real_density(self.config.target, self.grid).squeeze(1).tolist(),
            "bins": centres.tolist(), "real_hist": real_hist.tolist(), "fake_hist": fake_hist.tolist(),
            **self.metrics(fake, masses),
        }

    def metrics(self, fake: torch.Tensor | None = None, masses: list[float] | None = None) -> dict:
        fake = self.generated() if fake is None else fake
        masses = gan.mode_mass(fake, self.config.target) if masses is None else masses
        return {"mode_mass": masses, "modes_covered": gan.modes_covered(masses, self.config.target),
                "modes_total": len(gan.modes(self.config.target)),
                "wasserstein": gan.wasserstein_1d(fake, self.eval_real),
                "fake_mean": float(fake.mean()), "fake_std": float(fake.std())}


def run_gan(config: GanConfig) -> dict:
    """Train ``config.steps`` steps; the JSON-able summary the command line prints with ``--json``."""
    trainer = GanTrainer(config)
    start = time.perf_counter()
    records = trainer.step(config.steps)
    elapsed = time.perf_counter() - start
    history = [{k: v for k, v in r.items() if k != "view"} for r in records]
    return {
        "task": "gan",
        "settings": asdict(trainer.config),
        "history": history,
        "final": {"step": trainer.steps_done, **({k: history[-1][k] for k in ("loss_d", "loss_g")} if history else {}),
                  **trainer.metrics()},
        "diverged": trainer.diverged,
        "steps_per_s": round(trainer.steps_done / elapsed, 1) if elapsed > 0 and trainer.steps_done else 0.0,
    }
