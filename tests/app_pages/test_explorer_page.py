"""AppTest of /explorer: widgets by key, metrics against torch, hostile URLs never raise."""

import math
from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from lossviz.display import fmt_number

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_explorer(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/explorer.py")
    return at.run()


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_explorer_renders_default_huber_without_exception():
    at = open_explorer()
    assert not at.exception
    assert at.selectbox(key="url_loss").value == "huber"
    values = metric_values(at)
    # default: pred 1.5, target 0, delta 1 -> huber = delta*(|r| - delta/2) = 1.0, grad = delta*sign(r) = 1
    assert values["Loss L"] == fmt_number(1.0)
    assert values["Gradient ∂L/∂ŷ"] == fmt_number(1.0)
    assert any("huber_loss" in code.value for code in at.code)


def test_moving_pred_slider_changes_metric_to_torch_value():
    at = open_explorer()
    at.slider(key="pred").set_value(0.5).run()
    pred = torch.tensor([0.5], dtype=torch.float64, requires_grad=True)
    reference = torch.nn.functional.huber_loss(pred, torch.zeros(1, dtype=torch.float64), delta=1.0, reduction="none")
    reference.sum().backward()
    values = metric_values(at)
    assert values["Loss L"] == fmt_number(reference.item())
    assert values["Gradient ∂L/∂ŷ"] == fmt_number(pred.grad.item())


def test_switching_to_bce_shows_logit_and_probability_gradients():
    at = open_explorer()
    at.selectbox(key="url_loss").set_value("bce").run()
    assert not at.exception
    values = metric_values(at)
    z, p = 1.0, 1 / (1 + math.exp(-1.0))
    assert values["Probability p"] == fmt_number(p)
    assert values["Gradient ∂L/∂z"] == fmt_number(p - 1)
    assert values["Gradient ∂L/∂p"] == fmt_number(-1 / p)


def test_url_loss_key_is_restored_and_written_back():
    at = open_explorer(loss="focal")
    assert at.selectbox(key="url_loss").value == "focal"
    assert at.query_params["loss"] == ["focal"] or at.query_params["loss"] == "focal"


@pytest.mark.parametrize(
    "query",
    [
        {"loss": "nope"},
        {"loss": "<script>alert(1)</script>", "compare": "mse,,nope,mse"},
        {"axis": "sideways", "loss": "bce"},
        {"compare": "mae,log_cosh,mse,quantile,smooth_l1"},
    ],
)
def test_hostile_or_malformed_urls_fall_back_with_a_notice(query):
    at = open_explorer(**query)
    assert not at.exception
    assert at.warning, "a visible notice explains what was ignored"
    assert at.selectbox(key="url_loss").value in ("huber", query.get("loss"))


def test_compare_overlays_other_losses_from_the_same_family():
    at = open_explorer(compare="mse,mae,log_cosh")
    assert not at.exception
    assert at.multiselect(key="url_compare").value == ["mse", "mae", "log_cosh"]


def test_chinese_page_uses_chinese_labels():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.radio(key="lang").set_value("zh").run()  # the sidebar switch, bound in app.py
    at.switch_page("app_pages/explorer.py").run()
    assert not at.exception
    assert "损失 L" in metric_values(at)


@pytest.mark.parametrize("key", ["mse", "mae", "huber", "smooth_l1", "log_cosh", "quantile", "bce", "focal", "hinge",
                                 "squared_hinge", "cross_entropy", "focal_multiclass", "multi_margin", "kl_div"])
def test_every_loss_renders(key):
    at = open_explorer(loss=key)
    assert not at.exception
    assert len(at.metric) >= 2
