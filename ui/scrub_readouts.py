"""A client-side scrubber and the readouts that follow it, in the browser (``lossviz.scrub``).

A small ``st.components.v2`` element (inline JS, no iframe). It draws:

* one card per readout (label over value, like ``st.metric``, wrapping onto more rows when the
  page is narrow, so no number is ever cut);
* with ``steps`` (``lossviz.scrub.scrub_steps``): a native range input with the current value
  beside it. Moving it (mouse, touch or arrow keys) calls ``Plotly.update`` on the chart inside
  ``st.container(key=chart_key)`` with that position's frame, and shows that position's
  readouts: exact numbers computed by torch on the server for every position and sent once.
  A frame's ``"shapes[k]": {attr: value}`` is merged into shape *k* and the whole ``shapes``
  array is relaid out: plotly then redraws the shapes alone (about 3 ms in chromium), where an
  attribute edit such as ``"shapes[1].xanchor"`` replots the whole figure (about 50 ms, 1000
  DOM changes), and ``"shapes[1]": {...}`` would insert a shape, not replace it;
* without ``steps``: it follows the plotly layout slider inside the chart (``add_scrubber``).

No server round trip happens during a drag. When the user lets go (the input's ``change``
event, or ``plotly_sliderend``), it reports the position to Python once
(``setStateValue("index", i)``), so the page can put the settled value into the URL. Arrow
keys fire ``change`` on every press; those reports wait until the keys rest for 300 ms.

A new figure from a server rerun (``figure``) is drawn into the chart Streamlit has already
mounted, with ``Plotly.react`` (a diff), while Streamlit is handed the same spec as before: a
``st.plotly_chart`` whose spec changes gets a new element id, so React unmounts it and plotly
draws it from nothing, then once more when Streamlit stores the drawn figure (~2,500 and ~1,000
DOM changes per slider move, measured); ``Plotly.react`` on the mounted graph changes only what
differs. See ``ui.charts.MountedChart``.

Why a range input rather than plotly's slider: plotly lays out and measures every step's label
on every redraw of the figure, which made each server rerun of a 201-step chart cost about 80 ms
more in the browser (measured in chromium); and plotly's slider has no keyboard control.
"""

from __future__ import annotations

import json
from typing import Callable, Sequence

import streamlit as st

_JS = r"""
// Plotly.animate with no redraw moves curves alone (a few paths), but does not autorange: use it
// only for traces whose every axis has a fixed range in ``layout``.
const onFixedAxes = (layout, traces) => traces.every((t) => [['x', t.xaxis], ['y', t.yaxis]].every(([letter, ref]) => {
  const axis = layout[letter + 'axis' + (ref && ref.length > 1 ? ref.slice(1) : '')];
  return axis && Array.isArray(axis.range) && axis.autorange !== true;
}));
const ANIMATE_NOW = {transition: {duration: 0}, frame: {duration: 0, redraw: false}, mode: 'immediate'};

export default function(component) {
  const { parentElement, setStateValue } = component;
  let root = parentElement.querySelector('.lv-scrub');
  if (!root) { root = document.createElement('div'); root.className = 'lv-scrub'; parentElement.appendChild(root); }
  // values, steps and figure arrive as JSON text (see the Python side): parse each once, and
  // again only when its text changed
  const parsed = root.__lvParsed || (root.__lvParsed = {});
  const unpack = (name, v) => {
    if (typeof v !== 'string') return v;
    if (!parsed[name] || parsed[name].text !== v) parsed[name] = {text: v, value: JSON.parse(v)};
    return parsed[name].value;
  };
  const raw = component.data;
  const data = Object.assign({}, raw, {values: unpack('values', raw.values), steps: unpack('steps', raw.steps),
                                       figure: unpack('figure', raw.figure)});
  root.__lvData = data;  // handlers below always read the newest data
  let box = root.querySelector('.lv-readouts');
  if (!box) { box = document.createElement('div'); box.className = 'lv-readouts'; root.appendChild(box); }
  const graph = () => document.querySelector('.st-key-' + root.__lvData.chart + ' .js-plotly-plot');
  const cards = (i) => {  // build the cards once; a step only changes their numbers
    const d = root.__lvData;
    if (box.getAttribute('data-labels') !== d.labels.join('|')) {
      box.innerHTML = '';
      d.labels.forEach((label) => {
        const card = document.createElement('div'); card.className = 'lv-card';
        const l = document.createElement('div'); l.className = 'lv-label'; l.textContent = label;
        const v = document.createElement('div'); v.className = 'lv-value';
        v.setAttribute('data-testid', 'scrubReadoutValue');
        card.appendChild(l); card.appendChild(v); box.appendChild(card);
      });
      box.setAttribute('data-labels', d.labels.join('|'));
    }
    box.setAttribute('data-index', String(i));
    if (d.values.length) box.querySelectorAll('.lv-value').forEach((v, k) => { v.textContent = d.values[i][k]; });
  };
  const steps = data.steps;
  let row = root.querySelector('.lv-scrub-row');
  if (steps && !row) {
    row = document.createElement('label'); row.className = 'lv-scrub-row';
    const current = document.createElement('span'); current.className = 'lv-scrub-value';
    current.setAttribute('data-testid', 'scrubValue');
    const input = document.createElement('input'); input.type = 'range'; input.min = '0'; input.step = '1';
    input.className = 'lv-scrub-input'; input.setAttribute('data-testid', 'scrubInput');
    row.appendChild(current); row.appendChild(input); root.appendChild(row);
    const move = (i) => {  // the readouts, the value beside the input, and the chart
      const s = root.__lvData.steps;
      cards(i);
      current.textContent = s.prefix + s.labels[i];
      const gd = graph();
      if (gd && window.Plotly) {
        const [restyle, step] = s.frames[i];
        const relayout = {};  // "shapes[k]": {changed attributes} -> a new shapes array (see above)
        let shapes = null;
        for (const [key, value] of Object.entries(step)) {
          const m = /^shapes\[(\d+)\]$/.exec(key);
          if (m && value && typeof value === 'object' && gd.layout.shapes) {
            shapes = shapes || gd.layout.shapes.slice();
            shapes[Number(m[1])] = Object.assign({}, shapes[Number(m[1])], value);
          } else relayout[key] = value;
        }
        if (shapes) relayout.shapes = shapes;
        const keys = Object.keys(restyle), indices = s.traces === null ? gd.data.map((t, k) => k) : s.traces;
        if (!keys.length) window.Plotly.relayout(gd, relayout);  // shapes and ranges only: no trace is recalculated
        else if (keys.every((k) => k === 'x' || k === 'y') && onFixedAxes(gd.layout, indices.map((k) => gd.data[k]))) {
          // new points on fixed axes (a curve family): the shapes, then the curves alone
          window.Plotly.relayout(gd, relayout);
          window.Plotly.animate(gd, {data: indices.map((k, j) => Object.fromEntries(keys.map((key) => [key, restyle[key][j]]))),
                                     traces: indices}, ANIMATE_NOW);
        } else window.Plotly.update(gd, restyle, relayout, s.traces === null ? undefined : s.traces);
      }
    };
    let settleTimer = null;
    input.addEventListener('input', () => move(Number(input.value)));
    input.addEventListener('change', () => {
      if (!root.__lvData.report) return;  // nobody on the server listens: no rerun
      clearTimeout(settleTimer);
      settleTimer = setTimeout(() => setStateValue('index', Number(input.value)), 300);
    });
  }
  if (data.figure) {  // a server rerun's new figure, drawn into the mounted chart (see the docstring)
    let waits = 0;
    const redraw = () => {
      const gd = graph(), d = root.__lvData;
      if (!d.figure || d.figure_token !== data.figure_token) return;  // a newer rerun took over
      if (!gd || !window.Plotly || !gd._fullLayout) { if (waits++ < 200) setTimeout(redraw, 25); return; }
      if (gd.__lvFigure === data.figure_token) return;
      gd.__lvFigure = data.figure_token;
      const fig = data.figure;
      // what must stay the same for the curves alone to move: the layout without its shapes
      // (axis ranges, titles, legend) and the traces without their points
      const frame = {layout: JSON.stringify(Object.assign({}, fig.layout, {shapes: null})),
                     traces: JSON.stringify(fig.data.map((t) => Object.assign({}, t, {x: null, y: null, name: null,
                                                                                       legendgroup: null})))};
      const last = gd.__lvDrawn;
      if (onFixedAxes(fig.layout, fig.data) && last && last.layout === frame.layout && last.traces === frame.traces
          && last.graphLayout === gd.layout && gd.data && gd.data.length === fig.data.length) {
        // same fixed axes, same traces: relay out the shapes (point, tangent) and animate the
        // curves with no redraw, so plotly moves the lines alone (about a third of a full redraw)
        window.Plotly.relayout(gd, {shapes: fig.layout.shapes || []});
        const renamed = fig.data.map((t, i) => i).filter((i) => gd.data[i].name !== fig.data[i].name);
        if (renamed.length)  // a parameter in the legend entry changed: the legend alone is redrawn
          window.Plotly.restyle(gd, {name: renamed.map((i) => fig.data[i].name),
                                     legendgroup: renamed.map((i) => fig.data[i].legendgroup)}, renamed);
        window.Plotly.animate(gd, {data: fig.data.map((t) => ({x: t.x, y: t.y})), traces: fig.data.map((t, i) => i)},
                              ANIMATE_NOW);
      } else {
        const layout = Object.assign({}, fig.layout, {width: gd.layout.width, height: gd.layout.height});
        window.Plotly.react(gd, fig.data, layout, gd._context);
      }
      gd.__lvDrawn = Object.assign(frame, {graphLayout: gd.layout});  // (a redraw by Streamlit replaces gd.layout)
    };
    redraw();
  }
  if (steps) {  // a server rerun: new frames, the position the URL holds
    const input = row.querySelector('input');
    input.max = String(steps.labels.length - 1);
    input.value = String(data.active);
    input.setAttribute('aria-label', data.input_label || steps.prefix);
    row.querySelector('.lv-scrub-value').textContent = steps.prefix + steps.labels[data.active];
    cards(data.active);
    return;
  }
  if (row) row.remove();
  cards(data.active);
  let tries = 0;
  const attach = () => {  // follow the plotly layout slider inside the chart
    const gd = graph();
    if (!gd || typeof gd.on !== 'function') { if (tries++ < 100) setTimeout(attach, 50); return; }
    if (gd.__lvReadouts && gd.__lvReadouts.token === data.token) return;
    if (gd.__lvReadouts && typeof gd.removeListener === 'function') {  // handlers of an older rerun
      gd.removeListener('plotly_sliderchange', gd.__lvReadouts.change);
      gd.removeListener('plotly_sliderend', gd.__lvReadouts.end);
    }
    const change = (e) => cards(e.slider.active);
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
.lv-scrub { font-family: var(--st-font, "Source Sans Pro", sans-serif); color: var(--st-text-color, #31333F); }
.lv-readouts { display: flex; flex-wrap: wrap; gap: 0.4rem 1.6rem; margin: 0.1rem 0 0.2rem 0; }
.lv-readouts:empty { display: none; }
.lv-card { min-width: 8.5rem; }
.lv-label { font-size: 0.95rem; opacity: 0.8; white-space: nowrap; }
.lv-value { font-size: 1.9rem; line-height: 1.2; font-variant-numeric: tabular-nums; white-space: nowrap; }
.lv-scrub-row { display: flex; align-items: center; gap: 0.8rem; margin: 0.3rem 0 0 0; }
.lv-scrub-value { font-size: 1.15rem; font-variant-numeric: tabular-nums; white-space: nowrap; min-width: 7.5rem; }
.lv-scrub-input { flex: 1; min-width: 8rem; height: 1.6rem; accent-color: #D55E00; cursor: ew-resize; }
@media (max-width: 900px) { .lv-card { min-width: 6.5rem; } .lv-value { font-size: 1.45rem; } .lv-label { font-size: 0.85rem; } }
"""

# Not in a shadow root (isolate_styles=False): tests and benchmarks find the values with plain
# selectors; the lv- prefix keeps our class names apart from Streamlit's.
_component = st.components.v2.component("lossviz_scrub_readouts", js=_JS, css=_CSS, isolate_styles=False)


def _json_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def scrub_readouts(
    chart_key: str, labels: Sequence[str], values: Sequence[Sequence[str]] | str, active: int,
    key: str, on_settle: Callable[[], None] | None = None, steps: dict | str | None = None,
    input_label: str = "", figure: dict | str | None = None,
) -> int | None:
    """Cards showing ``values[i]`` while the scrubber of the chart inside
    ``st.container(key=chart_key)`` is at position ``i``; with ``steps`` (from
    ``lossviz.scrub.scrub_steps``) also the scrubber itself, a range input labelled
    ``input_label`` for screen readers, starting at ``active``. ``values`` may be empty (a
    scrubber with no cards).
    ``figure`` (plotly JSON): drawn into the chart already mounted there, with ``Plotly.react``
    (see ``ui.charts.MountedChart``).
    ``values``, ``steps`` and ``figure`` may be given as JSON text already (a page that caches
    them): they travel as strings, so Streamlit's two ``json.dumps`` of the component's data
    (one to send, one sorted for its identity hash) only copy them, and the browser parses each
    once.
    Returns the position the user last let go at (or None), and calls ``on_settle`` when
    that changes; with no ``on_settle``, letting go causes no rerun at all."""
    if isinstance(steps, dict):
        active = steps["active"]
    values_text = _json_text([list(v) for v in values] if not isinstance(values, str) else values)
    figure_text = None
    if figure is not None:
        from ui.charts import figure_json
        figure_text = figure if isinstance(figure, str) else figure_json(figure)
    token = f"{key}:{active}:{hash(values_text)}"
    result = _component(
        data={"labels": list(labels), "values": values_text, "active": int(active),
              "chart": chart_key, "token": token, "steps": None if steps is None else _json_text(steps),
              "input_label": input_label, "report": on_settle is not None, "figure": figure_text,
              "figure_token": None if figure_text is None else hash(figure_text)},
        key=key, default={"index": None}, on_index_change=on_settle or (lambda: None),
    )
    return result.index


def component_data(proto_json: str) -> dict:
    """The data a scrub_readouts element carries, with its JSON-text parts parsed (for tests)."""
    data = json.loads(proto_json)
    for name in ("values", "steps", "figure"):
        if isinstance(data.get(name), str):
            data[name] = json.loads(data[name])
    return data
