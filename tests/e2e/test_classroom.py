"""Classroom in a real browser: presentation mode (PageDown steps a lesson, no sidebar, large
text, ?show= keeps only the named controls) in both languages, and random hostile links on
every page registered in app.py."""

from __future__ import annotations

import random
import urllib.parse

import pytest
from e2e_harness import assert_no_exception, open_app, wait_for_app

from lossviz.i18n import t
from lossviz.lessons import lessons
from tests.page_names import names_for
from ui.registered_pages import registered_pages

LESSON = "regression-robustness"
SLOW_MS = 120_000  # a cold server imports torch on the first /explorer run; CI machines are shared


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pagedown_steps_through_a_lesson(page, app_url, lang):
    open_app(page, f"{app_url}/?present=1&lesson={LESSON}&lang={lang}", timeout=SLOW_MS)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    root_px = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert root_px >= 20  # Streamlit's default is 16
    page.keyboard.press("PageDown")
    wait_for_app(page, timeout=SLOW_MS)
    assert "/explorer" in page.url and "step=1" in page.url and "loss=mse" in page.url
    assert t(f"classroom.lesson.{LESSON}.1", lang) in page.locator('[data-testid="stAlert"]').first.inner_text()
    assert page.locator('[data-testid="scrubReadoutValue"]').first.inner_text() == "4.0000"  # (2 - 0)^2
    page.keyboard.press("PageDown")
    wait_for_app(page, timeout=SLOW_MS)
    assert "step=2" in page.url
    assert page.locator('[data-testid="scrubReadoutValue"]').first.inner_text() == "16.0000"  # 4^2
    page.keyboard.press("PageUp")
    wait_for_app(page, timeout=SLOW_MS)
    assert "step=1" in page.url and f"lang={lang}" in page.url or lang == "en"
    assert_no_exception(page)


def test_show_keeps_only_the_named_controls(page, app_url):
    open_app(page, f"{app_url}/explorer?loss=huber&present=1&show=delta", timeout=SLOW_MS)
    assert page.locator(".st-key-w-explorer-delta-en [data-testid='stSlider']").is_visible()
    assert not page.locator(".st-key-w-explorer-target-en [data-testid='stSlider']").is_visible()
    assert not page.locator(".st-key-w-explorer-loss-en").is_visible()
    assert page.locator('[data-testid="stPlotlyChart"]').is_visible()
    assert_no_exception(page)


def random_query(rng: random.Random, page_names: list[str]) -> str:
    """Hostile values under the page's own URL names (tests/page_names.py) and some others."""
    names = page_names + ["loss", "compare", "pred", "delta", "x" * 40]
    values = ["nan", "-inf", "1e999", "", ",,", "<img src=x onerror=alert(1)>", "ü", "9" * 200,
              "huber,huber", "1", "0", "zh", "regression-robustness", "}</style>", "%",
              "__import__('os').system('id')", "(y - p)**2", "9**9**9", "c:1:0:1,c:2:0:1", "quiz", "-1",
              "1e-300", "0.001"]
    pairs = [(rng.choice(names), rng.choice(values)) for _ in range(rng.randint(1, 5))]
    return urllib.parse.urlencode(pairs)


@pytest.mark.parametrize("page_info", registered_pages(), ids=lambda p: p.name)
def test_random_hostile_links_show_no_traceback(page, app_url, page_info):
    rng = random.Random(f"classroom-{page_info.name}")
    page_names = names_for(page_info.script)
    for _ in range(3):
        open_app(page, f"{app_url}/{page_info.url_path}?{random_query(rng, page_names)}", timeout=SLOW_MS)
        assert_no_exception(page)
        assert not page.evaluate("!!document.querySelector('img[src=x]')")  # no HTML from the URL


def test_every_lesson_step_link_opens_without_notices(page, app_url):
    for steps in lessons().values():
        for step in steps:
            open_app(page, app_url + step.link(), timeout=SLOW_MS)
            assert_no_exception(page)
            assert page.locator('[data-testid="stAlert"]').count() == 0, step.link()
