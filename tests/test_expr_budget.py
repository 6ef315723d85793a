"""The custom expression's caps: length before parsing, evaluation time (lossviz/expr.py)."""

import pytest
import torch

from lossviz import expr
from lossviz.expr import MAX_LENGTH, ExprError, parse_expression


def test_too_long_is_refused_before_parsing():
    with pytest.raises(ExprError) as err:
        parse_expression("p" + " + p" * MAX_LENGTH)
    assert err.value.key == "custom.error.length"


def test_evaluation_stops_at_its_time_budget(monkeypatch):
    expression = parse_expression("log(1 + (y - p)**2)")
    x = torch.linspace(-3, 3, 101, dtype=torch.float64)
    assert torch.isfinite(expression.evaluate(x, torch.zeros_like(x), {})).all()
    monkeypatch.setattr(expr, "EVAL_BUDGET_S", -1.0)  # every node finds its deadline passed
    with pytest.raises(ExprError) as err:
        expression.evaluate(x, torch.zeros_like(x), {})
    assert err.value.key == "custom.error.slow"
