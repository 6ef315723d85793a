"""lossviz.expr: the grammar, every limit, and evaluation against plain torch."""

import math

import pytest
import torch
import torch.nn.functional as F

from lossviz import expr
from lossviz.expr import ExprError, parse_expression
from lossviz.i18n import catalog

pytestmark = pytest.mark.timeout(60)

P = torch.linspace(-3, 3, 61, dtype=torch.float64)
Y = torch.full_like(P, 0.5)


def value(text, params=None, names=None):
    params = params or {}
    return parse_expression(text, names if names is not None else list(params)).evaluate(P, Y, params)


def error_key(text, names=()):
    with pytest.raises(ExprError) as info:
        parse_expression(text, names)
    return info.value.key


@pytest.mark.parametrize(
    "text, reference",
    [
        ("(y - p)**2", (Y - P) ** 2),
        ("abs(yhat - y)", (P - Y).abs()),
        ("-p + +y * 2 / 4", -P + Y * 2 / 4),
        ("2**-p", 2.0 ** -P),
        ("-2**2 + p", -(2.0**2) + P),  # unary minus binds looser than ** (as in Python)
        ("exp(p) + log1p(p**2) + sqrt(abs(p)) + tanh(p) + cosh(p)",
         P.exp() + torch.log1p(P**2) + P.abs().sqrt() + P.tanh() + P.cosh()),
        ("sigmoid(p) + softplus(p)", torch.sigmoid(P) + F.softplus(P)),
        ("minimum(p, 0) + maximum(p, y)", torch.clamp(P, max=0) + torch.maximum(P, Y)),
        ("clamp(p, -1, 2)", P.clamp(-1, 2)),
        ("where(p < y, 1, p)", torch.where(P < Y, torch.ones_like(P), P)),
        ("where(-1 <= p - y < 1, 0, 1)", (~((P - Y >= -1) & (P - Y < 1))).to(P.dtype)),
        ("where(p != y, 3, 4) + where(p == y, 1, 0) + where(p >= y, 1, 0) + where(p > y, 1, 0)",
         torch.where(P != Y, 3.0, 4.0) + (P == Y).double() + (P >= Y).double() + (P > Y).double()),
        ("1e-3 * p", 1e-3 * P),
    ],
)
def test_expression_equals_torch(text, reference):
    torch.testing.assert_close(value(text), reference.to(torch.float64), rtol=1e-12, atol=1e-12)


def test_parameters_take_their_values():
    torch.testing.assert_close(value("abs(y - p)**q / c", {"q": 1.5, "c": 2.0}), (Y - P).abs() ** 1.5 / 2.0)


def test_float32_in_float32_out():
    p32, y32 = P.float(), Y.float()
    out = parse_expression("log(1 + (y - p)**2)").evaluate(p32, y32, {})
    assert out.dtype == torch.float32
    torch.testing.assert_close(out, torch.log1p((y32 - p32) ** 2))


def test_constant_expression_has_zero_gradient_and_full_shape():
    leaf = P.clone().requires_grad_(True)
    out = parse_expression("y * 0 + 3").evaluate(leaf, Y, {})
    assert out.shape == P.shape
    (grad,) = torch.autograd.grad(out.sum(), leaf)
    assert torch.equal(grad, torch.zeros_like(P))


def test_autograd_gradient_matches_closed_form():
    leaf = P.clone().requires_grad_(True)
    out = parse_expression("log(cosh(p - y))").evaluate(leaf, Y, {})
    (grad,) = torch.autograd.grad(out.sum(), leaf)
    torch.testing.assert_close(grad, torch.tanh(P - Y))


def test_gradcheck_through_every_function():
    text = ("exp(-p**2) + log1p(sigmoid(p)) + sqrt(1 + p**2) + softplus(p) * tanh(p) / cosh(p / 4)"
            " + minimum(p, y) + maximum(p, -y) + clamp(p, -1, 1) + where(p < y, p**2, abs(p)) + log(2 + p**2)")
    parsed = parse_expression(text)
    pred = torch.tensor([-1.3, -0.2, 0.7, 1.9], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda p: parsed.evaluate(p, torch.full_like(p, 0.45), {}), (pred,))


def test_uses_tells_which_names_occur():
    parsed = parse_expression("abs(y - p)**q + c", ["q", "c", "unused"])
    assert parsed.params_used == ("c", "q") and parsed.uses_pred
    assert not parse_expression("y**2").uses_pred


def test_none_param_names_accepts_any_plain_name():
    assert parse_expression("a * p + b", None).params_used == ("a", "b")


@pytest.mark.parametrize(
    "text, key",
    [
        ("", "custom.error.empty"),
        ("   ", "custom.error.empty"),
        ("p +", "custom.error.syntax"),
        ("x.real", "custom.error.attribute"),
        ("p[0]", "custom.error.character"),
        ("lambda: 1", "custom.error.character"),
        ("(p for p in y)", "custom.error.comprehension"),
        ("sum(p for p in y)", "custom.error.unknown_function"),
        ("exp(p for p in y)", "custom.error.comprehension"),
        ("'abc'", "custom.error.character"),
        ("f'{p}'", "custom.error.character"),
        ("exp(*p)", "custom.error.starred"),
        ("exp(x=p)", "custom.error.keyword"),
        ("p and y", "custom.error.boolop"),
        ("p if y else 1", "custom.error.ifexp"),
        ("(c := p)", "custom.error.character"),
        ("p # comment", "custom.error.character"),
        ("True + p", "custom.error.constant"),
        ("None", "custom.error.constant"),
        ("1j * p", "custom.error.constant"),
        ("1e7 * p", "custom.error.number"),
        ("1e999", "custom.error.number"),
        ("exp", "custom.error.function_needs_call"),
        ("q * p", "custom.error.unknown_name"),
        ("open(p)", "custom.error.unknown_function"),
        ("exp(p, y)", "custom.error.arity"),
        ("where(p, 1, 2)", "custom.error.where_condition"),
        ("p < y", "custom.error.comparison_place"),
        ("exp(p < y)", "custom.error.comparison_place"),
        ("p % 2", "custom.error.character"),
        ("p // 2", "custom.error.construct"),
        ("~p", "custom.error.character"),
        ("not p", "custom.error.construct"),
        ("where(p in y, 1, 2)", "custom.error.construct"),
        ("(p, y)", "custom.error.construct"),
        ("{p: y}", "custom.error.character"),
        ("p is y", "custom.error.comparison_place"),
        ("p ** 11", "custom.error.exponent"),
        ("p ** -10.5", "custom.error.exponent"),
        ("p ** (5 + 6)", "custom.error.exponent"),
        ("p ** exp(3)", "custom.error.exponent"),
        ("9**9**9", "custom.error.exponent"),
        ("（y - p）**2", "custom.error.lookalike"),
        ("y\n- p", "custom.error.character"),
    ],
)
def test_rejected_with_its_own_key(text, key):
    assert error_key(text) == key


def test_every_error_key_is_translated():
    source = (expr.__file__, expr.__file__.replace("expr.py", "custom_loss.py"))
    import re

    keys = {k for path in source for k in re.findall(r'"(custom\.error\.\w+)"', open(path).read())}
    keys |= {f"custom.error.{name}" for name in expr._FORBIDDEN.values()}
    for lang in ("en", "zh"):
        assert sorted(keys - set(catalog(lang))) == [], lang


def test_error_message_is_bilingual_and_filled():
    with pytest.raises(ExprError) as info:
        parse_expression("p ** 20")
    en, zh = info.value.message("en"), info.value.message("zh")
    assert "20" in en and "10" in en and "20" in zh and "{" not in zh
    assert str(info.value) == en


def test_length_is_checked_before_parsing(monkeypatch):
    called = []
    monkeypatch.setattr(expr.ast, "parse", lambda *a, **k: called.append(1))
    with pytest.raises(ExprError) as info:
        parse_expression("p+" * expr.MAX_LENGTH)
    assert info.value.key == "custom.error.length" and called == []


def test_limits_hold_exactly_at_the_boundary():
    parse_expression("(y - p)**2".ljust(expr.MAX_LENGTH))  # exactly MAX_LENGTH characters
    assert error_key("(y - p)**2".ljust(expr.MAX_LENGTH + 1)) == "custom.error.length"
    parse_expression("p ** 10 + p ** -10")
    parse_expression("-" * (expr.MAX_DEPTH - 1) + "p")
    assert error_key("-" * expr.MAX_DEPTH + "p") == "custom.error.depth"
    parse_expression(str(int(expr.MAX_NUMBER)) + " * p")


def test_node_count_limit():
    many = "+".join(["p"] * (expr.MAX_NODES // 2 + 1))  # a flat sum: shallow but many nodes
    assert len(many) <= expr.MAX_LENGTH
    assert error_key(many) in ("custom.error.nodes", "custom.error.depth")
    balanced = "*".join(["((p+y)*(p-y)+(y*y-p))"] * 12)  # 167 nodes, depth 15, 263 characters
    assert error_key(balanced) == "custom.error.nodes"


def test_fullwidth_lookalike_names_the_ascii_character():
    with pytest.raises(ExprError) as info:
        parse_expression("ｅｘｐ(p)")
    assert info.value.key == "custom.error.lookalike"
    assert info.value.values["char"] == "ｅ" and info.value.values["hint"] == "e"
    assert parse_expression("exp(p)").tree != ()  # the ASCII spelling is fine


def test_too_many_points_are_refused():
    big = torch.zeros(expr.MAX_POINTS + 1, dtype=torch.float64)
    with pytest.raises(ExprError) as info:
        parse_expression("p").evaluate(big, big, {})
    assert info.value.key == "custom.error.points"


def test_missing_parameter_value_is_an_error_not_a_keyerror():
    with pytest.raises(ExprError):
        parse_expression("c * p", ["c"]).evaluate(P, Y, {})


def test_nan_and_inf_come_out_as_values_not_errors():
    out = value("log(p) + 1 / (p - y)")
    assert torch.isnan(out[0]) and not math.isfinite(float(value("1 / (p - p)")[0]))
