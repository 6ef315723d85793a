"""AppTest of /stability: tables against F.log_softmax per dtype, hostile URLs and typed text, random inputs."""

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from lossviz import numerics
from lossviz.stability_display import fmt_value

APP = str(Path(__file__).resolve().parents[2] / "app.py")
DTYPES = ("float16", "bfloat16", "float32", "float64")


def open_page(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/stability.py")
    return at.run()


def detail_frame(at: AppTest):
    return at.table[1].value  # overview first, then the values in the chosen dtype


def test_default_page_shows_where_each_method_breaks():
    at = open_page()
    assert not at.exception and not at.warning
    overview = at.table[0].value
    assert overview.loc["naive exp / sum · softmax", "float32"] == "NaN ×2"  # e^100 overflows float32
    assert overview.loc["log-sum-exp · log-softmax"].tolist() == ["✓"] * 4


@pytest.mark.parametrize("dtype", DTYPES)
def test_log_sum_exp_row_shows_f_log_softmax_in_the_chosen_dtype(dtype):
    at = open_page(logits="1000,0,-5", dtype=dtype)
    assert not at.exception
    z = torch.tensor([1000.0, 0.0, -5.0], dtype=torch.float64).to(numerics.DTYPES[dtype])
    expected = [fmt_value(float(v)) for v in F.log_softmax(z, -1).to(torch.float64)]
    assert detail_frame(at).loc["log-sum-exp · log-softmax"].tolist() == expected
    truth = F.log_softmax(torch.tensor([1000.0, 0.0, -5.0], dtype=torch.float64), -1)
    assert detail_frame(at).loc["correct log-softmax (float64 log-sum-exp)"].tolist() == [fmt_value(float(v))
                                                                                          for v in truth]


@pytest.mark.parametrize("query, names", [
    ({"logits": "1e999,<b>"}, ["logits=1e999,<b>"]),
    ({"logits": ",".join(["1"] * 9), "dtype": "float8"}, ["logits=1,1,1", "dtype=float8"]),
    ({"logits": "<script>alert(1)</script>", "dtype": "<b>x</b>"}, ["logits=<script>", "dtype=<b>x</b>"]),
])
def test_hostile_urls_fall_back_with_notices(query, names):
    at = open_page(**query)
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for name in names:
        assert name in notices, notices
    assert at.text_input(key="url_logits").value == "100, 99, -800"
    assert len(detail_frame(at).columns) == 3


def test_typed_malformed_text_keeps_the_last_valid_logits_with_a_notice():
    at = open_page()
    at.text_input(key="url_logits").set_value("1, 2, 3").run()
    assert len(detail_frame(at).columns) == 3 and not at.warning
    at.text_input(key="url_logits").set_value("1e999, nope").run()
    assert not at.exception
    assert "1e999, nope" in " ".join(w.value for w in at.warning)
    assert detail_frame(at).loc["correct softmax (float64 log-sum-exp)"].tolist() == [
        fmt_value(float(v)) for v in torch.softmax(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), -1)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_epsilon_tab_draws_both_charts(lang):
    at = open_page(lang=lang, dtype="float16")
    at.session_state["stability_tab"] = at.tabs[1].label
    at.run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(logits=st.lists(st.floats(-1e4, 1e4).map(lambda v: round(v, 2)), min_size=2, max_size=8),
       dtype=st.sampled_from(DTYPES))
def test_random_logits_never_raise_and_stable_rows_never_show_nan(logits, dtype):
    at = open_page()
    at.text_input(key="url_logits").set_value(", ".join(f"{v:g}" for v in logits))
    at.radio(key="w.stability.dtype.en").set_value(dtype)
    at.run()
    assert not at.exception and not at.warning
    detail = detail_frame(at)
    for row in detail.index:
        if "naive" not in row:
            assert "NaN" not in detail.loc[row].tolist(), row
    assert "−inf" not in detail.loc["log-sum-exp · log-softmax"].tolist()
