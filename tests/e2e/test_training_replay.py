"""/training's replay in a real browser: dragging the replay slider redraws the boundary and the
readouts in the page with no server rerun (counted by the harness's websocket probe, as
tests/e2e/test_explorer.py does for the explorer's scrubber); letting go costs one rerun and the
chart stays where the user let go. English and Chinese. Also: the loss landscape on a button press."""

import re

import pytest

from e2e_harness import app_state, assert_no_exception, open_app, wait_for_app

CHART = ".st-key-training_replay_chart .js-plotly-plot"
READOUT = '[data-testid="scrubReadoutValue"]'
LABELS = {"en": {"step": "Step", "replay": "Replay", "landscape": "Loss landscape", "compute": "Compute the loss landscape"},
          "zh": {"step": "前进", "replay": "回放", "landscape": "损失地形", "compute": "计算损失地形"}}

# The boundary field's first rows (a fingerprint of what the chart shows) and the slider position.
_CHART_JS = """gd => ({z: JSON.stringify(gd.data[0].z.slice(0, 15)), active: gd._fullLayout.sliders[0].active,
                       steps: gd._fullLayout.sliders[0].steps.length, line: gd.data.find(t => t.mode === 'lines'
                       && t.x.length === 2 && t.x[0] === t.x[1]).x[0]})"""


def take_steps(page, lang: str, n: int) -> None:
    for _ in range(n):
        page.get_by_role("button", name=re.compile(LABELS[lang]["step"])).click()
        wait_for_app(page, timeout=60_000)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dragging_the_replay_slider_redraws_the_boundary_without_a_rerun(page, app_url, lang):
    open_app(page, app_url + f"/training?lang={lang}", timeout=120_000)
    take_steps(page, lang, 3)  # steps 0, 10, 20, 30: four snapshots
    page.get_by_text(LABELS[lang]["replay"], exact=True).click()
    wait_for_app(page, timeout=60_000)
    chart = page.locator(CHART)
    before = chart.evaluate(_CHART_JS)
    assert before["steps"] == 4 and before["active"] == 3 and before["line"] == 30
    assert page.locator(READOUT).first.inner_text() == "30"
    sends = app_state(page)["probe"]["sends"]
    page.locator(f"{CHART} .slider-rail-rect").scroll_into_view_if_needed()
    rail = page.locator(f"{CHART} .slider-rail-rect").bounding_box()
    grip = page.locator(f"{CHART} .slider-grip-rect").bounding_box()
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(rail["x"] + 2, grip["y"] + grip["height"] / 2, steps=8)
    during = chart.evaluate(_CHART_JS)
    assert during["active"] == 0 and during["line"] == 0  # the step-0 marker on the loss curves
    assert during["z"] != before["z"]  # the untrained boundary, drawn in the browser
    assert page.locator(READOUT).first.inner_text() == "0"
    assert app_state(page)["probe"]["sends"] == sends  # no rerun asked of the server while dragging
    page.mouse.up()
    wait_for_app(page, timeout=60_000)
    assert app_state(page)["probe"]["sends"] == sends + 1  # one, when the user let go
    after = page.locator(CHART).evaluate(_CHART_JS)
    assert after["active"] == 0 and after["z"] == during["z"]  # stays where the user let go
    assert page.locator(READOUT).first.inner_text() == "0"
    caption = page.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
    assert any(("4 snapshots" if lang == "en" else "4 个训练快照") in c for c in caption), caption
    assert_no_exception(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_loss_landscape_draws_both_planes_after_the_button(page, app_url, lang):
    open_app(page, app_url + f"/training?lang={lang}", timeout=120_000)
    take_steps(page, lang, 3)
    page.get_by_text(LABELS[lang]["landscape"], exact=True).click()
    wait_for_app(page, timeout=60_000)
    page.get_by_role("button", name=LABELS[lang]["compute"]).click()
    wait_for_app(page, timeout=60_000)
    contours = page.locator(".js-plotly-plot").last.evaluate(
        "gd => gd._fullData.filter(t => t.type === 'contour').map(t => t._length === undefined ? t.z.length : t.z.length)")
    assert contours == [21, 21]
    title = page.locator(".js-plotly-plot").last.evaluate("gd => gd._fullLayout.xaxis2.title.text")
    assert re.match(r"PC1[:：]", title), title
    assert_no_exception(page)
