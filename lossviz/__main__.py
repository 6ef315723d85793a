"""Command line: ``python -m lossviz train ...`` runs the training core without a browser.

    python -m lossviz train --dataset moons --loss focal --gamma 2 --optimizer adam --lr 0.05 \\
        --steps 500 --seed 0 --json

prints JSON: ``settings``, ``history`` (per-step ``loss`` and ``grad_norm`` lists), ``final``
metrics, ``steps_per_s`` and ``diverged`` (null, or what diverged and a hint; exit status 1).

Tasks. ``--task`` picks what is trained; each task is one entry of ``TASKS``: a help line,
``add_arguments(parser)`` for its own options and ``run(args, parser) -> dict``. The options
shared by every task (optimizer, lr, batch size, steps, seed, --json) are added here. Without
``--task``, ``classify`` or ``regress`` follows from ``--dataset``. A new task (say ``gan``) is
one more entry; its options are only accepted after ``--task gan`` (the parser is built in two
passes: the first reads ``--task``, the second adds that task's options).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Task:
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, argparse.ArgumentParser], dict]


def _supervised() -> tuple[Callable, Callable]:
    from .train import cli  # torch is imported only when a task runs or its options are listed

    return cli.add_arguments, cli.run


def _lazy(pick: Callable[[], tuple[Callable, Callable]], which: int) -> Callable:
    return lambda *args: pick()[which](*args)


def _gan() -> tuple[Callable, Callable]:
    from .train import task_cli

    return task_cli.add_gan_arguments, task_cli.run_gan_task


def _multitask() -> tuple[Callable, Callable]:
    from .train import task_cli

    return task_cli.add_multitask_arguments, task_cli.run_multitask_task


TASKS: dict[str, Task] = {
    "classify": Task("a classifier on a 2-D toy data set", _lazy(_supervised, 0), _lazy(_supervised, 1)),
    "regress": Task("a regression on 1-D data with outliers", _lazy(_supervised, 0), _lazy(_supervised, 1)),
    "gan": Task("a 1-D GAN (generator and discriminator losses)", _lazy(_gan, 0), _lazy(_gan, 1)),
    "multitask": Task("two tasks on a shared trunk, with a loss-weighting strategy",
                      _lazy(_multitask, 0), _lazy(_multitask, 1)),
}


def _train_parser(task: str | None, add_help: bool) -> argparse.ArgumentParser:
    from .train.optim import MAX_LR, MIN_LR, OPTIMIZERS
    from .train.loop import MAX_BATCH, MAX_STEPS

    parser = argparse.ArgumentParser(
        prog="python -m lossviz train", add_help=add_help,
        description="Train a small model with any lossviz loss; same core as the /training page.",
        epilog="tasks: " + "; ".join(f"{name}: {t.help}" for name, t in TASKS.items()))
    parser.add_argument("--task", choices=tuple(TASKS), default=None,
                        help="default: regress for --dataset regression, else classify")
    common = parser.add_argument_group("optimization")
    common.add_argument("--optimizer", choices=OPTIMIZERS, default="adam")
    common.add_argument("--lr", type=float, default=0.01, help=f"learning rate, {MIN_LR:g} to {MAX_LR:g}")
    common.add_argument("--batch-size", type=int, default=64, help=f"1 to {MAX_BATCH}")
    common.add_argument("--steps", type=int, default=500, help=f"1 to {MAX_STEPS}")
    common.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    if task is not None:
        TASKS[task].add_arguments(parser)
    return parser


def _infer_task(argv: list[str]) -> str:
    """--task if given (argparse checks it), else classify/regress from --dataset."""
    first = argparse.ArgumentParser(add_help=False)
    first.add_argument("--task", default=None)
    first.add_argument("--dataset", default=None)
    known, _ = first.parse_known_args(argv)
    if known.task in TASKS:
        return known.task
    if known.task is not None:
        _train_parser(None, add_help=True).parse_args(argv)  # argparse's own "invalid choice" error
    return "regress" if known.dataset == "regression" else "classify"


def _summary(result: dict) -> str:
    settings, final = result["settings"], result["final"]
    what = " · ".join(str(settings[k]) for k in ("dataset", "target", "loss", "weighting", "optimizer")
                      if k in settings)
    lines = [f"{result.get('task', settings.get('task'))}: {what} · {len(result['history']['loss'])} steps "
             f"({result['steps_per_s']} steps/s)"]
    lines += [f"  {name}: {value:.4g}" for name, value in final.items()
              if name != "step" and isinstance(value, (int, float))]
    if result.get("diverged"):
        lines.append(result["diverged"]["message"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    top = argparse.ArgumentParser(prog="python -m lossviz", description="lossviz without a browser.")
    top.add_argument("command", choices=("train",), help="train: run the training core (train --help)")
    top.add_argument("options", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    parsed = top.parse_args(sys.argv[1:] if argv is None else argv)
    rest = parsed.options
    task = _infer_task(rest)
    parser = _train_parser(task, add_help=True)
    args = parser.parse_args(rest)
    args.task = task
    result = TASKS[task].run(args, parser)
    print(json.dumps(result) if args.json else _summary(result))
    return 1 if result.get("diverged") else 0


if __name__ == "__main__":
    sys.exit(main())
