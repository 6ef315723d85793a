"""One live run as the /training page holds it: run A, optionally run B, and their histories.

``LiveRun.advance(steps)`` moves both runs the same number of steps (so their curves stay
comparable), evaluates them and keeps a snapshot of the model's view for the replay and of its
weights for the loss landscape's trajectory (``lossviz.train.landscape``), at the same steps. A and B
share the seed, so with the same model shape they start from the same weights and see the same
batches in the same order: only what the user changed between them differs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch

from .history import History
from .landscape import weight_vector
from .loop import TrainConfig, Trainer
from .views import boundary_grid

MAX_SNAPSHOTS = 120  # replay frames kept per run (a frame is a 60 x 60 float32 grid, ~14 KB, plus the weights)
TICK_BUDGET_S = 0.06  # a tick stops early after this long, so a slow machine still redraws


@dataclass
class LiveRun:
    config_a: TrainConfig
    config_b: TrainConfig | None = None
    runs: dict[str, Trainer] = field(init=False)
    histories: dict[str, History] = field(init=False)
    snapshots: dict[str, list[tuple[int, dict]]] = field(init=False)  # (step, boundary_grid) per run
    weights: dict[str, list[tuple[int, torch.Tensor]]] = field(init=False)  # (step, flat weights), same steps
    playing: bool = False

    def __post_init__(self) -> None:
        configs = {"A": self.config_a, "B": self.config_b}
        self.runs = {name: Trainer(c) for name, c in configs.items() if c is not None}
        self.histories = {name: History() for name in self.runs}
        self.snapshots = {name: [] for name in self.runs}
        self.weights = {name: [] for name in self.runs}
        self._observe()

    @property
    def steps_done(self) -> int:
        return min(t.steps_done for t in self.runs.values())

    @property
    def total_steps(self) -> int:
        return max(t.config.steps for t in self.runs.values())

    @property
    def finished(self) -> bool:
        return all(t.finished for t in self.runs.values())

    def advance(self, steps: int, budget_s: float = TICK_BUDGET_S) -> int:
        """Up to ``steps`` steps for every unfinished run, in small slices until ``budget_s`` has
        passed; then evaluate and snapshot. Returns how many steps run A (or B) took."""
        start, taken = time.perf_counter(), 0
        while taken < steps and not self.finished:
            slice_ = min(steps - taken, max(1, steps // 4))
            for name, trainer in self.runs.items():
                self.histories[name].add_steps(trainer.step(slice_))
            taken += slice_
            if time.perf_counter() - start > budget_s:
                break
        self._observe()
        return taken

    def _observe(self) -> None:
        for name, trainer in self.runs.items():
            self.histories[name].add_eval(trainer.evaluate())
            frames, weights = self.snapshots[name], self.weights[name]
            if not frames or frames[-1][0] != trainer.steps_done:
                frames.append((trainer.steps_done, boundary_grid(trainer)))
                weights.append((trainer.steps_done, weight_vector(trainer.model)))
                if len(frames) > MAX_SNAPSHOTS:
                    del frames[1::2]  # thin evenly, keep the first frame; the newest is re-added next tick
                    del weights[1::2]
