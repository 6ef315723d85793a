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
  let box = parentElement.querySelector('.readouts');
  if (!box) { box = document.createElement('div'); box.className = 'readouts'; parentElement.appendChild(box); }
  const show = (i) => {
    box.setAttribute('data-index', String(i));
    box.innerHTML = '';
    data.labels.forEach((label, k) => {
      const card = document.createElement('div'); card.className = 'card';
      const l = document.createElement('div'); l.className = 'label'; l.textContent = label;
      const v = document.createElement('div'); v.className = 'value'; v.textContent = data.values[i][k];
      v.setAttribute('data-testid', 'scrubReadoutValue');
      card.appendChild(l); card.appendChild(v); box.appendChild(card);
    });
  };
  show(data.active);
  let tries = 0;
  const attach = () => {
    const gd = document.querySelector('.st-key-' + data.chart + ' .js-plotly-plot');
    if (!gd || typeof gd.on !== 'function') { if (tries++ < 100) setTimeout(attach, 50); return; }
    if (gd.__lossvizReadouts === data.token) return;
    gd.__lossvizReadouts = data.token;
    gd.on('plotly_sliderchange', (e) => show(e.slider.active));
    gd.on('plotly_sliderend', (e) => setStateValue('index', e.slider.active));
  };
  attach();
}
"""

_CSS = """
.readouts { display: flex; flex-wrap: wrap; gap: 0.4rem 1.6rem; margin: 0.1rem 0 0.2rem 0;
  font-family: var(--st-font, "Source Sans Pro", sans-serif); color: var(--st-text-color, #31333F); }
.card { min-width: 8.5rem; }
.label { font-size: 0.95rem; opacity: 0.8; white-space: nowrap; }
.value { font-size: 1.9rem; line-height: 1.2; font-variant-numeric: tabular-nums; white-space: nowrap; }
@media (max-width: 900px) { .card { min-width: 6.5rem; } .value { font-size: 1.45rem; } .label { font-size: 0.85rem; } }
"""

_component = st.components.v2.component("lossviz_scrub_readouts", js=_JS, css=_CSS)


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
