"""What a run has produced so far: per-step records, periodic evaluations, snapshots for replay.

The page keeps one ``History`` per run (A and B) in session state, appends after every chunk
of steps, and draws from it; ``metrics_csv`` turns both into one CSV for download.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from .loop import StepRecord

EVAL_FIELDS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy", "train_mae", "val_mae")


@dataclass
class History:
    steps: list[int] = field(default_factory=list)  # one entry per optimizer step
    batch_loss: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)
    evals: list[dict[str, float]] = field(default_factory=list)  # evaluate() after each chunk (and at step 0)

    def add_steps(self, records: list[StepRecord]) -> None:
        for r in records:
            self.steps.append(r.step)
            self.batch_loss.append(r.loss)
            self.grad_norm.append(r.grad_norm)

    def add_eval(self, metrics: dict[str, float]) -> None:
        if not self.evals or self.evals[-1]["step"] != metrics["step"]:
            self.evals.append(dict(metrics))

    def eval_series(self, name: str) -> tuple[list[float], list[float]]:
        """(steps, values) of one evaluated metric, e.g. "val_loss"."""
        pairs = [(e["step"], e[name]) for e in self.evals if name in e]
        return [p[0] for p in pairs], [p[1] for p in pairs]


def metrics_csv(runs: dict[str, History]) -> str:
    """One row per run and step: batch loss and gradient norm, plus the evaluated metrics at the
    steps where the run was evaluated (empty elsewhere). Step 0 is the untrained model."""
    names = [n for n in EVAL_FIELDS if any(n in e for h in runs.values() for e in h.evals)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["run", "step", "batch_loss", "grad_norm", *names])
    for label, history in runs.items():
        evals = {int(e["step"]): e for e in history.evals}
        per_step = {s: (loss, norm) for s, loss, norm in zip(history.steps, history.batch_loss, history.grad_norm)}
        for step in sorted(set(per_step) | set(evals)):
            loss, norm = per_step.get(step, ("", ""))
            e = evals.get(step, {})
            writer.writerow([label, step, _cell(loss), _cell(norm), *(_cell(e.get(n, "")) for n in names)])
    return out.getvalue()


def _cell(value: object) -> str:
    return repr(value) if isinstance(value, float) else str(value)
