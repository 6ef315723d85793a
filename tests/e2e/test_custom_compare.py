"""The loss typed on /custom, opened elsewhere in a real browser: "Compare in the explorer" from
/custom draws it in /explorer's chart with its own legend entry, in English and 简体中文.

Values are checked in tests/app_pages/test_custom_elsewhere.py; here only what a browser shows."""

from urllib.parse import quote

import pytest
from e2e_harness import assert_no_exception, open_app, wait_for_app

SLOW_MS = 150_000  # the first visit imports torch; on a loaded 2-core machine that took ~25 s
WORDS = {  # link label, explorer heading, legend entry of the typed loss, of the main loss
    "en": ("Compare in the explorer", "Loss Explorer", "Your loss (q=2)", "MSE"),
    "zh": ("在探索页中对比", "损失函数探索", "你的损失 (q=2)", "MSE"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_in_the_explorer_draws_the_typed_loss_with_its_legend_entry(page, app_url, lang):
    link_text, heading, entry, main = WORDS[lang]
    query = "expr=" + quote("abs(y - p)**q") + "&params=" + quote("q:1.5:0.5:4") + "&q=2&lang=" + lang
    open_app(page, app_url + "/custom?" + query, timeout=SLOW_MS)
    page.get_by_role("link", name=link_text).click()
    page.wait_for_url("**/explorer?**", timeout=SLOW_MS)
    wait_for_app(page, timeout=SLOW_MS)
    page.get_by_role("heading", name=heading).wait_for(timeout=SLOW_MS)
    legend = page.locator(".js-plotly-plot .legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert entry in legend  # the slider's q = 2 came along as the declared default
    assert any(main in text for text in legend) and len(legend) == 2
    assert "compare=custom" in page.url and "expr=" in page.url
    assert page.locator('[data-testid="stAlert"]').count() == 0  # nothing in the link was refused
    assert_no_exception(page)
