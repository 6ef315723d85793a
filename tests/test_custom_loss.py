"""lossviz.custom_loss: typed losses equal the library's (values and autograd gradients),
parameter declarations, and the Loss contract (so /explorer and /training can take one)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lossviz import grads
from lossviz.custom_loss import (MAX_PARAMS, custom_loss, declare_param, format_param_declarations,
                                 parse_param_declarations, slider_step)
from lossviz.expr import ExprError, parse_expression
from lossviz.expr_render import to_latex, to_torch
from lossviz.losses import Loss, get_loss

pytestmark = pytest.mark.timeout(60)

PRED = torch.linspace(-4, 4, 81, dtype=torch.float64)
TARGET = torch.full_like(PRED, 0.7)

HUBER_TEXT = "where(abs(y - p) <= delta, 0.5 * (y - p)**2, delta * (abs(y - p) - 0.5 * delta))"
SAME_AS_LIBRARY = [
    ("(y - p)**2", "", "mse", {}),
    ("abs(y - p)", "", "mae", {}),
    (HUBER_TEXT, "delta:1:0.1:5", "huber", {"delta": 0.6}),
    ("where(abs(p - y) < beta, 0.5 * (p - y)**2 / beta, abs(p - y) - 0.5 * beta)", "beta:1:0.1:5", "smooth_l1",
     {"beta": 1.7}),
    ("maximum(tau * (y - p), (tau - 1) * (y - p))", "tau:0.5:0.01:0.99", "quantile", {"tau": 0.2}),
    ("abs(p - y) + softplus(-2 * abs(p - y)) - log(2)", "", "log_cosh", {}),
]


def value_and_grad(loss: Loss, params: dict) -> tuple[torch.Tensor, torch.Tensor]:
    leaf = PRED.clone().requires_grad_(True)
    values = loss(leaf, TARGET, **params)
    (grad,) = torch.autograd.grad(values.sum(), leaf)
    return values.detach(), grad


@pytest.mark.parametrize("text, declared, key, params", SAME_AS_LIBRARY, ids=[case[2] for case in SAME_AS_LIBRARY])
def test_typed_loss_equals_library_loss_with_gradients(text, declared, key, params):
    typed = custom_loss(text, parse_param_declarations(declared))
    values, grad = value_and_grad(typed, params)
    ref_values, ref_grad = value_and_grad(get_loss(key), params)
    torch.testing.assert_close(values, ref_values, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(grad, ref_grad, rtol=1e-10, atol=1e-12)


def test_typed_huber_equals_torch_huber_loss():
    typed = custom_loss(HUBER_TEXT, [declare_param("delta", 1.0, 0.1, 5.0)])
    values, _ = value_and_grad(typed, {"delta": 0.8})
    torch.testing.assert_close(values, F.huber_loss(PRED, TARGET, delta=0.8, reduction="none"))


def test_custom_loss_passes_gradcheck():
    loss = custom_loss("log(1 + (y - p)**2 / c)", parse_param_declarations("c:1:0.1:10"))
    pred = torch.tensor([-2.0, -0.3, 0.4, 3.1], dtype=torch.float64, requires_grad=True)
    target = torch.tensor([0.5, 0.0, -1.0, 2.0], dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda p: loss(p, target, c=2.5), (pred,))


def test_custom_loss_is_a_regression_loss_with_the_contract():
    loss = custom_loss("abs(y - p)**q", parse_param_declarations("q:2:0.5:4"))
    assert isinstance(loss, Loss) and loss.key == "custom" and loss.family == "regression"
    assert loss.param_names == ("q",) and loss.defaults() == {"q": 2.0}
    with pytest.raises(ValueError):
        loss(PRED, TARGET, q=9.0)  # outside the declared range
    with pytest.raises(ValueError):
        loss(PRED, TARGET, nope=1.0)
    with pytest.raises(ValueError):
        loss(PRED, TARGET[:3])
    assert loss(PRED.float(), TARGET.float()).dtype == torch.float32


def test_explorer_curve_takes_a_custom_loss_unchanged():
    """How /explorer's compare mode can draw it: grads.explorer_curve(loss, target, params)."""
    loss = custom_loss("(y - p)**2")
    curve = grads.explorer_curve(loss, 0.5, {})
    np.testing.assert_allclose(curve["loss"], (curve["x"] - 0.5) ** 2, rtol=1e-12)
    np.testing.assert_allclose(curve["grad"], 2 * (curve["x"] - 0.5), rtol=1e-12, atol=1e-12)
    point = grads.explorer_point(loss, 1.5, 0.5, {})
    assert point["loss"] == pytest.approx(1.0) and point["grad"] == pytest.approx(2.0)


def test_unknown_parameter_in_expression_is_an_expr_error():
    with pytest.raises(ExprError) as info:
        custom_loss("c * (y - p)**2")
    assert info.value.key == "custom.error.unknown_name"


def test_declarations_round_trip_and_give_round_slider_steps():
    params = parse_param_declarations(" c:1:0.1:10 , q:2:0.5:4,big:100:-1000:1000")
    assert [p.name for p in params] == ["c", "q", "big"]
    assert [p.step for p in params] == [0.01, 0.01, 10.0]
    assert parse_param_declarations(format_param_declarations(params)) == params
    assert parse_param_declarations("") == ()
    assert slider_step(0.0, 1.0) == 0.01


@pytest.mark.parametrize("text, key", [
    ("c:1:0.1", "custom.error.param_format"),
    ("c:one:0:2", "custom.error.param_format"),
    ("1c:1:0:2", "custom.error.param_name"),
    ("_c:1:0:2", "custom.error.param_name"),
    ("exp:1:0:2", "custom.error.param_reserved"),
    ("y:1:0:2", "custom.error.param_reserved"),
    ("lambda:1:0:2", "custom.error.param_reserved"),
    ("c:1:2:0", "custom.error.param_range"),
    ("c:3:0:2", "custom.error.param_range"),
    ("c:inf:0:2", "custom.error.param_number"),
    ("c:1:0:1e5", "custom.error.param_number"),
    ("c:1:0:2,c:1:0:3", "custom.error.param_duplicate"),
    (",".join(f"a{i}:1:0:2" for i in range(MAX_PARAMS + 1)), "custom.error.param_count"),
    ("c:1:0:2" + " " * 300, "custom.error.param_length"),
])
def test_bad_declarations_have_their_own_key(text, key):
    with pytest.raises(ExprError) as info:
        parse_param_declarations(text)
    assert info.value.key == key


def test_page_settings_are_reserved_names():
    with pytest.raises(ExprError) as info:
        parse_param_declarations("target:1:0:2", reserved={"target"})
    assert info.value.key == "custom.error.param_reserved"


@pytest.mark.parametrize("text", [
    "log(1 + (y - p)**2 / c)", "abs(y - p)**q", HUBER_TEXT.replace("delta", "c"), "-(p - y)**2 + 2**-p",
    "minimum(p, 0) + maximum(c, p) + clamp(p, -1, c) + clamp(p, y - 1, y + 1) + exp(c) + sigmoid(2)",
    "where(-c < p - y < c, (p - y)**2, c**2)", "(c - p) ** 2 / c ** 2", "p ** c",
])
@pytest.mark.parametrize("c", [0.5, -0.75])
def test_generated_torch_code_computes_the_same_values(text, c):
    """The PyTorch line shown to the user runs (test-only eval of our own generated code)."""
    loss = custom_loss(text, [declare_param("c", 0.5, -1.0, 1.0), declare_param("q", 2.0, 0.5, 4.0)])
    code = loss.torch_code(c=c, q=2.0)
    pred, target = PRED.clone(), TARGET.clone()
    shown = eval(code, {"torch": torch, "F": F, "pred": pred, "target": target})  # noqa: S307 (our code)
    torch.testing.assert_close(torch.as_tensor(shown, dtype=torch.float64).expand_as(pred),
                               loss(pred, target, c=c, q=2.0), equal_nan=True)


def test_latex_reads_like_the_formula():
    assert to_latex(parse_expression("abs(y - p)**q", ["q"])) == r"\ell(\hat y, y) = {\left|y - \hat y\right|}^{q}"
    assert r"\frac{" in to_latex(parse_expression("(y - p) / 2"))
    assert "cases" in to_latex(parse_expression(HUBER_TEXT, ["delta"]))
    assert to_torch(parse_expression("-(p - y)**2")) == "-(pred - target) ** 2"


def test_with_defaults_carries_slider_values_into_the_declarations_clamped_to_the_range():
    from lossviz.custom_loss import format_param_declarations, parse_param_declarations, with_defaults

    params = parse_param_declarations("q:1.5:0.5:4,c:1:0.1:10")
    moved = with_defaults(params, {"q": 3.0, "c": 99.0})
    assert format_param_declarations(moved) == "q:3:0.5:4,c:10:0.1:10"
    assert parse_param_declarations(format_param_declarations(moved)) == moved
    assert with_defaults(params, {}) == params
