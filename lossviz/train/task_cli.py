"""The ``gan`` and ``multitask`` tasks of ``python -m lossviz train`` (see ``lossviz/__main__.py``).

    python -m lossviz train --task gan --gan-loss minimax --target bimodal --steps 500 --json
    python -m lossviz train --task multitask --weighting uncertainty --scale 1000 --json

Both print the JSON shape of every other run: ``settings``, ``history`` as per-step lists (one
list per recorded quantity; ``history["loss"]`` is the total loss being minimised), ``final``,
``steps_per_s`` and ``diverged`` (null, or ``{"message": ...}``; exit status 1).
The shared options (``--optimizer --lr --batch-size --steps --seed``) mean what they mean for
the other tasks; ``--lr`` is both networks' rate for the GAN unless ``--lr-g``/``--lr-d`` say more.
"""

from __future__ import annotations

import argparse

from .gan import LOSSES as GAN_LOSSES, TARGETS as GAN_TARGETS
from .gan_loop import OPTIMIZERS as GAN_OPTIMIZERS, GanConfig, run_gan
from .multitask import MultitaskConfig, run_multitask
from .weighting import STRATEGIES


def _per_step_lists(records: list[dict]) -> dict[str, list]:
    """[{"loss_d": .., "loss_g": ..}, ...] -> {"loss_d": [...], "loss_g": [...]} (numbers only)."""
    keys = [k for k, v in (records[0].items() if records else []) if isinstance(v, (int, float))]
    return {k: [r[k] for r in records] for k in keys}


def _common_shape(result: dict, total: str) -> dict:
    history = _per_step_lists(result["history"])
    history["loss"] = history.get(total, [])
    diverged = result["diverged"]
    return {**result, "settings": {"task": result["task"], **result["settings"]}, "history": history,
            "diverged": None if not diverged else {"message": str(diverged)}}


def add_gan_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("gan")
    group.add_argument("--target", choices=GAN_TARGETS, default="bimodal", help="the real distribution")
    group.add_argument("--gan-loss", choices=GAN_LOSSES, default="nonsaturating")
    group.add_argument("--lr-g", type=float, default=None, help="generator learning rate (default: --lr)")
    group.add_argument("--lr-d", type=float, default=None, help="discriminator learning rate (default: --lr)")
    group.add_argument("--d-steps", type=int, default=1, help="discriminator updates per generator update")
    group.add_argument("--noise-dim", type=int, default=2)


def run_gan_task(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict:
    if args.optimizer not in GAN_OPTIMIZERS:
        parser.error(f"--task gan: --optimizer must be one of {', '.join(GAN_OPTIMIZERS)}. "
                     f"Received: {args.optimizer}")
    config = GanConfig(target=args.target, loss=args.gan_loss, lr_g=args.lr_g or args.lr,
                       lr_d=args.lr_d or args.lr, batch=args.batch_size, d_steps=args.d_steps,
                       noise_dim=args.noise_dim, optimizer=args.optimizer, steps=args.steps, seed=args.seed)
    try:
        config = config.validated()
    except ValueError as err:
        parser.error(str(err))
    return _common_shape(run_gan(config), total="loss_g")


def add_multitask_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("multitask")
    group.add_argument("--weighting", choices=STRATEGIES, default="fixed")
    group.add_argument("--scale", type=float, default=100.0, help="multiplies one task's raw loss (up to 1000)")
    group.add_argument("--scaled-task", choices=("cls", "reg"), default="reg")
    group.add_argument("--weight-cls", type=float, default=1.0, help="fixed weighting only")
    group.add_argument("--weight-reg", type=float, default=1.0, help="fixed weighting only")
    group.add_argument("--alpha", type=float, default=1.5, help="GradNorm's alpha")
    group.add_argument("--temperature", type=float, default=2.0, help="DWA's T")
    group.add_argument("--uncertainty-form", choices=("simplified", "paper"), default="simplified")


def run_multitask_task(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict:
    if args.optimizer != "adam":
        parser.error(f"--task multitask trains with adam. Received: --optimizer {args.optimizer}")
    config = MultitaskConfig(weighting=args.weighting, scale=args.scale, scaled_task=args.scaled_task,
                             weight_cls=args.weight_cls, weight_reg=args.weight_reg, alpha=args.alpha,
                             temperature=args.temperature, uncertainty_form=args.uncertainty_form,
                             lr=args.lr, steps=args.steps, seed=args.seed)
    try:
        config = config.validated()
    except ValueError as err:
        parser.error(str(err))
    return _common_shape(run_multitask(config), total="total")
