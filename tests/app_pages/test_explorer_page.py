"""AppTest of /explorer: the view survives language and page switches, readouts equal torch,
hostile URLs get notices in the page's language and never raise."""

import json
import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from streamlit.testing.v1 import AppTest

from ui.scrub_readouts import component_data

from lossviz.display import fmt_number
from tests.reference.torchvision_focal_loss import sigmoid_focal_loss

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_explorer(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/explorer.py")
    return at.run()


def readouts(at: AppTest) -> dict[str, str]:
    """The readout cards at the position the page opened with (what the browser shows first)."""
    (element,) = at.get("bidi_component")
    data = component_data(element.proto.json)
    return dict(zip(data["labels"], data["values"][data["active"]]))


def loss_menu(at: AppTest, lang: str = "en"):
    return at.selectbox(key=f"w.explorer.loss.{lang}")


def url(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[-1] if isinstance(value, list) else value


def test_explorer_renders_default_huber_without_exception():
    at = open_explorer()
    assert not at.exception
    assert loss_menu(at).value == "huber"
    values = readouts(at)
    # default: pred 1.5, target 0, delta 1 -> huber = delta*(|r| - delta/2) = 1.0, grad = delta*sign(r) = 1
    assert values["Loss L"] == fmt_number(1.0)
    assert values["Gradient ∂L/∂ŷ"] == fmt_number(1.0)
    assert any("huber_loss" in code.value for code in at.code)


def test_readouts_at_a_linked_prediction_equal_torch():
    at = open_explorer(pred="0.5")
    pred = torch.tensor([0.5], dtype=torch.float64, requires_grad=True)
    reference = F.huber_loss(pred, torch.zeros(1, dtype=torch.float64), delta=1.0, reduction="none")
    reference.sum().backward()
    values = readouts(at)
    assert values["Loss L"] == fmt_number(reference.item())
    assert values["Gradient ∂L/∂ŷ"] == fmt_number(pred.grad.item())


def test_every_slider_position_is_sent_with_exact_torch_values():
    at = open_explorer(loss="mse")
    data = component_data(at.get("bidi_component")[0].proto.json)
    assert len(data["values"]) == 201  # pred from -5 to 5 in steps of 0.05
    for index in (0, 37, 130, 200):
        pred = -5 + 0.05 * index
        assert data["values"][index][0] == fmt_number(pred**2)
        assert data["values"][index][1] == fmt_number(2 * pred)


def test_bce_shows_logit_and_probability_gradients():
    at = open_explorer(loss="bce")
    assert not at.exception
    values = readouts(at)
    p = 1 / (1 + math.exp(-1.0))
    assert values["Probability p = σ(z)"] == fmt_number(p)
    assert values["Gradient ∂L/∂z"] == fmt_number(p - 1)
    assert values["Gradient ∂L/∂p"] == fmt_number(-1 / p)


def test_url_loss_key_is_restored_and_written_back():
    at = open_explorer(loss="focal")
    assert loss_menu(at).value == "focal"
    assert url(at, "loss") == "focal"


def test_language_switches_keep_loss_parameters_and_axis():
    """One switch here: AppTest's own selectbox reader formats values with the first run's
    labels and fails on a second switch; tests/e2e/test_explorer_state.py switches back and
    forth in a real browser."""
    at = open_explorer(loss="quantile", tau="0.9", pred="-2")
    for lang in ("zh",):
        at.radio(key="lang").set_value(lang).run()
        assert not at.exception
        assert at.slider(key=f"w.explorer.tau.{lang}").value == pytest.approx(0.9)
        assert url(at, "loss") == "quantile" and url(at, "tau") == "0.9" and url(at, "pred") == "-2"
        assert any("0.9" in code.value for code in at.code)
        assert readouts(at)[{"en": "Loss L", "zh": "损失 L"}[lang]] == fmt_number(0.9 * 2)  # tau * (y - pred)
    at = open_explorer(loss="cross_entropy", axis="prob")
    for lang in ("zh",):
        at.radio(key="lang").set_value(lang).run()
        assert at.radio(key=f"w.explorer.axis.{lang}").value == "prob"
        assert url(at, "loss") == "cross_entropy" and url(at, "axis") == "prob"


def test_page_switch_and_back_keeps_the_view():
    at = open_explorer(loss="focal", compare="bce", axis="prob")
    at.switch_page("app_pages/home.py").run()
    for name in list(at.query_params):  # Streamlit clears page-bound parameters on a menu click
        if name != "lang":
            del at.query_params[name]
    at.switch_page("app_pages/explorer.py").run()
    assert not at.exception
    assert loss_menu(at).value == "focal"
    assert at.radio(key="w.explorer.axis.en").value == "prob"
    assert at.button_group(key="w.explorer.compare.en").value == ["bce"]
    assert url(at, "loss") == "focal" and url(at, "axis") == "prob" and url(at, "compare") == "bce"


@pytest.mark.parametrize(
    "query, named",
    [
        ({"loss": "nope"}, "loss=nope"),
        ({"loss": "<script>alert(1)</script>", "compare": "mse,,nope,mse"}, "loss=<script>"),
        ({"axis": "sideways", "loss": "bce"}, "axis=sideways"),
        ({"compare": "mae,log_cosh,mse,quantile,smooth_l1"}, "compare=mae,log_cosh,mse,quantile,smooth_l1"),
        ({"loss": "huber", "compare": "bce"}, "compare=bce"),  # another family
        ({"compare": "huber"}, "compare=huber"),  # the loss itself
        ({"pred": "1e999", "delta": "abc"}, "pred=1e999"),
    ],
)
def test_hostile_or_malformed_urls_fall_back_with_a_notice(query, named):
    at = open_explorer(**query)
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert named in notices
    assert loss_menu(at).value in ("huber", query.get("loss"))


def test_compare_keeps_the_first_three_valid_losses():
    at = open_explorer(compare="mae,log_cosh,mse,quantile,smooth_l1")
    assert at.button_group(key="w.explorer.compare.en").value == ["mae", "log_cosh", "mse"]
    assert url(at, "compare") == "mae,log_cosh,mse"


def test_notices_on_the_chinese_page_are_all_chinese():
    at = open_explorer(loss="nope", delta="abc", lang="zh")
    text = " ".join(w.value for w in at.warning)
    assert "应为" in text and "以下之一" in text
    for english in ("one of", "a number", "Ignored", "expected"):
        assert english not in text


def test_chinese_page_uses_chinese_labels():
    at = open_explorer(lang="zh")
    assert not at.exception
    assert "损失 L" in readouts(at)


def test_focal_alpha_switch_off_equals_torchvision_alpha_minus_one():
    at = open_explorer(loss="focal", use_alpha="0", logit="-1", label="1")
    assert not at.exception
    z, y = torch.tensor([-1.0], dtype=torch.float64), torch.tensor([1.0], dtype=torch.float64)
    reference = sigmoid_focal_loss(z, y, alpha=-1, gamma=2.0, reduction="none")
    assert readouts(at)["Loss L"] == fmt_number(reference.item())
    assert any("alpha=-1" in code.value for code in at.code)
    assert not any(s.key == "w.explorer.alpha.en" for s in at.slider)  # no α slider when α is off


def test_hinge_takes_only_hard_labels_and_shows_zero_not_minus_zero():
    at = open_explorer(loss="hinge", label="0.5")
    slider = at.slider(key="w.explorer.label.en")
    assert slider.value in (0.0, 1.0)
    at = open_explorer(loss="hinge")  # z = 1, y = 1, m = 1: at the hinge, gradient 0
    assert readouts(at)["Gradient ∂L/∂z"] == "0"


@pytest.mark.parametrize("key", ["mse", "mae", "huber", "smooth_l1", "log_cosh", "quantile", "bce", "focal", "hinge",
                                 "squared_hinge", "cross_entropy", "focal_multiclass", "multi_margin", "kl_div"])
@pytest.mark.parametrize("axis", ["logit", "prob"])
def test_every_loss_renders(key, axis):
    at = open_explorer(loss=key, axis=axis)
    assert not at.exception
    assert len(readouts(at)) >= 2


def test_a_parameter_family_is_scrubbed_with_exact_torch_values_at_every_value():
    at = open_explorer(loss="huber", scrub="delta", pred="2", delta="1.5")
    assert not at.exception
    data = component_data(at.get("bidi_component")[0].proto.json)
    steps = data["steps"]
    assert steps["labels"][0] == "0.1" and steps["labels"][-1] == "5" and len(steps["labels"]) == 50
    assert steps["labels"][steps["active"]] == "1.5" and steps["traces"] == [0, 1]
    pred = torch.tensor([2.0], dtype=torch.float64)
    for index in (0, 14, 30, 49):
        delta = float(steps["labels"][index])
        p = pred.clone().requires_grad_(True)
        reference = F.huber_loss(p, torch.zeros(1, dtype=torch.float64), delta=delta, reduction="none")
        reference.sum().backward()
        assert data["values"][index] == [fmt_number(reference.item()), fmt_number(p.grad.item())]
        restyle, relayout = steps["frames"][index]
        assert set(restyle) == {"y"}  # the curves alone: the browser moves them without a replot
        assert relayout["shapes[1]"]["yanchor"] == pytest.approx(reference.item(), rel=1e-6)
    # the prediction is a server slider meanwhile, and δ has none
    labels = [s.label for s in at.slider]
    assert "prediction ŷ" in labels and not any("δ" in label for label in labels)
    assert url(at, "scrub") == "delta"


def test_a_link_scrubbing_a_parameter_the_loss_lacks_gets_a_notice():
    at = open_explorer(loss="mse", scrub="gamma")
    assert not at.exception
    assert any("scrub=gamma" in w.value for w in at.warning)
    assert "steps" in component_data(at.get("bidi_component")[0].proto.json)
    assert url(at, "scrub") is None


def test_a_server_slider_move_keeps_the_chart_mounted_and_sends_the_new_figure():
    at = open_explorer(loss="mse")
    spec_before = at.get("plotly_chart")[0].proto.spec
    assert component_data(at.get("bidi_component")[0].proto.json)["figure"] is None  # first paint: Streamlit draws
    at.slider(key="w.explorer.target.en").set_value(1.0).run()
    assert not at.exception
    assert at.get("plotly_chart")[0].proto.spec == spec_before  # same element: the browser does not rebuild it
    figure = component_data(at.get("bidi_component")[0].proto.json)["figure"]
    import numpy as np
    import plotly.io as pio
    loss_y = pio.from_json(json.dumps(figure), skip_invalid=True).data[0].y  # decodes plotly's typed arrays
    assert np.asarray(loss_y)[[0, 100, 200]] == pytest.approx([36.0, 1.0, 16.0])  # (pred - 1)^2 at -5, 0, 5
    at.switch_page("app_pages/explorer.py").run()  # the same view again: still the same element
    assert not at.exception


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_prediction_between_slider_steps_is_shown_and_linked_at_the_nearest_step(lang):
    at = open_explorer(loss="mse", pred="1.0123", lang=lang)
    assert not at.exception
    (notice,) = [w.value for w in at.warning if "pred=1.0123" in w.value]
    assert "1" in notice and ("nearest" in notice if lang == "en" else "最近" in notice)
    values = readouts(at)
    assert list(values.values())[0] == fmt_number(1.0)  # the readouts at ŷ = 1, exactly (MSE, y = 0)
    assert url(at, "pred") == "1"
