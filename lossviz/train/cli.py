"""The supervised tasks of ``python -m lossviz train``: ``--task classify`` and ``--task regress``.

A task is two functions (see ``lossviz/__main__.py``): ``add_arguments(parser)`` adds its own
options, and ``run(args, parser)`` trains and returns a JSON-ready dict (calling
``parser.error`` for settings that argparse alone cannot check, e.g. a loss parameter that
belongs to another loss).
"""

from __future__ import annotations

import argparse
import math
import time

from ..custom_loss import PARAM_LIMIT, format_param_declarations, parse_param_declarations
from ..expr import ExprError
from ..losses import LOSSES
from ..state import CUSTOM_KEY, CUSTOM_RESERVED
from .datasets import DATASETS, MAX_CLASSES, MAX_POINTS, MAX_RATIO
from .loop import MAX_CHUNK, TrainConfig, Trainer, check_config, compatible_losses
from .models import ACTIVATIONS

DEFAULT_LOSS = {"binary": "bce", "multiclass": "cross_entropy", "regression": "mse"}
# Every loss parameter becomes one flag (--gamma, --label-smoothing, ...); a Param name means the
# same thing in every loss (lossviz/losses/params.py), so one flag per name is unambiguous.
LOSS_PARAMS = {p.name: p for loss in LOSSES.values() for p in loss.params}


def parse_hidden(text: str) -> tuple[int, ...]:
    """"16,16" -> (16, 16); "" or "none" -> () (logistic / softmax regression)."""
    if text.strip().lower() in ("", "none", "linear"):
        return ()
    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated widths like 16,16 (or 'none'); received {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    data = parser.add_argument_group("data")
    data.add_argument("--dataset", choices=DATASETS, default="moons")
    data.add_argument("--n-points", type=int, default=400, help=f"train + validation points, 20 to {MAX_POINTS}")
    data.add_argument("--noise", type=float, default=0.1, help="input jitter of 2-D sets, 0 to 1")
    data.add_argument("--classes", type=int, default=3, help=f"blobs/spirals: number of classes, 2 to {MAX_CLASSES}")
    data.add_argument("--ratio", type=float, default=10.0, help=f"imbalanced: negatives per positive, 1 to {MAX_RATIO:g}")
    data.add_argument("--label-noise", type=float, default=0.0, help="imbalanced: fraction of flipped labels, 0 to 0.5")
    data.add_argument("--outliers", type=float, default=0.0, help="regression: fraction of outliers, 0 to 0.5")
    model = parser.add_argument_group("model")
    model.add_argument("--hidden", type=parse_hidden, default=(16, 16),
                       help="hidden widths, e.g. 16,16; 'none' for logistic/softmax regression")
    model.add_argument("--activation", choices=tuple(ACTIVATIONS), default="relu")
    loss = parser.add_argument_group("loss")
    loss.add_argument("--loss", choices=(*LOSSES, CUSTOM_KEY), default=None,
                      help="default: bce (two classes), cross_entropy (K classes), mse (regression); "
                           "custom: the loss given by --expr (regression only)")
    loss.add_argument("--expr", default=None, help='--loss custom: the loss in p and y, e.g. "abs(y - p)**q"')
    loss.add_argument("--params", default="", help="--loss custom: declared parameters name:default:low:high, "
                                                   "comma-separated, as in /custom's URL (e.g. q:1.5:0.5:4)")
    loss.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                      help=f"--loss custom: a parameter's value; undeclared names get the range ±{PARAM_LIMIT:g}")
    for name, param in LOSS_PARAMS.items():
        loss.add_argument(f"--{name.replace('_', '-')}", type=float, default=None, dest=name,
                          help=f"{param.symbol}, {param.low:g} to {param.high:g} (default {param.default:g})")


def config_from_args(args: argparse.Namespace, parser: argparse.ArgumentParser) -> TrainConfig:
    config = TrainConfig(dataset=args.dataset, n_points=args.n_points, noise=args.noise, n_classes=args.classes,
                         ratio=args.ratio, label_noise=args.label_noise, outliers=args.outliers,
                         hidden=args.hidden, activation=args.activation, optimizer=args.optimizer,
                         lr=args.lr, batch_size=args.batch_size, steps=args.steps, seed=args.seed)
    expected_task = "regress" if config.problem() == "regression" else "classify"
    if args.task != expected_task:
        parser.error(f"--task {args.task} does not fit --dataset {args.dataset}; use --task {expected_task}")
    loss_key = args.loss or DEFAULT_LOSS[config.problem()]
    if loss_key not in compatible_losses(config):
        parser.error(f"--loss {loss_key} does not fit --dataset {args.dataset}; "
                     f"choose from {', '.join(compatible_losses(config))}")
    custom = custom_fields(args, parser) if loss_key == CUSTOM_KEY else {}
    if not custom and (args.expr is not None or args.params or args.param):
        parser.error(f"--expr, --params and --param apply to --loss {CUSTOM_KEY} only")
    own = set(custom.get("names", ())) if custom else set(LOSSES[loss_key].param_names)
    given = {name: getattr(args, name) for name in LOSS_PARAMS if getattr(args, name) is not None}
    if custom:
        foreign = sorted(set(given) - own)  # --delta etc. belong to built-in losses
        if foreign:
            parser.error(f"{', '.join('--' + n.replace('_', '-') for n in foreign)} does not apply to "
                         f"--loss {CUSTOM_KEY}; give its parameters with --param NAME=VALUE")
        given = custom["values"]
        config = TrainConfig(**{**config.__dict__, "custom_expr": custom["expr"], "custom_params": custom["params"]})
    foreign = sorted(set(given) - own)
    if foreign:
        flags = ", ".join("--" + n.replace("_", "-") for n in foreign)
        takes = ", ".join("--" + n.replace("_", "-") for n in sorted(own)) or "no parameters"
        parser.error(f"{flags} does not apply to --loss {loss_key} (it takes {takes})")
    config = TrainConfig(**{**config.__dict__, "loss": loss_key, "loss_params": tuple(given.items())})
    try:
        check_config(config)
    except ValueError as err:
        parser.error(str(err))
    return config


def custom_fields(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict:
    """--expr, --params and --param NAME=VALUE as TrainConfig's custom_expr / custom_params and
    the parameter values; a value for an undeclared name declares it with the range ±PARAM_LIMIT."""
    if not args.expr:
        parser.error(f'--loss {CUSTOM_KEY} needs --expr, e.g. --expr "abs(y - p)**q" --param q=1.5')
    try:
        declared = list(parse_param_declarations(args.params, CUSTOM_RESERVED))
        values = {}
        for item in args.param:
            name, sep, text = item.partition("=")
            try:
                values[name.strip()] = float(text)
            except ValueError:
                sep = ""
            if not sep:
                parser.error(f"--param expects NAME=VALUE, e.g. q=1.5; received {item!r}")
        names = {p.name for p in declared}
        extra = ",".join(f"{n}:{v:g}:{-PARAM_LIMIT:g}:{PARAM_LIMIT:g}" for n, v in values.items() if n not in names)
        declared += parse_param_declarations(extra, CUSTOM_RESERVED)
    except ExprError as err:
        parser.error(str(err))
    return {"expr": args.expr, "params": format_param_declarations(declared), "values": values,
            "names": [p.name for p in declared]}


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict:
    """Train to the end (or to divergence) and report settings, history, final metrics, speed."""
    config = config_from_args(args, parser)
    try:
        trainer = Trainer(config)  # data set ranges (--noise, --ratio, ...) are checked here
    except ValueError as err:
        parser.error(str(err))
    records, elapsed = [], 0.0
    while not trainer.finished:
        start = time.perf_counter()
        records += trainer.step(MAX_CHUNK)
        elapsed += time.perf_counter() - start
    settings = {**config.__dict__, "hidden": list(config.hidden),
                "loss_params": {**trainer.loss_params}, "task": args.task}
    return {
        "settings": settings,
        "history": {"step": [r.step for r in records], "loss": [r.loss for r in records],
                    "grad_norm": [r.grad_norm for r in records]},
        "final": {name: value if math.isfinite(value) else None for name, value in trainer.evaluate().items()},
        "steps_per_s": round(len(records) / elapsed, 1) if elapsed > 0 else None,
        "diverged": None if trainer.divergence is None else {**trainer.divergence.__dict__,
                                                            "message": trainer.divergence.message},
    }
