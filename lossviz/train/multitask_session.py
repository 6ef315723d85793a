"""One live multi-task run as /training's multi-task mode holds it: run A, optionally run B.

``MultitaskLiveRun.advance(steps)`` moves both runs the same number of steps, so their curves
stay comparable. A and B share the seed, so they start from the same weights on the same data:
only the weighting strategy (and its knobs) differs. Each run's step records are kept column by
column (``histories[name]["loss_reg"]`` is a list over steps), which is what the charts draw.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch

from .multitask import MultitaskConfig, MultitaskTrainer

TICK_BUDGET_S = 0.12  # a tick stops early after this long, so a slow machine still redraws
# (twice the single-task mode's: a tick's redraw costs more than its training here, so each tick trains more)


@dataclass
class MultitaskLiveRun:
    config_a: MultitaskConfig
    config_b: MultitaskConfig | None = None
    runs: dict[str, MultitaskTrainer] = field(init=False)
    histories: dict[str, dict[str, list[float]]] = field(init=False)  # {run: {record key: values per step}}
    playing: bool = False

    def __post_init__(self) -> None:
        torch.set_num_threads(1)  # tiny model: threads only add overhead; and a fixed reduction order
        configs = {"A": self.config_a, "B": self.config_b}
        self.runs = {name: MultitaskTrainer(c) for name, c in configs.items() if c is not None}
        self.histories = {name: {} for name in self.runs}

    @property
    def steps_done(self) -> int:
        return min(t.steps_done for t in self.runs.values())

    @property
    def total_steps(self) -> int:
        return max(t.config.steps for t in self.runs.values())

    def _done(self, trainer: MultitaskTrainer) -> bool:
        return trainer.diverged is not None or trainer.steps_done >= trainer.config.steps

    @property
    def finished(self) -> bool:
        return all(self._done(t) for t in self.runs.values())

    @property
    def diverged(self) -> dict[str, int]:
        """{run: the step at which it diverged} for every run that did."""
        return {name: t.steps_done + 1 for name, t in self.runs.items() if t.diverged is not None}

    def advance(self, steps: int, budget_s: float = TICK_BUDGET_S) -> int:
        """Up to ``steps`` steps for every unfinished run, in small slices until ``budget_s`` has
        passed. Returns how many steps were asked of each run (a run stops early at its own end
        or at a divergence)."""
        start, taken = time.perf_counter(), 0
        while taken < steps and not self.finished:
            slice_ = min(steps - taken, max(1, steps // 4))
            for name, trainer in self.runs.items():
                if not self._done(trainer):
                    self._record(name, trainer.step(min(slice_, trainer.config.steps - trainer.steps_done)))
            taken += slice_
            if time.perf_counter() - start > budget_s:
                break
        return taken

    def _record(self, name: str, records: list[dict]) -> None:
        columns = self.histories[name]
        for record in records:
            for key, value in record.items():
                columns.setdefault(key, []).append(value)

    def latest(self, name: str) -> dict[str, float]:
        """The last step's record of one run ({} before the first step)."""
        return {key: values[-1] for key, values in self.histories[name].items()}
