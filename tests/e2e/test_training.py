"""/training in a real browser: the run_every fragment really ticks (AppTest never ticks it),
deep links restore state in Chinese, hostile links show notices.

``test_play_ticks_...`` also measures chart updates per second while training: the number of
distinct states (length and newest step) of the loss-curve chart the browser drew in a 5-second
window (polled every animation frame); bench/refresh_rate.py measures it properly, against a bare ticker. It prints the figure (run pytest with -s to see it)."""

import re

from e2e_harness import assert_no_exception, open_app, wait_for_app

# Length of the first trace of the curves chart (batch loss, one point per step) and the step counter.
_CHART_STATE_JS = """() => {
  const plots = document.querySelectorAll('.js-plotly-plot');
  const curves = plots[1];
  const n = curves && curves._fullData && curves._fullData[0] ? curves._fullData[0]._length : -1;
  const m = document.body.innerText.match(/Step (\\d+) \\//);
  return {points: n, step: m ? Number(m[1]) : -1, charts: plots.length};
}"""

_COUNT_UPDATES_JS = """async (ms) => {
  const read = () => { const p = document.querySelectorAll('.js-plotly-plot')[1];  // length and newest step
                       const t = p && p._fullData && p._fullData[0];
                       return t && t._length > 0 ? `${t._length}:${t.x[t._length - 1]}` : -1; };
  let last = read(), updates = 0; const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await new Promise(r => requestAnimationFrame(r));
    const now = read();
    if (now !== -1 && now !== last) { updates += 1; last = now; }  // -1: chart being redrawn
  }
  return updates / (ms / 1000);
}"""


def test_play_ticks_the_step_counter_and_the_charts_then_pause_stops(page, app_url):
    open_app(page, app_url + "/training?steps=5000&speed=5", timeout=120_000)
    before = page.evaluate(_CHART_STATE_JS)
    assert before["step"] == 0 and before["charts"] >= 2
    page.get_by_role("button", name=re.compile("Play")).click()
    page.wait_for_function("() => /Step [1-9]\\d* \\//.test(document.body.innerText)", timeout=30_000)
    rate = page.evaluate(_COUNT_UPDATES_JS, 5000)
    print(f"\n/training chart updates per second while playing: {rate:.1f}")
    page.wait_for_function(f"() => ({_CHART_STATE_JS})().points > {before['points']}", timeout=30_000)
    during = page.evaluate(_CHART_STATE_JS)
    assert during["step"] > 0, (before, during)
    assert rate > 0
    page.get_by_role("button", name=re.compile("Pause")).click()
    page.get_by_role("button", name=re.compile("Play")).wait_for(timeout=60_000)
    wait_for_app(page, timeout=60_000)
    page.wait_for_timeout(1500)
    stopped = page.evaluate(_CHART_STATE_JS)
    page.wait_for_timeout(1500)
    assert page.evaluate(_CHART_STATE_JS)["step"] == stopped["step"]  # paused: no more ticks
    assert_no_exception(page)


def test_deep_link_restores_settings_in_chinese(page, app_url):
    open_app(page, app_url + "/training?dataset=regression&loss=huber&delta=0.5&outliers=0.3&lang=zh")
    assert page.get_by_role("heading", name="实时训练").is_visible()
    menus = " ".join(page.locator('[data-testid="stSelectbox"] input').evaluate_all("els => els.map(e => e.value)"))
    assert "一维回归" in menus and "Huber" in menus, menus
    page.get_by_role("button", name=re.compile("前进")).click()
    wait_for_app(page)
    page.wait_for_function("() => /第\\s*10\\s*\\/\\s*500/.test(document.body.innerText)", timeout=30_000)
    assert "delta=0.5" in page.url and "dataset=regression" in page.url
    assert_no_exception(page)


def test_hostile_link_shows_notices_and_falls_back(page, app_url):
    open_app(page, app_url + "/training?dataset=%3Cscript%3E&lr=abc&steps=1e99&ab=maybe")
    notices = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    for ignored in ("dataset=<script>", "lr=abc", "steps=1e99", "ab=maybe"):
        assert ignored in notices, notices
    menus = page.locator('[data-testid="stSelectbox"] input').evaluate_all("els => els.map(e => e.value)")
    assert menus[0] == "Two moons", menus
    assert_no_exception(page)
