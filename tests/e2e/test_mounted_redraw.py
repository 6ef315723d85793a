"""How a mounted chart takes a server rerun's figure (ui/scrub_readouts.py): the curves alone move
when every axis has a fixed range (the explorer), a full Plotly.react when an axis autoranges
(/training's growing curves): plotly's animate with no redraw would leave such an axis behind."""

import re

from e2e_harness import open_app, wait_for_app

_EXPLORER_JS = """() => { const g = document.querySelector('.st-key-explorer_chart .js-plotly-plot');
  return {y0: g.data[0].y[0], range: g._fullLayout.yaxis.range.slice(), layoutRef: g.layout === window.__lvLayout,
          cards: [...document.querySelectorAll('[data-testid="scrubReadoutValue"]')].map((e) => e.textContent)}; }"""


def test_a_target_move_animates_the_curves_on_kept_axes_and_a_link_reopens_the_same_chart(page, app_url):
    open_app(page, app_url + "/explorer?loss=mse&target=0.5&pred=-5")
    page.evaluate("() => { window.__lvLayout = document.querySelector('.st-key-explorer_chart .js-plotly-plot').layout; }")
    slider = page.locator('[data-testid="stSlider"] input[type="range"][aria-label="Target y"]')
    slider.focus()
    for _ in range(2):  # the first move redraws with Plotly.react (nothing drawn by the page yet)
        page.keyboard.press("ArrowRight")
        wait_for_app(page)
    page.evaluate("() => { window.__lvLayout = document.querySelector('.st-key-explorer_chart .js-plotly-plot').layout; }")
    page.keyboard.press("ArrowRight")  # target 0.65: (−5 − 0.65)² = 31.9225, same round axis
    wait_for_app(page)
    page.wait_for_function("() => Math.abs(document.querySelector('.st-key-explorer_chart .js-plotly-plot').data[0].y[0]"
                           " - 31.9225) < 1e-3")
    moved = page.evaluate(_EXPLORER_JS)
    assert moved["layoutRef"], "a move that keeps the axes must not replace the layout (no Plotly.react)"
    assert moved["cards"][0] == "31.9225"  # the readout at the scrubber's position, ŷ = −5
    # the same view from its link, drawn from nothing: the same y axis
    open_app(page, app_url + "/explorer?loss=mse&target=0.65&pred=-5")
    fresh = page.evaluate(_EXPLORER_JS)
    assert fresh["range"] == moved["range"] and fresh["cards"] == moved["cards"]


def test_growing_training_curves_keep_their_axes_around_the_data(page, app_url):
    open_app(page, app_url + "/training?steps=5000&speed=5", timeout=120_000)
    page.get_by_role("button", name=re.compile("Play")).click()
    page.wait_for_function("() => { const g = document.querySelector('.st-key-training_curves .js-plotly-plot');"
                           " return g && g.data[0].x && g.data[0].x.length > 40; }", timeout=60_000)
    last_x, x_range = page.evaluate("() => { const g = document.querySelector('.st-key-training_curves .js-plotly-plot');"
                                    " return [g.data[0].x[g.data[0].x.length - 1], g._fullLayout.xaxis.range]; }")
    assert x_range[1] >= last_x * 0.95  # the step axis followed the curve
    page.get_by_role("button", name=re.compile("Pause")).click()
