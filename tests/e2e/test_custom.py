"""Custom Loss in a real browser: typing an expression, deep links in both languages, hostile input.

Values are checked in tests/test_custom_loss.py and tests/app_pages/test_custom_page.py; here
only what a browser shows: the URL follows what is typed, the NaN band is drawn, notices appear.
"""

from urllib.parse import quote

from e2e_harness import assert_no_exception, open_app, wait_for_app

METRIC = '[data-testid="stMetricValue"]'
SLOW_MS = 150_000  # the first visit imports torch; on a loaded 2-core machine that took ~25 s
EXPR_INPUT = 'input[aria-label="Loss ℓ(p, y) ="]'


def metric_texts(page) -> list[str]:
    return page.locator(METRIC).all_inner_texts()


def type_expression(page, text: str, selector: str = EXPR_INPUT) -> None:
    box = page.locator(selector)
    box.fill(text)
    box.press("Enter")
    wait_for_app(page, timeout=SLOW_MS)


def test_typing_an_expression_updates_metrics_and_the_url(page, app_url):
    open_app(page, app_url + "/custom", timeout=SLOW_MS)
    assert page.get_by_role("heading", name="Custom Loss").is_visible()
    type_expression(page, "(y - p)**2")
    assert metric_texts(page) == ["2.2500", "3.0000"]  # p = 1.5, y = 0: r^2 and 2r
    assert "expr=" in page.url and ("%2A%2A2" in page.url or "**2" in page.url)
    assert page.locator(".js-plotly-plot").count() == 1
    assert_no_exception(page)


def test_chinese_deep_link_restores_expression_with_nan_band(page, app_url):
    link = "/custom?expr=" + quote("sqrt(p - y)") + "&params=&target=0.5&pred=2&lang=zh"
    open_app(page, app_url + link, timeout=SLOW_MS)
    assert page.get_by_role("heading", name="自定义损失").is_visible()
    assert page.locator(EXPR_INPUT.replace("Loss", "损失")).input_value() == "sqrt(p - y)"
    assert metric_texts(page)[0] == "1.2247"  # sqrt(2 - 0.5)
    # the NaN/inf band: a shaded rect left of the target, labelled
    assert page.locator(".js-plotly-plot .layer-below .shapelayer path").count() >= 1
    notes = page.locator(".js-plotly-plot .annotation-text").evaluate_all("els => els.map(e => e.textContent)")
    assert "NaN / inf" in notes
    assert "对称" in page.locator("body").inner_text()
    assert_no_exception(page)


def test_hostile_link_and_hostile_typing_give_messages_not_tracebacks(page, app_url):
    hostile = "__import__('os').system('touch /tmp/pwned')"
    open_app(page, app_url + "/custom?expr=" + quote(hostile) + "&c=abc", timeout=SLOW_MS)
    notices = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    assert "expr=" in notices and "c=abc" in notices
    assert page.locator(EXPR_INPUT).input_value() == "log(1 + (y - p)**2 / c)"  # the default
    type_expression(page, "9**9**9")
    errors = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    assert "constant exponent" in errors
    assert page.locator(METRIC).count() == 0
    type_expression(page, "ｅｘｐ(p)")
    errors = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    assert "looks like e" in errors  # the full-width ｅ is named, with the ASCII letter to type
    assert_no_exception(page)
