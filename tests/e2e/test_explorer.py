"""Loss Explorer in a real browser: slider -> metric, deep links, hostile URLs, both languages."""

import re

from e2e_harness import assert_no_exception, open_app, wait_for_app

SLIDER = '[data-testid="stSlider"] input[type="range"]'
PRED_SLIDER = '[data-testid="stSlider"] input[type="range"][aria-label="Prediction ŷ"]'
METRIC = '[data-testid="stMetricValue"]'


def metric_texts(page) -> list[str]:
    return page.locator(METRIC).all_inner_texts()


def test_explorer_default_shows_chart_metrics_and_formula(page, app_url):
    open_app(page, app_url + "/explorer")
    assert page.get_by_role("heading", name="Loss Explorer").is_visible()
    assert metric_texts(page)[:2] == ["1.0000", "1.0000"]  # huber, pred 1.5, target 0, delta 1
    assert page.locator(".js-plotly-plot").count() == 1
    assert page.locator('[data-testid="stCode"]').first.inner_text().startswith("F.huber_loss") or \
        "huber_loss" in page.locator('[data-testid="stCode"]').first.inner_text()
    assert_no_exception(page)


def test_arrow_key_on_prediction_slider_changes_loss_metric_and_url(page, app_url):
    open_app(page, app_url + "/explorer?loss=mse")
    before = metric_texts(page)[0]
    assert before == "2.2500"  # (1.5 - 0)^2
    page.locator(PRED_SLIDER).focus()
    page.keyboard.press("ArrowRight")  # pred 1.5 -> 1.55
    wait_for_app(page)
    assert metric_texts(page)[0] == "2.4025"
    assert re.search(r"pred=1\.55", page.url)
    assert_no_exception(page)


def test_deep_link_restores_loss_params_and_language(page, app_url):
    open_app(page, app_url + "/explorer?loss=huber&delta=0.5&pred=2&lang=zh")
    assert page.get_by_role("heading", name="损失函数探索").is_visible()
    # huber, r = 2, delta = 0.5: 0.5 * (2 - 0.25) = 0.875; gradient = delta = 0.5
    assert metric_texts(page)[:2] == ["0.8750", "0.5000"]
    assert "delta=0.5" in page.locator('[data-testid="stCode"]').first.inner_text()
    assert_no_exception(page)


def test_classification_link_shows_logit_and_probability_gradients(page, app_url):
    open_app(page, app_url + "/explorer?loss=bce&logit=0&axis=prob")
    # z = 0: p = 0.5, dL/dz = p - 1 = -0.5, dL/dp = -1/p = -2
    assert metric_texts(page) == ["0.6931", "-0.5000", "0.5000", "-2.0000"]
    assert "axis=prob" in page.url
    assert_no_exception(page)


def test_hostile_url_falls_back_with_notice_and_no_traceback(page, app_url):
    open_app(page, app_url + "/explorer?loss=nope&delta=abc&pred=1e999&compare=%3Cscript%3E&lang=xx")
    assert page.get_by_role("heading", name="Loss Explorer").is_visible()
    notices = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    for ignored in ("loss=nope", "delta=abc", "pred=1e999"):
        assert ignored in notices, notices
    assert metric_texts(page)[:2] == ["1.0000", "1.0000"]  # defaults
    assert_no_exception(page)


def test_compare_mode_draws_one_legend_entry_per_loss(page, app_url):
    open_app(page, app_url + "/explorer?loss=huber&compare=mse,mae,log_cosh")
    legend = page.locator(".js-plotly-plot .legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert sum("Huber" in t for t in legend) == 1
    assert len([t for t in legend if any(n in t for n in ("MSE", "MAE", "Log-cosh", "log-cosh", "Log-Cosh"))]) == 3
    assert_no_exception(page)
