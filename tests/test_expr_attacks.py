"""Hostile input to lossviz.expr: a corpus of known attacks and hypothesis fuzzing.

Nothing may execute (a canary watches builtins that would run code or touch files), nothing
may hang (pytest-timeout marks), and every rejection is an ExprError with a translated message.
"""

import ast
import builtins
import re
import string

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lossviz.custom_loss import parse_param_declarations
from lossviz.expr import MAX_LENGTH, ARITY, ExprError, parse_expression
from lossviz.i18n import catalog

pytestmark = [pytest.mark.timeout(120),
              pytest.mark.filterwarnings("ignore:Generating overly large repr"),  # recursive strategy
              pytest.mark.filterwarnings("ignore::SyntaxWarning")]  # ast.parse on "1e3p"

ATTACKS = [
    "__import__('os').system('echo pwned')",
    "__import__",
    "().__class__.__bases__[0].__subclasses__()",
    "().__class__",
    "p.__class__.__mro__",
    "exp.__globals__",
    "(lambda: 0).__code__",
    "lambda x: x",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "{x for x in p}",
    "(x for x in p)",
    "eval('1')",
    "exec('1')",
    "compile('1', '', 'eval')",
    "open('/etc/passwd')",
    "getattr(p, 'grad')",
    "globals()",
    "torch",
    "torch.exp(p)",
    "os",
    "sys.modules",
    "builtins",
    "__builtins__",
    "_",
    "p.grad",
    "breakpoint()",
    "9**9**9",
    "10**10**10",
    "2**1000",
    "(p+1)**10**10",
    "9" * 299,
    "1" + "0" * 400,
    "1e308*10",
    "(" * 10000 + "p" + ")" * 10000,
    "(" * 150 + "p" + ")" * 150,
    "-" * 100000 + "1",
    "-" * 299 + "1",
    "~" * 200 + "p",
    "exp(" * 60 + "p" + ")" * 60,
    "p" + "+p" * 100000,
    "ｅｘｐ(p)",
    "𝐞𝐱𝐩(p)",
    "ᵉˣᵖ(p)",
    "ℯxp(p)",
    "p\u200b+y",
    "p\x00",
    "p;import os",
    "p\nimport os",
    "p # comment",
    "f'{__import__(\"os\")}'",
    "'%s' % p",
    "b'\\x00'",
    "p @ y",
    "[p][0]",
    "{'a': p}['a']",
    "*p",
    "p if __import__('os') else y",
    "(p := 3)",
    "exp(p, base=2)",
    "exp(**{'x': p})",
    "where(p, __import__('os'), 1)",
    "yield p",
    "await p",
    "...",
    "p.__add__(y)",
]


@pytest.fixture
def canary(monkeypatch):
    """Fails the test if user text reaches anything that runs code, imports or opens files.

    ``ast.parse`` itself calls ``compile`` with ``PyCF_ONLY_AST`` (parsing only); any other
    compile, and any eval/exec/open/breakpoint, or an import of os/subprocess, is recorded."""
    calls = []
    originals = {name: getattr(builtins, name) for name in ("eval", "exec", "compile", "open", "__import__",
                                                             "breakpoint")}

    def recorder(name):
        def watch(*args, **kwargs):
            if name == "compile":
                flags = args[3] if len(args) > 3 else kwargs.get("flags", 0)
                if not flags & ast.PyCF_ONLY_AST:
                    calls.append(name)
            elif name == "__import__":
                if args and args[0] in ("os", "subprocess", "sys", "shutil", "socket"):
                    calls.append(name)
            else:
                calls.append(name)
            return originals[name](*args, **kwargs)

        return watch

    for name in originals:
        monkeypatch.setattr(builtins, name, recorder(name))
    yield calls
    monkeypatch.undo()
    assert calls == []


def rejected_cleanly(text, names=()):
    with pytest.raises(ExprError) as info:
        parse_expression(text, names)
    for lang in ("en", "zh"):
        message = info.value.message(lang)
        template = catalog(lang)[info.value.key]
        assert message and set(re.findall(r"\{(\w+)\}", template)) <= set(info.value.values)
    return info.value


@pytest.mark.timeout(10)
@pytest.mark.parametrize("text", ATTACKS, ids=lambda t: repr(t[:30]))
def test_known_attack_is_rejected_without_executing(text, canary):
    rejected_cleanly(text, ["c"])


def test_very_long_input_is_rejected_by_length_quickly():
    import time

    start = time.perf_counter()
    for text in ["(" * 10**6, "-" * 10**6 + "1", "p+" * 10**6, "9" * 10**6]:
        assert rejected_cleanly(text).key == "custom.error.length"
    assert time.perf_counter() - start < 1.0


def test_builtins_names_are_unknown_not_reachable():
    for name in ("print", "id", "type", "object", "input", "vars", "dir", "min", "max", "pow", "round"):
        error = rejected_cleanly(f"{name}(p)")
        assert error.key == "custom.error.unknown_function"


def test_hostile_parameter_declarations_are_rejected():
    for text in ["__class__:1:0:2", "exp:1:0:2", "p:1:0:2", "lambda:1:0:2", "c:1e999:0:2", "c:nan:0:2",
                 "c:1:2:0", "c:5:0:2", "c:1:0", "c:1:0:2,c:1:0:2", "ｃ:1:0:2", "c:1:0:2," * 7,
                 "a" * 300, "c:1:0:1e9", "c:(1):0:2", "c:1_0:0:20x"]:
        with pytest.raises(ExprError):
            parse_param_declarations(text, reserved={"lang", "target"})
    with pytest.raises(ExprError):
        parse_param_declarations("target:1:0:2", reserved={"lang", "target"})


# --- fuzzing -------------------------------------------------------------------------------

ALPHABET = string.printable + "（）ｅｘｐ＿·δ𝐞\u200b\x00"
TOKENS = (["p", "y", "yhat", "c", "q", "1", "2", "0.5", "1e3", "9", "(", ")", ",", "+", "-", "*", "/", "**",
           "<", "<=", ">", "==", ".", "[", "]", "__class__", "lambda", ":", "for", "in", "if", "else", "'s'",
           "__import__", "torch", "x", "=", " "] + list(ARITY))


def _outcome_is_safe(text):
    """Parse succeeds (then evaluation gives a tensor, NaN allowed) or fails with ExprError."""
    try:
        parsed = parse_expression(text, ["c", "q"])
    except ExprError as err:
        assert err.key in catalog("zh")
        return
    assert len(text) <= MAX_LENGTH
    pred = torch.linspace(-3, 3, 301, dtype=torch.float64, requires_grad=True)
    out = parsed.evaluate(pred, torch.zeros_like(pred).detach(), {"c": 1.5, "q": 2.0})
    assert isinstance(out, torch.Tensor) and out.shape == pred.shape
    torch.autograd.grad(out.sum(), pred)


@pytest.mark.timeout(120)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=400))
def test_random_text_never_escapes(text):
    _outcome_is_safe(text)


@pytest.mark.timeout(120)
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_random_token_soup_never_escapes(text):
    _outcome_is_safe(text)


def _expressions():
    leaves = st.sampled_from(["p", "y", "c", "q", "0.5", "2", "3"])

    def extend(children):
        unary = st.tuples(st.sampled_from([f for f, n in ARITY.items() if n == 1] + ["-"]), children).map(
            lambda t: f"-({t[1]})" if t[0] == "-" else f"{t[0]}({t[1]})")
        binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(
            lambda t: f"({t[0]}) {t[1]} ({t[2]})")
        pair = st.tuples(st.sampled_from(["minimum", "maximum"]), children, children).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})")
        where = st.tuples(children, st.sampled_from(["<", ">=", "!="]), children, children, children).map(
            lambda t: f"where({t[0]} {t[1]} {t[2]}, {t[3]}, {t[4]})")
        return unary | binary | pair | where

    return st.recursive(leaves, extend, max_leaves=25)


@pytest.mark.timeout(120)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions())
def test_random_valid_grammar_evaluates_or_hits_a_limit(text):
    _outcome_is_safe(text)
