"""AppTest of the loss typed on /custom used elsewhere: /explorer's compare list and /training.

Curve values are compared with the custom Loss evaluated by torch (and its autograd gradient);
training numbers with a Trainer run directly; hostile or invalid expressions must give notices
in the page's language, never an exception, and leave the rest of the page working."""

import json
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import torch
from streamlit.testing.v1 import AppTest

from ui.scrub_readouts import component_data

from lossviz.custom_loss import custom_loss, parse_param_declarations
from lossviz.display import fmt_number
from lossviz.train import TrainConfig, Trainer

APP = str(Path(__file__).resolve().parents[2] / "app.py")
POWER = {"expr": "abs(y - p)**q", "params": "q:1.5:0.5:4"}


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"app_pages/{page}.py")
    return at.run()


def url(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[-1] if isinstance(value, list) else value


def traces(at: AppTest) -> dict[str, dict]:
    """The explorer chart's curves by (name, panel): panel "x" is the loss, "x2" the gradient."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    # after the first run the chart stays mounted and the scrubber component carries the figure
    # the browser draws into it (ui.charts.MountedChart)
    redrawn = component_data(at.get("bidi_component")[0].proto.json).get("figure") if at.get("bidi_component") else None
    return {(t["name"], t["xaxis"]): t for t in (redrawn or spec)["data"] if t.get("name")}


def names(at: AppTest) -> set[str]:
    return {name for name, _ in traces(at)}


def torch_custom(expr: str, declared: str, x: float, target: float, **values) -> tuple[float, float]:
    loss = custom_loss(expr, parse_param_declarations(declared))
    pred = torch.tensor([x], dtype=torch.float64, requires_grad=True)
    value = loss(pred, torch.tensor([target], dtype=torch.float64), **values)
    value.sum().backward()
    return value.item(), pred.grad.item()


def test_explorer_draws_the_custom_curve_and_gradient_equal_to_torch():
    at = open_page("explorer", loss="mse", compare="mae,custom", target="0.5", **POWER)
    assert not at.exception
    curves = traces(at)
    loss_trace, grad_trace = curves[("Your loss (q=1.5)", "x")], curves[("Your loss (q=1.5)", "x2")]
    assert ("MAE (absolute error)", "x") in curves  # the other compared loss stays
    for index in (0, 40, 111, 200):  # grid points of the prediction slider, -5 to 5 by 0.05
        x = loss_trace["x"][index]
        assert x == pytest.approx(-5 + 0.05 * index, abs=1e-6)
        value, grad = torch_custom(POWER["expr"], POWER["params"], x, 0.5, q=1.5)
        assert loss_trace["y"][index] == pytest.approx(value, rel=1e-6)  # float32 on the wire
        assert grad_trace["y"][index] == pytest.approx(grad, rel=1e-6, abs=1e-6)
    assert url(at, "expr") == POWER["expr"] and url(at, "compare") == "mae,custom"
    (back,) = [link for link in at.get("page_link") if link.proto.label == "Open in Custom Loss"]
    assert parse_qs(back.proto.query_string) == {"expr": [POWER["expr"]], "params": [POWER["params"]]}


def test_custom_is_offered_for_regression_losses_only():
    at = open_page("explorer", loss="mse")
    assert "Your loss" in [o.content for o in at.button_group(key="w.explorer.compare.en").proto.options]
    at = open_page("explorer", loss="bce", compare="custom", **POWER)
    assert not at.exception
    assert "Your loss" not in " ".join(names(at))
    assert any("compare=custom" in w.value for w in at.warning)  # the link's value is refused, and said


def test_hostile_link_expression_gives_a_notice_and_keeps_the_other_curves():
    at = open_page("explorer", loss="huber", compare="mae,custom", expr="__import__('os').system('id')")
    assert not at.exception
    assert any("expr=" in w.value and "not allowed" in w.value for w in at.warning)
    shown = names(at)
    assert "MAE (absolute error)" in shown
    assert any(name.startswith("Your loss") for name in shown)  # the default (Cauchy) loss instead


def test_invalid_typed_expression_drops_only_the_custom_curve():
    at = open_page("explorer", loss="mse", compare="custom,mae", **POWER)
    at.text_input(key="explorer_expr").input("9**9**9").run()
    assert not at.exception
    assert any("Your loss is not drawn" in w.value and "exponent" in w.value for w in at.warning)
    assert not any(name.startswith("Your loss") for name in names(at))
    assert "MAE (absolute error)" in names(at)
    assert at.button_group(key="w.explorer.compare.en").value == ["custom", "mae"]


def test_expression_with_an_undeclared_name_gets_a_chinese_notice():
    at = open_page("explorer", loss="mse", compare="custom,mae", lang="zh", expr="abs(y - p)**q", params="")
    assert not at.exception
    assert any("未绘制你的损失" in w.value and "`q`" in w.value for w in at.warning)
    assert not any(name.startswith("你的损失") for name in names(at))
    assert len(names(at)) == 2  # MSE and MAE


def test_removing_custom_from_compare_removes_its_text_from_the_link():
    at = open_page("explorer", loss="mse", compare="custom", **POWER)
    assert url(at, "expr") == POWER["expr"]
    at.button_group(key="w.explorer.compare.en").set_value([]).run()
    assert not at.exception
    assert url(at, "expr") is None and url(at, "params") is None


def test_custom_page_links_to_explorer_and_training_with_current_values():
    at = open_page("custom", expr="abs(y - p)**q", params="q:1.5:0.5:4", q="2", target="0.5", pred="1")
    assert not at.exception
    links = {link.proto.label: parse_qs(link.proto.query_string) for link in at.get("page_link")}
    explorer, training = links["Compare in the explorer"], links["Train with it"]
    # the slider value q = 2 travels as the declared default, so the other page opens at it
    assert explorer == {"loss": ["mse"], "compare": ["custom"], "pred": ["1"], "target": ["0.5"],
                        "expr": ["abs(y - p)**q"], "params": ["q:2:0.5:4"]}
    assert training == {"dataset": ["regression"], "loss": ["custom"], "expr": ["abs(y - p)**q"],
                        "params": ["q:2:0.5:4"]}


def test_training_with_custom_equals_a_trainer_run_directly():
    at = open_page("training", dataset="regression", loss="custom", lr="0.01", **POWER)
    assert not at.exception
    at.button(key="training_step").click().run()
    assert not at.exception
    run = at.session_state["training_live_run"]
    trainer = run.runs["A"]
    assert trainer.config.loss == "custom" and trainer.config.custom_expr == POWER["expr"]
    direct = Trainer(TrainConfig(dataset="regression", loss="custom", custom_expr=POWER["expr"],
                                 custom_params=POWER["params"], lr=0.01, outliers=0.1))
    records = direct.step(10)
    assert run.histories["A"].batch_loss == [r.loss for r in records]
    assert all(torch.isfinite(torch.tensor(r.loss)) for r in records)
    text = next(m.value for m in at.markdown if "/ " in m.value and "Step" in m.value)
    assert f"val loss {fmt_number(direct.evaluate()['val_loss'])}" in text


def test_training_with_an_invalid_custom_loss_says_why_and_trains_nothing():
    at = open_page("training", dataset="regression", loss="custom", expr="p +", params="")
    assert not at.exception
    assert any("expr=" in w.value for w in at.warning)  # the link's text is refused ...
    at.text_input(key="training_expr").input("sqrt(p - y) + q").run()  # ... and so is an undeclared name
    assert not at.exception
    assert any("Unknown name `q`" in w.value for w in at.warning)
    assert not at.get("plotly_chart")


def test_training_stops_with_the_divergence_message_when_the_custom_loss_is_nan():
    at = open_page("training", dataset="regression", loss="custom", expr="sqrt(p - y)", params="")
    at.button(key="training_step").click().run()  # (AppTest cannot click on a zh page: it
    assert not at.exception  # replays menus by their English labels)
    assert any(e.value.startswith("Run A stopped at step 1: the loss") and "nan" in e.value for e in at.error)


def test_ab_runs_can_both_use_the_one_typed_loss_or_set_it_against_a_builtin():
    at = open_page("training", dataset="regression", loss="custom", ab="on", loss_b="mse", **POWER)
    assert not at.exception
    run = at.session_state["training_live_run"]
    assert (run.config_a.loss, run.config_b.loss) == ("custom", "mse")
    at = open_page("training", dataset="regression", loss="custom", ab="on", loss_b="custom", **POWER)
    assert not at.exception
    run = at.session_state["training_live_run"]
    assert run.config_a.custom_expr == run.config_b.custom_expr == POWER["expr"]


def test_an_expression_out_of_evaluation_time_is_reported_and_the_rest_drawn(monkeypatch):
    import lossviz.expr

    monkeypatch.setattr(lossviz.expr, "EVAL_BUDGET_S", -1.0)  # every evaluation is now out of time
    at = open_page("explorer", loss="mse", compare="custom,mae", target="1.35", **POWER)  # an uncached target
    assert not at.exception
    assert any("could not be evaluated here" in w.value for w in at.warning)
    assert names(at) == {"MSE (squared error)", "MAE (absolute error)"}
