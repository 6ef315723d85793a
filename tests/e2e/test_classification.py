"""Classification lab in a real browser: the issue's deep link, both languages, hostile links, a slider."""

import re

import torch
import torch.nn.functional as F
from e2e_harness import assert_no_exception, wait_for_app

from lossviz.display import fmt_number

METRIC = '[data-testid="stMetricValue"]'
DEEP_LINK = "/classification?k=4&z0=2&z1=1&z2=0.5&z3=-1&y=1&label_smoothing=0.1&gamma=2"


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


def torch_metrics(z, y, eps=0.1, gamma=2.0, alpha=0.25, weight=2.0) -> list[str]:
    s, target = torch.tensor([z], dtype=torch.float64), torch.tensor([y])
    ce = F.cross_entropy(s, target, reduction="none")
    w = torch.ones(len(z), dtype=torch.float64)
    w[y] = weight
    return [fmt_number(v.item()) for v in (
        ce, F.cross_entropy(s, target, label_smoothing=eps, reduction="none"),
        alpha * (1 - torch.exp(-ce)) ** gamma * ce, F.cross_entropy(s, target, weight=w, reduction="none"))]


def test_issue_deep_link_shows_the_values_torch_computes(page, app_url):
    open_drawn(page, app_url + DEEP_LINK)
    assert page.get_by_role("heading", name="Classification Lab").is_visible()
    assert page.locator(METRIC).all_inner_texts() == torch_metrics([2, 1, 0.5, -1], 1)
    assert page.locator(".js-plotly-plot").count() == 1
    assert_no_exception(page)


def test_deep_link_in_chinese(page, app_url):
    open_drawn(page, app_url + DEEP_LINK + "&lang=zh")
    assert page.get_by_role("heading", name="分类实验室").is_visible()
    assert page.get_by_text("平滑交叉熵").first.is_visible()
    assert page.locator(METRIC).all_inner_texts() == torch_metrics([2, 1, 0.5, -1], 1)
    assert_no_exception(page)


def test_hostile_link_shows_notices_not_tracebacks(page, app_url):
    open_drawn(page, app_url + "/classification?k=99&z0=abc&y=7&logits=1e999,%3Cb%3E&gamma=%3Cscript%3E")
    notices = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    for ignored in ("k=99", "z0=abc", "gamma=<script>"):
        assert ignored in notices, notices
    assert page.locator(METRIC).all_inner_texts() == torch_metrics([2, 1, 0.1, -1], 0)  # the defaults
    assert_no_exception(page)


def test_arrow_key_on_a_logit_slider_updates_metrics_and_url(page, app_url):
    open_drawn(page, app_url + DEEP_LINK)
    page.locator('[data-testid="stSlider"] input[type="range"][aria-label="z0"]').focus()
    page.keyboard.press("ArrowRight")  # z0 2.0 -> 2.1
    wait_for_app(page)
    assert page.locator(METRIC).all_inner_texts() == torch_metrics([2.1, 1, 0.5, -1], 1)
    assert re.search(r"z0=2\.1", page.url)
    assert_no_exception(page)
