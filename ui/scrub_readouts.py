"""Readouts that follow a chart's client-side scrubber (``lossviz.scrub``), in the browser.

A small ``st.components.v2`` element (inline JS, no iframe): it draws one card per readout
(label over value, like ``st.metric``, wrapping onto more rows when the page is narrow, so no
number is ever cut), listens to the plotly slider of the chart in the container it is told
about, and on every step shows that step's values: exact numbers computed by torch on the
server for every slider position and sent once. No server round trip happens during a drag.

When the user lets go (``plotly_sliderend``), it reports the position to Python once
(``setStateValue("index", i)``), so the page can put the settled value into the URL.
"""

from __future__ import annotations

from typing import Callable, Sequence

import streamlit as st

_JS = """
export default function(component) {
  const { data, parentElement, setStateValue } = component;
  let box = parentElement.querySelector('.lv-readouts');
  if (!box) { box = document.createElement('div'); box.className = 'lv-readouts'; parentElement.appendChild(box); }
  const show = (i) => {  // build the cards once; a step only changes their numbers
    if (box.getAttribute('data-labels') !== data.labels.join('|')) {
      box.innerHTML = '';
      data.labels.forEach((label) => {
        const card = document.createElement('div'); card.className = 'lv-card';
        const l = document.createElement('div'); l.className = 'lv-label'; l.textContent = label;
        const v = document.createElement('div'); v.className = 'lv-value';
        v.setAttribute('data-testid', 'scrubReadoutValue');
        card.appendChild(l); card.appendChild(v); box.appendChild(card);
      });
      box.setAttribute('data-labels', data.labels.join('|'));
    }
    box.setAttribute('data-index', String(i));
    box.querySelectorAll('.lv-value').forEach((v, k) => { v.textContent = data.values[i][k]; });
  };
  show(data.active);
  let tries = 0;
  const attach = () => {
    const gd = document.querySelector('.st-key-' + data.chart + ' .js-plotly-plot');
    if (!gd || typeof gd.on !== 'function') { if (tries++ < 100) setTimeout(attach, 50); return; }
    if (gd.__lvReadouts && gd.__lvReadouts.token === data.token) return;
    if (gd.__lvReadouts && typeof gd.removeListener === 'function') {  // handlers of an older rerun
      gd.removeListener('plotly_sliderchange', gd.__lvReadouts.change);
      gd.removeListener('plotly_sliderend', gd.__lvReadouts.end);
    }
    const change = (e) => show(e.slider.active);
    const end = (e) => setStateValue('index', e.slider.active);
    gd.on('plotly_sliderchange', change);
    gd.on('plotly_sliderend', end);
    gd.__lvReadouts = {token: data.token, change, end};
  };
  attach();
  // If the chart was drawn anew after this ran, attach again when the user reaches for it.
  window.__lvAttach = window.__lvAttach || {};
  window.__lvAttach[data.chart] = () => { tries = 0; attach(); };
  if (!window.__lvAttachListening) {
    window.__lvAttachListening = true;
    document.addEventListener('pointerdown', (e) => {
      for (const [chart, again] of Object.entries(window.__lvAttach))
        if (e.target.closest && e.target.closest('.st-key-' + chart)) again();
    }, true);
  }
}
"""

_CSS = """
.lv-readouts { display: flex; flex-wrap: wrap; gap: 0.4rem 1.6rem; margin: 0.1rem 0 0.2rem 0;
  font-family: var(--st-font, "Source Sans Pro", sans-serif); color: var(--st-text-color, #31333F); }
.lv-card { min-width: 8.5rem; }
.lv-label { font-size: 0.95rem; opacity: 0.8; white-space: nowrap; }
.lv-value { font-size: 1.9rem; line-height: 1.2; font-variant-numeric: tabular-nums; white-space: nowrap; }
@media (max-width: 900px) { .lv-card { min-width: 6.5rem; } .lv-value { font-size: 1.45rem; } .lv-label { font-size: 0.85rem; } }
"""

# Not in a shadow root (isolate_styles=False): tests and benchmarks find the values with plain
# selectors; the lv- prefix keeps our class names apart from Streamlit's.
_component = st.components.v2.component("lossviz_scrub_readouts", js=_JS, css=_CSS, isolate_styles=False)


def scrub_readouts(
    chart_key: str, labels: Sequence[str], values: Sequence[Sequence[str]], active: int,
    key: str, on_settle: Callable[[], None] | None = None,
) -> int | None:
    """Cards showing ``values[i]`` while the scrubber of the chart inside
    ``st.container(key=chart_key)`` is at position ``i``. Returns the position the user last
    let go at (or None), and calls ``on_settle`` when that changes."""
    token = f"{key}:{active}:{len(values)}:{hash(tuple(values[active]))}"
    result = _component(
        data={"labels": list(labels), "values": [list(v) for v in values], "active": int(active),
              "chart": chart_key, "token": token},
        key=key, default={"index": None}, on_index_change=on_settle or (lambda: None),
    )
    return result.index
