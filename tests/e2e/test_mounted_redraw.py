"""How a mounted chart takes a server rerun's figure (ui/scrub_readouts.py): the curves alone move
when every axis has a fixed range (the explorer, /training's curves), else a full Plotly.react
(plotly's animate with no redraw would leave an autoranged axis behind); either way every point
drawn stays inside its axes."""

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
    """The curves chart has fixed axes (lossviz.training_plots.fixed_ranges): the whole run's
    steps, and round tops that move only when the data outgrow them; every drawn point stays
    inside them while it trains."""
    open_app(page, app_url + "/training?steps=300&speed=5", timeout=120_000)
    page.get_by_role("button", name=re.compile("Play")).click()
    page.wait_for_function("() => { const g = document.querySelector('.st-key-training_curves .js-plotly-plot');"
                           " return g && g.data[0].x && g.data[0].x.length > 60; }", timeout=60_000)
    inside = page.evaluate("""() => { const g = document.querySelector('.st-key-training_curves .js-plotly-plot');
      const fl = g._fullLayout, out = [];
      for (const t of g.data) {
        const axis = fl['yaxis' + (t.yaxis && t.yaxis.length > 1 ? t.yaxis.slice(1) : '')];
        const log = axis.type === 'log', ys = Array.from(t.y).filter(Number.isFinite).map((v) => log ? Math.log10(v) : v);
        out.push([Math.max(...t.x) <= fl.xaxis.range[1], Math.min(...ys) >= axis.range[0] - 1e-9,
                  Math.max(...ys) <= axis.range[1] + 1e-9]);
      }
      return {out, x: fl.xaxis.range}; }""")
    assert inside["x"] == [0, 300]
    assert all(all(checks) for checks in inside["out"]), inside
    page.get_by_role("button", name=re.compile("Pause")).click()
