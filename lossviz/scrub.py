"""Client-side scrubbing: a slider that redraws a chart in the browser, with no server round trip.

The server computes every state the slider can reach (with torch, at exactly the slider's grid
points, so every number shown is an exact value, never an interpolation) and sends them once.
Each state is a *frame*: ``{"data": restyle, "layout": relayout}`` for the listed traces. Moving
the slider calls ``Plotly.update(graph, frame["data"], frame["layout"], trace_indices)`` in the
browser, which restyles those traces and relayouts annotations, shapes or axis ranges.

Two ways to carry the frames:

* ``scrub_steps`` (what the pages use): a plain payload for ``ui.scrub_readouts``, a
  components-v2 element that draws a native range input (mouse, touch and keyboard), the
  readout cards, and calls ``Plotly.update`` on the chart. The chart itself carries no slider,
  so a server rerun redraws it in about a third of the time (plotly's own slider lays out and
  measures every step's label on every redraw: about 80 ms for 201 steps, measured).
* ``add_scrubber``: plotly's own layout slider with ``method: "update"`` steps, inside the
  figure. Self-contained (no component needed: exports, notebooks, tests), but slow to redraw
  with many steps and without keyboard control. ``frames`` with ``method: "animate"`` do *not*
  redraw inside ``st.plotly_chart`` (verified on Streamlit 1.67), which is why frames are not used.

Used for: the explorer's prediction and its one-parameter curve families (/explorer), the
optimizer-path step scrubber (/surfaces), the replay of a finished training run (/training).

    figure = {"data": [curve_trace, marker_trace], "layout": {...}}   # shows frames[active]
    frames = [{"data": {"x": [[x_i]], "y": [[y_i]]}} for x_i, y_i in ...]
    steps = scrub_steps(frames, [f"{x:g}" for x in grid], active=3, trace_indices=[1], prefix="ŷ = ")
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

# The number of states one scrubber may carry: each is a few hundred numbers; more than this
# makes the first paint slow for no visible gain (the slider is only ~1000 px wide).
MAX_FRAMES = 1001
SLIDER_HEIGHT = 120  # pixels the slider, its ticks and its current-value readout take


def _plain(value: object) -> object:
    """JSON-friendly values: numpy arrays to lists (plotly.js reads base64 typed arrays in
    traces, but not inside slider arguments), and non-finite numbers to None (a gap), since
    JSON has no NaN. Hot path: a scrubber carries thousands of numbers, so no per-number numpy."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, np.floating):
        return _plain(float(value))
    if isinstance(value, np.integer):
        return int(value)
    return value


def _checked(frames: Sequence[dict], labels: Sequence[str], active: int) -> None:
    if len(frames) != len(labels):
        raise ValueError(f"frames and labels differ in length: {len(frames)} != {len(labels)}")
    if not 1 <= len(frames) <= MAX_FRAMES:
        raise ValueError(f"a scrubber takes 1 to {MAX_FRAMES} frames. Received: {len(frames)}")
    if not 0 <= active < len(frames):
        raise ValueError(f"active must be in [0, {len(frames) - 1}]. Received: active={active}")


def scrub_steps(
    frames: Sequence[dict],
    labels: Sequence[str],
    *,
    active: int = 0,
    prefix: str = "",
    trace_indices: Sequence[int] | None = None,
    plain: bool = False,
) -> dict:
    """The payload of a component-driven scrubber (``ui.scrub_readouts``): for every position
    *i*, ``[restyle, relayout]`` of ``frames[i]``, the slider's label, and where it starts.
    ``plain=True``: the frames already hold only Python lists, floats and None."""
    _checked(frames, labels, active)
    convert = (lambda v: v) if plain else _plain
    return {
        "frames": [[convert(f.get("data", {})), convert(f.get("layout", {}))] for f in frames],
        "labels": [str(label) for label in labels],
        "active": int(active),
        "prefix": prefix,
        "traces": None if trace_indices is None else [int(i) for i in trace_indices],
    }


def scrubber_slider(
    frames: Sequence[dict],
    labels: Sequence[str],
    *,
    active: int = 0,
    prefix: str = "",
    trace_indices: Sequence[int] | None = None,
    font_size: int = 16,
    plain: bool = False,
) -> dict:
    """A plotly layout slider: step *i* applies ``frames[i]`` ({"data": restyle, "layout": relayout}),
    the same steps ``scrub_steps`` gives the component-driven scrubber."""
    payload = scrub_steps(frames, labels, active=active, prefix=prefix, trace_indices=trace_indices, plain=plain)
    tail = [] if payload["traces"] is None else [payload["traces"]]
    steps = [{"method": "update", "label": label, "args": [*frame, *tail]}
             for frame, label in zip(payload["frames"], payload["labels"])]
    return {
        "active": int(active),
        "steps": steps,
        "currentvalue": {"prefix": prefix, "font": {"size": font_size}, "xanchor": "left"},
        "font": {"size": max(font_size - 4, 10)},
        "pad": {"t": 60, "b": 0},
        "len": 1.0,
        "x": 0.0,
        "transition": {"duration": 0},  # no tweening: each step shows exact values at once
    }


def add_scrubber(
    figure: dict,
    frames: Sequence[dict],
    labels: Sequence[str],
    *,
    active: int = 0,
    prefix: str = "",
    trace_indices: Sequence[int] | None = None,
    plain: bool = False,
) -> dict:
    """Return ``figure`` (a plotly JSON dict) with a client-side scrubber under it.

    ``frames[i]`` is {"data": {attr: [value per listed trace]}, "layout": {...}}: the restyle
    and relayout that step *i* applies to the traces ``trace_indices`` (all traces if None).
    The figure itself should already show ``frames[active]`` so the first paint agrees with
    the slider. ``plain=True``: the frames already hold only Python lists, floats and None
    (skips the conversion of numpy values and NaN). Adds bottom margin for the slider; the input figure is not modified.
    """
    slider = scrubber_slider(frames, labels, active=active, prefix=prefix, trace_indices=trace_indices, plain=plain,
                             font_size=int(figure.get("layout", {}).get("font", {}).get("size", 16)))
    layout = dict(figure.get("layout", {}))
    margin = dict(layout.get("margin", {}))
    # The slider hangs below the plot area, in the bottom margin, under the x-axis title.
    margin["b"] = int(margin.get("b", 50)) + SLIDER_HEIGHT
    layout["margin"] = margin
    layout["sliders"] = list(layout.get("sliders", [])) + [slider]
    layout["height"] = int(layout.get("height", 440)) + SLIDER_HEIGHT
    return {**figure, "layout": layout}


def at_step(figure: dict, index: int) -> dict:
    """``figure`` (from ``add_scrubber``, its last slider) drawn at slider step ``index``: the step's
    restyle applied to the traces it lists and the slider's ``active`` set, so a page can redraw
    the chart where the user let go without rebuilding it. The input figure is not modified."""
    layout = dict(figure["layout"])
    sliders = list(layout["sliders"])
    slider = dict(sliders[-1])
    steps = slider["steps"]
    if not 0 <= index < len(steps):
        raise ValueError(f"index must be in [0, {len(steps) - 1}]. Received: index={index}")
    args = steps[index]["args"]
    restyle = args[0]
    indices = args[2] if len(args) > 2 else list(range(len(figure["data"])))
    data = list(figure["data"])
    for position, trace_index in enumerate(indices):
        trace = dict(data[trace_index])
        for attr, values in restyle.items():
            value = values[position] if isinstance(values, list) and len(values) == len(indices) else values
            if value is None:
                trace.pop(attr, None)
            else:
                trace[attr] = value
        data[trace_index] = trace
    slider["active"] = int(index)
    layout["sliders"] = sliders[:-1] + [slider]
    return {**figure, "data": data, "layout": layout}
