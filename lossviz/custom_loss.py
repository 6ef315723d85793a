r"""A loss typed by the user, as a real ``lossviz.losses.Loss`` of family "regression".

    >>> c = declare_param("c", 1.0, 0.1, 10.0)
    >>> loss = custom_loss("log(1 + (y - p)**2 / c)", [c])
    >>> loss(torch.tensor([0.0, 2.0]), torch.tensor([0.0, 0.0]), c=4.0)   # per sample, autograd works

``p`` is the prediction :math:`\hat y` (alias ``yhat``) and ``y`` the target; see
``lossviz.expr`` for the language and its limits. Because the result is an ordinary ``Loss``,
``lossviz.grads.explorer_curve`` / ``explorer_point`` and anything else that takes a
regression loss take it unchanged. Parameters are declared as text, ``name:default:low:high``
separated by commas (``c:1:0.1:10,q:2:0.5:4``), which is also how they travel in a URL.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import lru_cache
from typing import Iterable, Sequence

from .expr import RESERVED, ExprError, Expression, parse_expression
from .expr_render import to_latex, to_torch
from .losses.base import Loss, Param

MAX_PARAMS = 6
MAX_DECLARATION_LENGTH = 200
PARAM_LIMIT = 1e4  # |default|, |low|, |high| at most this
PARAM_HELP_KEY = "custom.param.help"
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,11}")
_PYTHON_WORDS = frozenset({"and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
                           "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
                           "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
                           "with", "yield", "None", "True", "False"})


def slider_step(low: float, high: float) -> float:
    """A round step giving about 100 to 1000 slider positions: 10 ** floor(log10(span / 100))."""
    return 10.0 ** math.floor(math.log10((high - low) / 100.0))


def declare_param(name: str, default: float, low: float, high: float, reserved: Iterable[str] = ()) -> Param:
    """One user parameter as a ``Param``; ``ExprError`` if the name or range is not allowed."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ExprError("custom.error.param_name", name=str(name)[:20])
    if name in RESERVED or name in _PYTHON_WORDS or name in set(reserved):
        raise ExprError("custom.error.param_reserved", name=name)
    values = (default, low, high)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
               and abs(v) <= PARAM_LIMIT for v in values):
        raise ExprError("custom.error.param_number", name=name, limit=f"{PARAM_LIMIT:g}")
    if not low < high or not low <= default <= high:
        raise ExprError("custom.error.param_range", name=name, default=f"{default:g}", low=f"{low:g}",
                        high=f"{high:g}")
    return Param(name, float(default), float(low), float(high), slider_step(low, high), name, PARAM_HELP_KEY)


def parse_param_declarations(text: object, reserved: Iterable[str] = ()) -> tuple[Param, ...]:
    """``"c:1:0.1:10,q:2:0.5:4"`` -> Params; an empty text declares none."""
    if not isinstance(text, str):
        raise ExprError("custom.error.param_format", item=str(text)[:20])
    if len(text) > MAX_DECLARATION_LENGTH:
        raise ExprError("custom.error.param_length", length=len(text), max=MAX_DECLARATION_LENGTH)
    items = [item.strip() for item in text.split(",") if item.strip()]
    if len(items) > MAX_PARAMS:
        raise ExprError("custom.error.param_count", count=len(items), max=MAX_PARAMS)
    params: list[Param] = []
    for item in items:
        parts = [part.strip() for part in item.split(":")]
        if len(parts) != 4:
            raise ExprError("custom.error.param_format", item=item[:30])
        try:
            default, low, high = (float(part) for part in parts[1:])
        except ValueError:
            raise ExprError("custom.error.param_format", item=item[:30]) from None
        param = declare_param(parts[0], default, low, high, reserved)
        if any(p.name == param.name for p in params):
            raise ExprError("custom.error.param_duplicate", name=param.name)
        params.append(param)
    return tuple(params)


def format_param_declarations(params: Sequence[Param]) -> str:
    """The inverse of ``parse_param_declarations`` (for URLs and the text box)."""
    return ",".join(f"{p.name}:{p.default:g}:{p.low:g}:{p.high:g}" for p in params)


def with_defaults(params: Sequence[Param], values: dict[str, float]) -> tuple[Param, ...]:
    """The same parameters with ``values`` as their defaults (clamped to each range), so a link
    that carries only the declarations (``?params=c:2:0.1:10``) opens at these values."""
    return tuple(replace(p, default=min(max(float(values.get(p.name, p.default)), p.low), p.high))
                 for p in params)


@lru_cache(maxsize=256)
def _cached_loss(text: str, params: tuple[Param, ...]) -> Loss:
    expression = parse_expression(text, [p.name for p in params])
    return _loss_from(expression, params)


def custom_loss(expr: str | Expression, params: Sequence[Param] = ()) -> Loss:
    r"""The user's expression as a per-sample regression ``Loss`` (reduction 'none').

    ``loss(pred, target, **values)`` checks ``values`` against the declared ranges (as every
    Loss does) and returns :math:`\ell(\hat y_i, y_i)` per sample, differentiable in ``pred``.
    ``loss.formula`` is LaTeX and ``loss.torch_code(**values)`` the PyTorch one-liner, both
    written from the checked tree. Raises ``ExprError`` if the expression is not allowed.
    """
    params = tuple(params)
    if isinstance(expr, Expression):
        expression = parse_expression(expr.text, [p.name for p in params])
        return _loss_from(expression, params)
    return _cached_loss(expr, params)


def _loss_from(expression: Expression, params: tuple[Param, ...]) -> Loss:
    def fn(pred, target, **values: float):
        return expression.evaluate(pred, target, values)

    return Loss(
        key="custom",
        family="regression",
        fn=fn,
        formula=to_latex(expression),
        torch_equivalent=to_torch(expression),
        params=params,
        reference="the user's expression, evaluated by lossviz.expr with torch",
    )
