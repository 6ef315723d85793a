"""/training's multi-task mode in a real browser, in English and Chinese: a deep link opens the
mode, Play makes the run_every fragment tick (AppTest never ticks it), the chart's traces grow
while playing and stop growing after Pause, and no exception or traceback appears."""

import re

import pytest

from e2e_harness import assert_no_exception, open_app, wait_for_app

OPEN_TIMEOUT_MS = 150_000  # a first visit imports torch; on a shared, loaded CPU that took 30-60 s

# Points in the chart's first trace (A's classification loss, one per step), the number of
# charts, and the step counter of the status line ("Step 12 / 5000" or "第 12 / 5000 步").
_STATE_JS = """() => {
  const plots = document.querySelectorAll('.js-plotly-plot');
  const chart = plots[0];
  const n = chart && chart._fullData && chart._fullData[0] ? chart._fullData[0]._length : -1;
  const m = document.body.innerText.match(/(?:Step|第)\\s*(\\d+)\\s*\\/\\s*5000/);
  return {points: n, step: m ? Number(m[1]) : -1, charts: plots.length, traces: chart ? chart.data.length : 0};
}"""

LANGS = {  # play, pause, a strategy name shown in the menus, the panel title of the weights
    "en": ("Play", "Pause", "Uncertainty weighting", "weight wᵢ on Lᵢ"),
    "zh": ("开始", "暂停", "不确定性加权", "Lᵢ 的权重 wᵢ"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_multitask_mode_plays_updates_the_chart_and_pauses(page, app_url, lang):
    play, pause, strategy, weight_title = LANGS[lang]
    open_app(page, app_url + f"/training?mode=multitask&mt_steps=5000&mt_speed=5&lang={lang}",
             timeout=OPEN_TIMEOUT_MS)
    before = page.evaluate(_STATE_JS)
    assert before["step"] == 0 and before["charts"] == 1 and before["traces"] == 16, before
    menus = " ".join(page.locator('[data-testid="stSelectbox"] input').evaluate_all("els => els.map(e => e.value)"))
    assert strategy in menus, menus  # run B's default strategy
    assert page.get_by_text(weight_title).first.is_visible()

    page.get_by_role("button", name=re.compile(play)).click()
    page.wait_for_function(f"() => ({_STATE_JS})().step > 0", timeout=60_000)
    first = page.evaluate(_STATE_JS)
    # the ticks (not only the Play rerun) keep adding steps and points to the chart: one point per
    # step once a redraw has settled (while one is under way the chart is briefly absent, points -1)
    page.wait_for_function(f"() => {{ const s = ({_STATE_JS})(); "
                           f"return s.points > {first['points']} + 5 && s.points === s.step; }}", timeout=60_000)

    page.get_by_role("button", name=re.compile(pause)).click()
    page.get_by_role("button", name=re.compile(play)).wait_for(timeout=60_000)
    wait_for_app(page, timeout=60_000)
    page.wait_for_timeout(1000)
    stopped = page.evaluate(_STATE_JS)
    page.wait_for_timeout(1500)
    assert page.evaluate(_STATE_JS)["step"] == stopped["step"]  # paused: no more ticks
    assert "mode=multitask" in page.url and (lang == "en" or f"lang={lang}" in page.url)
    body = page.locator("body").inner_text()
    assert "NaN" not in body and "inf" not in body.lower().replace("info", "")
    assert_no_exception(page)


def test_hostile_multitask_link_shows_notices(page, app_url):
    open_app(page, app_url + "/training?mode=multitask&weighting=%3Cscript%3E&scale=1e99&gn_alpha_b=x",
             timeout=OPEN_TIMEOUT_MS)
    notices = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    for ignored in ("weighting=<script>", "scale=1e99", "gn_alpha_b=x"):
        assert ignored in notices, notices
    assert page.evaluate(_STATE_JS)["charts"] == 1
    assert_no_exception(page)
