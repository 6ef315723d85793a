r"""A checked expression (``lossviz.expr``) written back out: as LaTeX for the formula panel and
as the PyTorch code a learner would type.

Both walk our own tuple tree (never the user's text), so what is shown is what is evaluated.
Parentheses follow precedence: ``+ -`` < ``* /`` < unary minus < ``**`` (right-associative, and
``-x**2`` is ``-(x**2)`` as in Python).
"""

from __future__ import annotations

from .expr import Expression, Node

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4}
_ATOM = 5

_TORCH_FUNCTIONS = {"abs": "torch.abs", "exp": "torch.exp", "log": "torch.log", "log1p": "torch.log1p",
                    "sqrt": "torch.sqrt", "sigmoid": "torch.sigmoid", "softplus": "F.softplus",
                    "tanh": "torch.tanh", "cosh": "torch.cosh", "minimum": "torch.minimum",
                    "maximum": "torch.maximum", "clamp": "torch.clamp", "where": "torch.where"}
_LATEX_FUNCTIONS = {"exp": r"\exp", "log": r"\log", "log1p": r"\operatorname{log1p}", "sigmoid": r"\sigma",
                    "softplus": r"\operatorname{softplus}", "tanh": r"\tanh", "cosh": r"\cosh",
                    "minimum": r"\min", "maximum": r"\max", "clamp": r"\operatorname{clamp}"}
_LATEX_OPS = {"*": r"\cdot"}
_LATEX_COMPARE = {"<": "<", "<=": r"\le", ">": ">", ">=": r"\ge", "==": "=", "!=": r"\ne"}


def _number(value: float) -> str:
    return f"{value:g}"


def _precedence(node: Node) -> int:
    if node[0] == "bin":
        return _PRECEDENCE[node[1]]
    if node[0] == "neg" or (node[0] == "num" and node[1] < 0):
        return _PRECEDENCE["neg"]
    return _ATOM


def to_torch(expr: Expression) -> str:
    """PyTorch code, with parameters as ``{name}`` format fields (``Loss.torch_equivalent``)."""
    return _torch(expr.tree)


def _torch(node: Node) -> str:
    kind = node[0]
    if kind == "num":
        return _number(node[1])
    if kind == "var":
        return node[1]  # "pred" or "target"
    if kind == "param":
        return "{" + node[1] + "}"
    if kind == "neg":
        return "-" + _wrap(node[1], _PRECEDENCE["neg"], _torch, strict=False)
    if kind == "bin":
        return _binary(node, _torch, lambda op, a, b: f"{a} {op} {b}")
    if kind == "cmp":
        parts = [_torch(node[2][0])]
        for op, operand in zip(node[1], node[2][1:]):
            parts += [op, _torch(operand)]
        return " ".join(parts) if len(node[1]) == 1 else " & ".join(
            f"({_torch(a)} {op} {_torch(b)})" for op, a, b in zip(node[1], node[2], node[2][1:]))
    name, args = node[1], node[2]
    shown = [_torch(arg) for arg in args]
    if name == "where":  # torch.where takes Python numbers for its two branches
        return f"torch.where({shown[0]}, {shown[1]}, {shown[2]})"
    if name == "clamp" and not any(_has_input(arg) for arg in args[1:]):
        return f"torch.clamp({_tensor(args[0], shown[0])}, min={shown[1]}, max={shown[2]})"
    shown = [_tensor(arg, text) for arg, text in zip(args, shown)]  # torch functions want tensors
    if name == "clamp":
        return f"torch.clamp({shown[0]}, min={shown[1]}, max={shown[2]})"
    return f"{_TORCH_FUNCTIONS[name]}({', '.join(shown)})"


def _tensor(node: Node, shown: str) -> str:
    return shown if _has_input(node) else f"torch.as_tensor({shown}, dtype=pred.dtype)"


def _has_input(node: Node) -> bool:
    """True if ``pred`` or ``target`` occurs in ``node`` (so its code is a tensor already)."""
    kind = node[0]
    if kind in ("num", "param"):
        return False
    if kind == "var":
        return True
    if kind == "neg":
        return _has_input(node[1])
    if kind == "bin":
        return _has_input(node[2]) or _has_input(node[3])
    return any(_has_input(child) for child in node[2])


def to_latex(expr: Expression) -> str:
    r"""The loss as LaTeX: ``\ell(\hat y, y) = ...``."""
    return r"\ell(\hat y, y) = " + _latex(expr.tree)


def _latex(node: Node) -> str:
    kind = node[0]
    if kind == "num":
        return _number(node[1])
    if kind == "var":
        return r"\hat y" if node[1] == "pred" else "y"
    if kind == "param":
        return node[1] if len(node[1]) == 1 else r"\mathit{" + node[1].replace("_", r"\_") + "}"
    if kind == "neg":
        return "-" + _wrap(node[1], _PRECEDENCE["neg"], _latex, strict=False)
    if kind == "bin":
        if node[1] == "/":
            return r"\frac{" + _latex(node[2]) + "}{" + _latex(node[3]) + "}"
        if node[1] == "**":
            return "{" + _wrap(node[2], _PRECEDENCE["**"], _latex, strict=True) + "}^{" + _latex(node[3]) + "}"
        return _binary(node, _latex, lambda op, a, b: f"{a} {_LATEX_OPS.get(op, op)} {b}")
    if kind == "cmp":
        parts = [_latex(node[2][0])]
        for op, operand in zip(node[1], node[2][1:]):
            parts += [_LATEX_COMPARE[op], _latex(operand)]
        return " ".join(parts)
    name, args = node[1], [_latex(arg) for arg in node[2]]
    if name == "abs":
        return r"\left|" + args[0] + r"\right|"
    if name == "sqrt":
        return r"\sqrt{" + args[0] + "}"
    if name == "where":
        return (r"\begin{cases} " + args[1] + r" & " + args[0] + r" \\ " + args[2]
                + r" & \text{otherwise} \end{cases}")
    return _LATEX_FUNCTIONS[name] + r"\left(" + ", ".join(args) + r"\right)"


def _binary(node: Node, render, join) -> str:
    op, left, right = node[1], node[2], node[3]
    level = _PRECEDENCE[op]
    if op == "**":  # right-associative: a ** b ** c is a ** (b ** c)
        return join(op, _wrap(left, level, render, strict=True), _wrap(right, level, render, strict=False))
    # left-associative: a - (b - c) keeps its parentheses, (a - b) - c does not need them
    return join(op, _wrap(left, level, render, strict=False), _wrap(right, level, render, strict=True))


def _wrap(node: Node, level: int, render, strict: bool) -> str:
    inner = _precedence(node)
    if render is _torch and node[0] == "param":
        inner = _PRECEDENCE["neg"]  # its value may be negative: ({c}) ** 2, not -0.5 ** 2
    text = render(node)
    needs = inner < level or (strict and inner == level)
    if render is _latex:
        return r"\left(" + text + r"\right)" if needs else text
    return f"({text})" if needs else text
