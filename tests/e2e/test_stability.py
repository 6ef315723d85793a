"""Stability lab in a real browser: both languages, the ε tab's charts, hostile links."""

from e2e_harness import assert_no_exception, wait_for_app

CHARTS_DRAWN = """() => !document.querySelector('[data-testid="stSkeleton"]')
                        && document.querySelectorAll('.js-plotly-plot .main-svg').length > 0"""


# Headless chromium draws a frame only when something asks for one. An element whose JS chunk
# (plotly's) arrives after the run can stay a skeleton until then, and wait_for_app (which polls
# on timers) waits for it forever. Poll on animation frames first, then use the harness's wait.
DRAWN = """() => { const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute("data-test-script-state") === "notRunning"
    && !document.querySelector('[data-testid="stSkeleton"]')
    && document.querySelectorAll('.js-plotly-plot .main-svg, [data-testid="stTable"]').length > 0; }"""


def open_drawn(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_function(DRAWN, polling="raf", timeout=90_000)
    wait_for_app(page, timeout=60_000)


def test_default_table_marks_naive_overflow(page, app_url):
    open_drawn(page, app_url + "/stability")
    assert page.get_by_role("heading", name="Numerical Stability Lab").is_visible()
    tables = page.locator('[data-testid="stTable"]')
    assert tables.count() == 2
    assert "NaN ×2" in tables.first.inner_text()  # e^100 overflows float16, bfloat16, float32
    assert "-900.313" in tables.nth(1).inner_text()  # the float64 log-sum-exp truth
    assert_no_exception(page)


def test_epsilon_tab_in_chinese_draws_two_charts(page, app_url):
    open_drawn(page, app_url + "/stability?lang=zh&dtype=float16")
    assert page.get_by_role("heading", name="数值稳定性实验室").is_visible()
    page.get_by_role("tab", name="log(p + ε)、裁剪与 logit").click()
    page.wait_for_function(CHARTS_DRAWN, polling="raf", timeout=30_000)
    page.get_by_text("裁剪与 logit 对比（float16）").scroll_into_view_if_needed()  # the second chart
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2",
                           polling="raf", timeout=30_000)
    assert page.get_by_text("裁剪与 logit 对比（float16）").is_visible()
    assert_no_exception(page)


def test_hostile_link_shows_notices(page, app_url):
    open_drawn(page, app_url + "/stability?logits=1e999,%3Cb%3E&dtype=float8")
    notices = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    assert "logits=1e999,<b>" in notices and "dtype=float8" in notices, notices
    assert page.locator('[data-testid="stTextInput"] input').input_value() == "100, 99, -800"
    assert_no_exception(page)
