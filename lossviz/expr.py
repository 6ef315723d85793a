r"""A small, safe expression language for losses typed by a user: ``log(1 + (y - p)**2 / c)``.

The text is parsed with Python's ``ast`` (mode "eval") and every node is checked against a
whitelist before it becomes our own small tree; that tree is evaluated with torch. User text is
never given to ``eval``/``exec``/``compile`` (nor to sympy's ``parse_expr``, which calls eval).

The language
    - ``p`` is the prediction :math:`\hat y` (``yhat`` is an alias), ``y`` the target;
    - parameters the user declared (plain ASCII names, see ``lossviz.custom_loss``);
    - numbers (``2``, ``0.5``, ``1e-3``), ``+ - * / **`` and unary ``-``/``+``;
    - functions: abs exp log log1p sqrt sigmoid softplus tanh cosh (one argument),
      minimum maximum (two), clamp(x, low, high), where(condition, a, b);
    - comparisons ``< <= > >= == !=`` (chains such as ``-d < p - y < d`` too), only as the
      condition of ``where``.
    Everything else (attributes, indexing, calls of other names, lambdas, comprehensions,
    strings, keywords, ``and``/``or``, ``x if c else y``) is rejected with an ``ExprError``.

Limits (each an ``ExprError`` with an i18n key, checked in this order)
    - at most ``MAX_LENGTH`` characters, checked before ``ast.parse`` (the parser itself can
      exhaust memory or recursion on hostile text);
    - only ASCII letters, digits, spaces and ``_ . + - * / ( ) , < > = !``: no quotes, brackets,
      ``#``, ``;``, ``:`` or backslashes, so strings, indexing, comments and lambdas cannot even be
      written (the ast checks below reject them again). Python normalises identifiers with NFKC, so ``ｅｘｐ`` (full-width)
      would silently become ``exp``; we reject any non-ASCII character instead, and the message
      names the ASCII character it resembles (a Chinese input method types ``（`` for ``(``);
    - at most ``MAX_DEPTH`` levels of nesting and ``MAX_NODES`` syntax nodes (both counted
      iteratively, before our own recursive pass);
    - numbers finite with magnitude at most ``MAX_NUMBER``;
    - a constant exponent (one with no ``p``, ``y`` or parameter in it) must lie in
      [-MAX_EXPONENT, MAX_EXPONENT]. Checks run bottom-up, so in ``9**9**9`` the inner ``9**9`` is
      folded (one float power) and the outer power is rejected before anything large is computed.
    - evaluation works on float tensors of at most ``MAX_POINTS`` points; every node is one
      vectorised torch call, so time is bounded by nodes x points (well under a millisecond for
      a few hundred points); ``EVAL_BUDGET_S`` is checked between nodes as a last guard.
"""

from __future__ import annotations

import ast
import string
import time
import unicodedata
from dataclasses import dataclass
from typing import Collection, Mapping

MAX_LENGTH = 300
MAX_DEPTH = 40
MAX_NODES = 150
MAX_NUMBER = 1e6
MAX_EXPONENT = 10.0
MAX_POINTS = 4096
EVAL_BUDGET_S = 0.5

VARIABLES = {"p": "pred", "yhat": "pred", "y": "target"}
ARITY = {"abs": 1, "exp": 1, "log": 1, "log1p": 1, "sqrt": 1, "sigmoid": 1, "softplus": 1,
         "tanh": 1, "cosh": 1, "minimum": 2, "maximum": 2, "clamp": 3, "where": 3}
RESERVED = frozenset(VARIABLES) | frozenset(ARITY)
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
# Constructs people try, named so the message says what was wrong (key custom.error.<name>).
_FORBIDDEN = {ast.Attribute: "attribute", ast.Subscript: "subscript", ast.Lambda: "lambda",
              ast.ListComp: "comprehension", ast.SetComp: "comprehension", ast.DictComp: "comprehension",
              ast.GeneratorExp: "comprehension", ast.JoinedStr: "string", ast.Starred: "starred",
              ast.BoolOp: "boolop", ast.IfExp: "ifexp", ast.keyword: "keyword", ast.NamedExpr: "walrus"}


class ExprError(ValueError):
    """A rejected expression: ``key`` is an i18n key (``custom.error.*``), ``values`` fill it."""

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        from .i18n import t

        return t(self.key, lang, **self.values)


# Our tree: tuples tagged by kind. ("num", v) ("var", "pred"|"target") ("param", name)
# ("neg", x) ("bin", op, a, b) ("call", fn, (args...)) ("cmp", (ops...), (operands...)).
Node = tuple


@dataclass(frozen=True)
class Expression:
    """A checked expression: its source text, tree, and the names it uses."""

    text: str
    tree: Node
    params_used: tuple[str, ...]
    uses_pred: bool

    def evaluate(self, pred, target, params: Mapping[str, float]):
        """Elementwise value on float tensors ``pred``, ``target`` of one shape (<= MAX_POINTS)."""
        if pred.numel() > MAX_POINTS:
            raise ExprError("custom.error.points", count=pred.numel(), max=MAX_POINTS)
        missing = [name for name in self.params_used if name not in params]
        if missing:
            raise ExprError("custom.error.unknown_name", name=missing[0], allowed=", ".join(params) or "—")
        deadline = time.perf_counter() + EVAL_BUDGET_S
        out = _evaluate(self.tree, {"pred": pred, "target": target.to(pred.dtype)}, params, deadline)
        if pred.requires_grad and not out.requires_grad:  # no p, or p only in a condition:
            out = out + 0.0 * pred  # the gradient w.r.t. p exists and is zero
        return out.expand(pred.shape) if out.shape != pred.shape else out


def parse_expression(text: object, param_names: Collection[str] | None = ()) -> Expression:
    """Check ``text`` and return an ``Expression``; ``ExprError`` says what is not allowed.

    ``param_names`` are the declared parameters; ``None`` accepts any other plain name as a
    parameter (to check the grammar of a link before its parameters are known).
    """
    if not isinstance(text, str):
        raise ExprError("custom.error.empty")
    if len(text) > MAX_LENGTH:  # before anything else touches the text
        raise ExprError("custom.error.length", length=len(text), max=MAX_LENGTH)
    _check_characters(text)
    if not text.strip():
        raise ExprError("custom.error.empty")
    try:
        parsed = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as err:
        offset = getattr(err, "offset", None)
        raise ExprError("custom.error.syntax", position=offset if offset else "?") from None
    _check_size(parsed)
    builder = _Builder(param_names)
    tree = builder.build(parsed.body)
    return Expression(text.strip(), tree, tuple(sorted(builder.params_used)), builder.uses_pred)


ALLOWED_CHARACTERS = frozenset(string.ascii_letters + string.digits + " _.+-*/(),<>=!")


def _check_characters(text: str) -> None:
    for position, char in enumerate(text, start=1):
        if char not in ALLOWED_CHARACTERS:
            looks_like = unicodedata.normalize("NFKC", char)
            hint = looks_like if looks_like.isascii() and looks_like.isprintable() and looks_like != char else ""
            shown = char if char.isprintable() else repr(char)
            if hint:
                raise ExprError("custom.error.lookalike", char=shown, position=position, hint=hint)
            raise ExprError("custom.error.character", char=shown, position=position)


def _check_size(parsed: ast.AST) -> None:
    """Node count and depth, iteratively (no recursion on untrusted depth)."""
    count, stack = 0, [(parsed.body, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExprError("custom.error.depth", max=MAX_DEPTH)
        count += 1
        if count > MAX_NODES:
            raise ExprError("custom.error.nodes", max=MAX_NODES)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if not isinstance(child, (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop)))


class _Builder:
    """ast -> our tuple tree, rejecting everything outside the whitelist."""

    def __init__(self, param_names: Collection[str] | None) -> None:
        self.param_names = None if param_names is None else frozenset(param_names)
        self.params_used: set[str] = set()
        self.uses_pred = False

    def build(self, node: ast.AST, condition_allowed: bool = False) -> Node:
        kind = type(node)
        if kind in _FORBIDDEN:
            raise ExprError(f"custom.error.{_FORBIDDEN[kind]}")
        if kind is ast.Constant:
            return self._number(node.value)
        if kind is ast.Name:
            return self._name(node.id)
        if kind is ast.UnaryOp and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.build(node.operand)
            return ("neg", operand) if isinstance(node.op, ast.USub) else operand
        if kind is ast.BinOp and type(node.op) in _BINARY:
            return self._binary(_BINARY[type(node.op)], node.left, node.right)
        if kind is ast.Call:
            return self._call(node)
        if kind is ast.Compare:
            if not condition_allowed:
                raise ExprError("custom.error.comparison_place")
            ops = tuple(_COMPARE[type(op)] for op in node.ops if type(op) in _COMPARE)
            if len(ops) != len(node.ops):
                raise ExprError("custom.error.construct", construct="in / is")
            return ("cmp", ops, tuple(self.build(x) for x in (node.left, *node.comparators)))
        shown = {ast.UnaryOp: "not / ~", ast.BinOp: "% // @ & | ^ << >>"}.get(kind, kind.__name__)
        raise ExprError("custom.error.construct", construct=shown)

    def _number(self, value: object) -> Node:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExprError("custom.error.string" if isinstance(value, (str, bytes)) else "custom.error.constant",
                            value=str(value)[:20])
        if not abs(value) <= MAX_NUMBER:  # also catches inf and nan from 1e999
            raise ExprError("custom.error.number", value=str(value)[:20], max=f"{MAX_NUMBER:g}")
        return ("num", float(value))

    def _name(self, name: str) -> Node:
        if name in VARIABLES:
            self.uses_pred |= VARIABLES[name] == "pred"
            return ("var", VARIABLES[name])
        if name in ARITY:
            raise ExprError("custom.error.function_needs_call", name=name)
        allowed = self.param_names
        if name.startswith("_") or (allowed is not None and name not in allowed):
            raise ExprError("custom.error.unknown_name", name=name[:30],
                            allowed=", ".join(sorted({"p", "y", *(allowed or ())})))
        self.params_used.add(name)
        return ("param", name)

    def _binary(self, op: str, left: ast.AST, right: ast.AST) -> Node:
        a, b = self.build(left), self.build(right)
        if op == "**" and _is_constant(b):
            exponent = _fold(b)
            if not abs(exponent) <= MAX_EXPONENT:
                raise ExprError("custom.error.exponent", value=f"{exponent:.6g}", max=f"{MAX_EXPONENT:g}")
        return ("bin", op, a, b)

    def _call(self, node: ast.Call) -> Node:
        if not isinstance(node.func, ast.Name) or node.func.id not in ARITY:
            if isinstance(node.func, ast.Name):
                raise ExprError("custom.error.unknown_function", name=node.func.id[:30],
                                allowed=", ".join(ARITY))
            return self.build(node.func)  # raises: attribute, subscript, lambda...
        name = node.func.id
        if node.keywords:
            raise ExprError("custom.error.keyword")
        if len(node.args) != ARITY[name]:
            raise ExprError("custom.error.arity", name=name, expected=ARITY[name], received=len(node.args))
        args = tuple(self.build(arg, condition_allowed=(name == "where" and i == 0))
                     for i, arg in enumerate(node.args))
        if name == "where" and args[0][0] != "cmp":
            raise ExprError("custom.error.where_condition")
        return ("call", name, args)


def _is_constant(node: Node) -> bool:
    """True if no variable or parameter occurs in ``node``."""
    kind = node[0]
    if kind in ("var", "param"):
        return False
    if kind == "num":
        return True
    if kind == "neg":
        return _is_constant(node[1])
    if kind == "bin":
        return _is_constant(node[2]) and _is_constant(node[3])
    return all(_is_constant(child) for child in node[2])  # call, cmp


def _fold(node: Node) -> float:
    """Value of a constant subtree (already checked), as one float64 evaluation."""
    import torch

    value = _evaluate(node, {}, {}, time.perf_counter() + EVAL_BUDGET_S, torch.float64)
    return float(value)


def _evaluate(node: Node, inputs: dict, params: Mapping[str, float], deadline: float, dtype=None):
    import torch
    import torch.nn.functional as F

    if time.perf_counter() > deadline:
        raise ExprError("custom.error.slow", budget=EVAL_BUDGET_S)
    if dtype is None:
        dtype = inputs["pred"].dtype
    kind = node[0]
    if kind == "num":
        return torch.tensor(node[1], dtype=dtype)
    if kind == "var":
        return inputs[node[1]]
    if kind == "param":
        return torch.tensor(float(params[node[1]]), dtype=dtype)

    def ev(child: Node):
        return _evaluate(child, inputs, params, deadline, dtype)

    if kind == "neg":
        return -ev(node[1])
    if kind == "bin":
        a, b = ev(node[2]), ev(node[3])
        op = node[1]
        return a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b if op == "/" \
            else torch.pow(a, b)
    if kind == "cmp":
        operands = [ev(x) for x in node[2]]
        result = None
        for op, left, right in zip(node[1], operands, operands[1:]):
            part = {"<": torch.lt, "<=": torch.le, ">": torch.gt, ">=": torch.ge, "==": torch.eq,
                    "!=": torch.ne}[op](left, right)
            result = part if result is None else result & part
        return result
    name, args = node[1], [ev(arg) for arg in node[2]]
    unary = {"abs": torch.abs, "exp": torch.exp, "log": torch.log, "log1p": torch.log1p, "sqrt": torch.sqrt,
             "sigmoid": torch.sigmoid, "softplus": F.softplus, "tanh": torch.tanh, "cosh": torch.cosh}
    if name in unary:
        return unary[name](args[0])
    if name == "minimum":
        return torch.minimum(*torch.broadcast_tensors(*args))
    if name == "maximum":
        return torch.maximum(*torch.broadcast_tensors(*args))
    if name == "clamp":
        x, low, high = torch.broadcast_tensors(*args)
        return torch.minimum(torch.maximum(x, low), high)  # torch.clamp(x, low, high) for low <= high
    return torch.where(*args)
