"""AppTest of /classification: metrics against torch.nn.functional, every tab, hostile URLs, random widgets."""

import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from lossviz.display import fmt_number
from lossviz.i18n import t

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TABS = ("lab", "mse", "focal", "smoothing", "gradients", "margin")


def open_page(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/classification.py")
    return at.run()


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_metrics(z, y, eps, gamma, alpha, weight, temperature=1.0) -> dict[str, str]:
    s = torch.tensor([z], dtype=torch.float64) / temperature
    target = torch.tensor([y])
    ce = F.cross_entropy(s, target, reduction="none")
    w = torch.ones(len(z), dtype=torch.float64)
    w[y] = weight
    return {
        "Cross-entropy": fmt_number(ce.item()),
        "Smoothed CE": fmt_number(F.cross_entropy(s, target, label_smoothing=eps, reduction="none").item()),
        "Focal": fmt_number((alpha * (1 - torch.exp(-ce)) ** gamma * ce).item()),
        "Weighted CE": fmt_number(F.cross_entropy(s, target, weight=w, reduction="none").item()),
    }


def test_default_page_shows_the_four_losses_as_torch_computes_them():
    at = open_page()
    assert not at.exception
    # defaults: K = 4, z = (2, 1, 0.1, -1), y = 0, T = 1, eps = 0.1, gamma = 2, alpha = 0.25, w = 2
    assert metric_values(at) == expected_metrics([2.0, 1.0, 0.1, -1.0], 0, 0.1, 2.0, 0.25, 2.0)


def test_issue_deep_link_restores_every_value():
    at = open_page(k="4", z0="2", z1="1", z2="0.5", z3="-1", y="1", label_smoothing="0.1", gamma="2")
    assert not at.exception and not at.warning
    assert at.selectbox(key="w.classification.k.en").value == "4" and at.selectbox(key="w.classification.y.en").value == "1"
    assert metric_values(at) == expected_metrics([2.0, 1.0, 0.5, -1.0], 1, 0.1, 2.0, 0.25, 2.0)


def test_decomposition_line_shows_ce_equals_entropy_plus_kl():
    at = open_page(y="2")
    target = torch.full((4,), 0.1 / 4, dtype=torch.float64)
    target[2] += 0.9
    log_p = F.log_softmax(torch.tensor([2.0, 1.0, 0.1, -1.0], dtype=torch.float64), -1)
    kl = F.kl_div(log_p, target, reduction="sum").item()
    h = -(target * target.log()).sum().item()
    latex = " ".join(element.value for element in at.latex)
    assert f"{fmt_number(h + kl)} = {fmt_number(h)} + {fmt_number(kl)}" in latex


def test_temperature_divides_the_logits():
    at = open_page(temperature="2.5", z1="3")
    assert metric_values(at) == expected_metrics([2.0, 3.0, 0.1, -1.0], 0, 0.1, 2.0, 0.25, 2.0, temperature=2.5)


@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_tab_renders_in_both_languages(tab, lang):
    at = open_page(lang=lang, k="10")
    at.session_state["classification_tab"] = t(f"classification.tab.{tab}", lang)
    at.run()
    assert not at.exception
    assert at.get("plotly_chart"), "each tab draws a chart"


def test_focal_tab_shows_the_easy_hard_ratio():
    at = open_page(gamma="3")
    at.session_state["classification_tab"] = "Focal"
    at.run()
    values = list(metric_values(at).values())
    assert values[0] == f"{9 ** 3:.4g}×"


def test_smoothing_tab_shows_the_optimal_gap_and_infinity_without_smoothing():
    at = open_page(k="5", label_smoothing="0.2")
    at.session_state["classification_tab"] = "Smoothing"
    at.run()
    assert list(metric_values(at).values())[0] == fmt_number(math.log(5 * 0.8 / 0.2 + 1))
    at = open_page(label_smoothing="0")
    at.session_state["classification_tab"] = "Smoothing"
    at.run()
    assert not at.exception and list(metric_values(at).values())[0] == "∞"


def test_hinge_tab_matches_f_multi_margin_loss():
    at = open_page(y="1")
    at.session_state["classification_tab"] = "Hinge"
    at.run()
    z = torch.tensor([[2.0, 1.0, 0.1, -1.0]], dtype=torch.float64)
    expected = F.multi_margin_loss(z, torch.tensor([1]), margin=1.0, reduction="none").item()
    assert metric_values(at)["Multi-class hinge (margin 1)"] == fmt_number(expected)


@pytest.mark.parametrize("query, names", [
    ({"k": "99", "z0": "abc"}, ["k=99", "z0=abc"]),
    ({"y": "7"}, ["y=7"]),  # a class index, but K = 4
    ({"y": "<script>alert(1)</script>", "temperature": "0", "label_smoothing": "2"},
     ["y=<script>", "temperature=0", "label_smoothing=2"]),
    ({"gamma": "nan", "alpha": "-1", "weight": "1e999", "z9": "inf", "logits": "1e999,<b>"},
     ["gamma=nan", "alpha=-1", "weight=1e999", "z9=inf"]),
])
def test_hostile_urls_fall_back_with_notices(query, names):
    at = open_page(**query)
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for name in names:
        assert name in notices, notices
    assert metric_values(at)["Cross-entropy"] == expected_metrics([2.0, 1.0, 0.1, -1.0], 0, 0.1, 2.0, 0.25, 2.0)[
        "Cross-entropy"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    k=st.integers(2, 10),
    y=st.integers(0, 9),
    logits=st.lists(st.floats(-10, 10).map(lambda v: round(v, 1)), min_size=10, max_size=10),
    knobs=st.tuples(st.floats(0.1, 5).map(lambda v: round(v * 20) / 20), st.floats(0, 0.5).map(lambda v: round(v, 2)),
                    st.floats(0, 5).map(lambda v: round(v, 1)), st.floats(0, 1).map(lambda v: round(v * 20) / 20),
                    st.floats(0, 10).map(lambda v: round(v, 1))),
    tab=st.sampled_from(TABS),
)
def test_random_widget_values_never_raise_and_never_show_nan(k, y, logits, knobs, tab):
    at = open_page()
    at.selectbox(key="w.classification.k.en").set_value(str(k)).run()
    at.selectbox(key="w.classification.y.en").set_value(str(y % k))
    for i in range(k):
        at.slider(key=f"w.classification.z{i}.en").set_value(logits[i])
    for name, value in zip(("temperature", "label_smoothing", "gamma", "alpha", "weight"), knobs):
        at.slider(key=f"w.classification.{name}.en").set_value(max(at.slider(key=f"w.classification.{name}.en").min, value))
    at.session_state["classification_tab"] = t(f"classification.tab.{tab}", "en")
    at.run()
    assert not at.exception
    for label, value in metric_values(at).items():
        assert "nan" not in value.lower() and value != "—", (label, value)
