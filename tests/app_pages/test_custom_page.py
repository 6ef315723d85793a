"""AppTest of /custom: typed losses against torch, examples, hostile expressions and URLs."""

from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from lossviz.display import fmt_number
from lossviz.state import CUSTOM_DEFAULT_EXPR

APP = str(Path(__file__).resolve().parents[2] / "app.py")
pytestmark = pytest.mark.timeout(300)


def open_custom(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/custom.py")
    return at.run()


def widget(name: str, lang: str = "en") -> str:
    """Widget keys of URL settings carry the page and language (ui.url_state)."""
    return f"w.custom.{name}.{lang}"


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def torch_point(fn, pred: float, target: float) -> tuple[float, float]:
    p = torch.tensor(pred, dtype=torch.float64, requires_grad=True)
    value = fn(p, torch.tensor(target, dtype=torch.float64))
    value.backward()
    return value.item(), p.grad.item()


def test_default_cauchy_loss_matches_torch_and_lists_checks():
    at = open_custom()
    assert not at.exception
    assert at.text_input(key="custom_expr").value == CUSTOM_DEFAULT_EXPR
    loss, grad = torch_point(lambda p, y: torch.log1p((y - p) ** 2 / 1.0), 1.5, 0.0)
    assert metrics(at) == {"Loss L": fmt_number(loss), "Gradient ∂L/∂ŷ": fmt_number(grad)}
    checks = [m.value for m in at.markdown if m.value[:1] in "✅❌❔"]
    assert len(checks) == 5 and checks[3].startswith("❌")  # the Cauchy loss is not convex
    assert any("torch.log" in c.value for c in at.code)


def test_typing_an_expression_and_moving_a_parameter_updates_values_and_url():
    at = open_custom()
    at.text_input(key="custom_params").set_value("q:2:0.5:4").run()
    at.text_input(key="custom_expr").set_value("abs(y - p)**q").run()
    at.slider(key=widget("q")).set_value(3.0).run()
    at.slider(key=widget("target")).set_value(0.5).run()
    assert not at.exception and not at.error
    loss, grad = torch_point(lambda p, y: (y - p).abs() ** 3.0, 1.5, 0.5)
    assert metrics(at) == {"Loss L": fmt_number(loss), "Gradient ∂L/∂ŷ": fmt_number(grad)}
    assert at.query_params["expr"] in ("abs(y - p)**q", ["abs(y - p)**q"])
    assert at.query_params["params"] in ("q:2:0.5:4", ["q:2:0.5:4"])


def test_deep_link_restores_expression_parameters_and_overlay():
    at = open_custom(expr="maximum(tau * (y - p), (tau - 1) * (y - p))", params="tau:0.8:0.01:0.99",
                     tau="0.3", target="1", pred="-1", overlay="mae")
    assert not at.exception and not at.warning
    assert at.slider(key=widget("tau")).value == pytest.approx(0.3)
    assert at.selectbox(key=widget("overlay")).value == "mae"
    loss, grad = torch_point(lambda p, y: torch.maximum(0.3 * (y - p), (0.3 - 1) * (y - p)), -1.0, 1.0)
    assert metrics(at) == {"Loss L": fmt_number(loss), "Gradient ∂L/∂ŷ": fmt_number(grad)}


def test_example_pill_loads_expression_and_its_parameters():
    at = open_custom()
    at.pills(key="custom_example").set_value("huber").run()
    assert not at.exception
    assert at.text_input(key="custom_expr").value.startswith("where(")
    assert at.slider(key=widget("d")).value == 1.0
    reference = torch.nn.functional.huber_loss(torch.tensor([1.5]), torch.tensor([0.0]), delta=1.0).item()
    assert metrics(at)["Loss L"] == fmt_number(reference)
    assert at.pills(key="custom_example").value is None  # ready for the next click


@pytest.mark.parametrize("expr", [
    "__import__('os').system('echo hi')", "().__class__.__bases__", "9**9**9", "10**10**10", "lambda: p",
    "[x for x in p]", "ｅｘｐ(p)", "open('/etc/passwd')", "torch", "exec", "p" + "+p" * 400,
    "(" * 500 + "p" + ")" * 500, "-" * 100000 + "1",
])
def test_hostile_expression_typed_shows_a_clear_error_and_no_chart(expr):
    at = open_custom()
    at.text_input(key="custom_expr").set_value(expr[:300]).run()
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value  # the reason, in words
    assert not at.metric


@pytest.mark.parametrize("query, ignored", [
    ({"expr": "__import__('os').system('echo hi')"}, "expr="),
    ({"expr": "-" * 100000 + "1"}, "expr="),
    ({"expr": "ｅｘｐ(p)"}, "expr="),
    ({"expr": "9**9**9"}, "expr="),
    ({"params": "__class__:1:0:2"}, "params="),
    ({"params": "target:1:0:2"}, "params="),
    ({"params": "c:1:0:2," * 20}, "params="),
    ({"c": "abc"}, "c="),
    ({"c": "1e999", "target": "nan", "overlay": "<script>"}, "c="),
])
def test_hostile_url_falls_back_with_a_notice(query, ignored):
    at = open_custom(**query)
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert ignored in notices
    assert at.text_input(key="custom_expr").value == CUSTOM_DEFAULT_EXPR or "expr" not in query
    assert len(at.metric) == 2  # the default loss is drawn


def test_url_expression_with_an_undeclared_name_is_kept_and_explained():
    at = open_custom(expr="q * (y - p)**2")
    assert not at.exception
    assert at.text_input(key="custom_expr").value == "q * (y - p)**2"
    assert "`q`" in at.error[0].value


def test_chinese_page_translates_notices_errors_and_checks():
    """(Opened by URL and not re-run: AppTest formats a translated selectbox label with str().)"""
    at = open_custom(lang="zh", expr="p ** 20")
    assert not at.exception
    assert "常数指数" in at.warning[0].value and "损失 L" in metrics(at)
    assert any(m.value.startswith("✅ **在 p = y 处为零**") for m in at.markdown)
    at = open_custom(lang="zh", expr="q * p")
    assert "未知名称 `q`" in at.error[0].value


def test_session_cap_on_new_expressions(monkeypatch):
    at = open_custom()
    at.session_state["custom_budget"].limit = 2
    for i in range(3):
        at.text_input(key="custom_expr").set_value(f"(y - p)**2 + {i + 1}").run()
    assert not at.exception
    assert at.warning and not at.metric
    at.text_input(key="custom_expr").set_value("(y - p)**2 + 1").run()  # one already allowed
    assert len(at.metric) == 2


def test_expression_and_parameter_survive_a_page_switch_and_a_language_switch():
    at = open_custom()
    at.text_input(key="custom_params").set_value("q:2:0.5:4").run()
    at.text_input(key="custom_expr").set_value("abs(y - p)**q").run()
    at.slider(key=widget("q")).set_value(3.0).run()
    at.switch_page("app_pages/home.py").run()
    at.query_params.clear()  # the menu clears a page's query parameters
    at.switch_page("app_pages/custom.py").run()
    assert not at.exception
    assert at.text_input(key="custom_expr").value == "abs(y - p)**q"
    assert at.slider(key=widget("q")).value == 3.0
    at.radio(key="lang").set_value("zh").run()
    assert at.text_input(key="custom_expr").value == "abs(y - p)**q"
    assert at.slider(key=widget("q", "zh")).value == 3.0
