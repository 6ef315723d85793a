"""AppTest of /llm: every tab renders, metrics equal lossviz.llm's numbers, hostile URLs never raise."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lossviz import state
from lossviz.display import fmt_number
from lossviz.llm import ctc_example, kl_fit, moe, next_token, rlhf

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_llm(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/llm.py")
    return at.run()


def slider_key(name: str, lang: str = "en") -> str:
    """Widget key of a /llm slider (ui.url_state: one widget per page, setting and language)."""
    return f"w.llm.{name}.{lang}"


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="module")
def default_page() -> AppTest:
    return open_llm()


def test_every_tab_renders_with_a_chart_and_metrics(default_page):
    at = default_page
    assert not at.exception
    assert len(at.tabs) == 8
    for tab in at.tabs:
        assert tab.get("plotly_chart"), tab.label
        assert tab.metric, tab.label
        assert tab.latex, tab.label  # every tab shows its formula


def test_default_metrics_are_the_library_numbers(default_page):
    values = metrics(default_page)
    lm = next_token.next_token_summary(2.0)
    assert values["Mean over real tokens"] == fmt_number(lm["masked_mean"])
    assert values["Perplexity e^CE"] == fmt_number(lm["perplexity"])
    assert values["Loss floor H(ỹ), V = 8"] == fmt_number(next_token.smoothing_floor(0.1, 8))
    assert values["CTC loss (this blend)"] == fmt_number(ctc_example.ctc_summary(0.0, 4.0)["loss"])
    assert values["KL(p‖q) at its fit"] == fmt_number(kl_fit.kl_fit_summary(6.0, 0.5)["forward_kl_at_forward"])
    assert values["Objective, A = +1"] == fmt_number(rlhf.ppo_point(1.3, 1.0, 0.2, 0.0)["objective"])
    assert values["Balancing loss N·Σ f·P"] == fmt_number(moe.moe_summary(0.0, 1.0)["balance"])


def test_deep_link_restores_sliders_and_numbers():
    at = open_llm(ls_eps="0.3", moe_collapse="1", ppo_ratio="0.5", lang="zh")
    assert not at.exception
    assert at.slider(key=slider_key("ls_eps", "zh")).value == 0.3
    values = metrics(at)
    assert values["损失下限 H(ỹ)，V = 8"] == fmt_number(next_token.smoothing_floor(0.3, 8))
    assert values["均衡损失 N·Σ f·P"] == fmt_number(moe.moe_summary(1.0, 1.0)["balance"])
    assert values["裁剪？A = −1"] == "已裁剪"  # r = 0.5 < 1 − ε with a negative advantage


def test_moving_a_slider_updates_its_tab():
    at = open_llm()
    at.slider(key=slider_key("mlm_rate")).set_value(0.5).run()
    assert not at.exception
    assert metrics(at)["MLM loss (masked only)"] == fmt_number(next_token.mlm_summary(0.5)["mlm_loss"])


@pytest.mark.parametrize("query", [
    {"ls_eps": "abc"},
    {"kl_sep": "1e309", "nce_tau": "-1"},
    {"mlm_rate": "<script>alert(1)</script>", "ppo_eps": "nan"},
    {"moe_scale": "99", "dpo_margin": ["1", "2", "x"]},
])
def test_hostile_urls_fall_back_with_a_notice(query):
    at = open_llm(**query)
    assert not at.exception
    assert at.warning, "a visible notice names what was ignored"
    defaults = {s.name: s.default for s in state.LLM_SETTINGS}
    for name in query:
        assert at.slider(key=slider_key(name)).value == defaults[name]
