"""/surfaces in a real browser: the step scrubber redraws with no server round trip, both
languages, a deep link restoring state, a hostile link showing notices."""

import re

import torch
from e2e_harness import assert_no_exception, open_app, wait_for_app

from lossviz.surface_data import regression_data

METRIC = '[data-testid="stMetricValue"]'
READOUT = ".js-plotly-plot g.annotation-text-g"
SCRUB = '[data-testid="scrubInput"]'
FIRST_RUN_MS = 120_000  # a server's first visit imports torch and computes a 100x100 grid: slow on a busy machine


def readout(page) -> str:
    return page.locator(READOUT).first.text_content()


def test_scrubber_moves_along_the_paths_in_the_browser_without_a_rerun(page, app_url):
    open_app(page, app_url + "/surfaces?opt=sgd,adam&steps=50", timeout=FIRST_RUN_MS)
    assert page.get_by_role("heading", name="Loss Surfaces and Optimizer Paths").is_visible()
    assert page.locator(".js-plotly-plot g.contourlayer").count() == 1
    assert readout(page).startswith("step 50")
    sends_before = page.evaluate("() => window.__stProbe.sends")
    page.locator(SCRUB).focus()
    page.keyboard.press("Home")  # step 0
    page.wait_for_function(f"() => document.querySelector('{READOUT}').textContent.startsWith('step 0')",
                           timeout=5_000)
    # at step 0 every path is at the start: each readout value is the start's loss (the first metric)
    start_loss = page.locator(METRIC).first.inner_text()
    values = re.findall(r"◆\s*([-\d.e+]+)", readout(page))
    assert values and all(abs(float(v) - float(start_loss)) < 1e-2 * abs(float(start_loss)) for v in values)
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__stProbe.sends") == sends_before, "the scrubber must not rerun the script"
    assert_no_exception(page)


def test_deep_link_restores_surface_loss_and_start_in_chinese(page, app_url):
    open_app(page, app_url + "/surfaces?surface=regression&reg_loss=mae&outliers=3&x0=1&y0=0.5&opt=adam&lang=zh", timeout=FIRST_RUN_MS)
    assert page.get_by_role("heading", name="损失曲面与优化路径").is_visible()
    metrics = page.locator(METRIC).all_inner_texts()
    assert metrics[2:] == ["0", "0", "—"]  # MAE: zero Hessian, no condition number
    x, y = regression_data(3)
    assert metrics[0] == f"{float(torch.nn.functional.l1_loss(1.0 * x + 0.5, y)):.4g}"  # w = 1, b = 0.5
    assert "surface=regression" in page.url and "reg_loss=mae" in page.url
    assert_no_exception(page)


def test_start_slider_changes_the_metric_and_the_url(page, app_url):
    open_app(page, app_url + "/surfaces?surface=saddle&opt=adam", timeout=FIRST_RUN_MS)
    before = page.locator(METRIC).first.inner_text()
    page.get_by_test_id("stSlider").filter(has_text="Start x").get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")  # x0: -1.8 -> -1.75
    wait_for_app(page, timeout=FIRST_RUN_MS)
    after = page.locator(METRIC).first.inner_text()
    assert after != before and float(after) == round(1.75**2 - 0.05**2, 4)  # x² − y² at the new start
    assert "x0=-1.75" in page.url
    assert_no_exception(page)


def test_hostile_link_shows_notices_and_no_traceback(page, app_url):
    open_app(page, app_url + "/surfaces?surface=%3Cscript%3E&opt=adam,,lbfgs&x0=abc&steps=1e999&lr_sgd=9&lang=xx", timeout=FIRST_RUN_MS)
    assert page.get_by_role("heading", name="Loss Surfaces and Optimizer Paths").is_visible()
    notices = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    for ignored in ("surface=<script>", "x0=abc", "steps=1e999", "lr_sgd=9"):
        assert ignored in notices, notices
    assert len(page.locator(METRIC).all_inner_texts()) == 5
    assert_no_exception(page)
