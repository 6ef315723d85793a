"""Chart builder for /training's multi-task mode: step records in, one plotly figure dict out
(no Streamlit, no torch).

Four stacked panels share the step axis: each task's (scaled) loss, its held-out metric, the
weight the strategy puts on it, and its gradient norm on the shared trunk. Losses, weights and
gradient norms are on log axes: with one loss scaled 1000x they differ by orders of magnitude,
and "one task drowns the other" is a vertical gap of three decades. Colour is the task
(classification blue, regression vermilion), the dash is the run (A solid, B dashed), so A and B
overlay in every panel. Same conventions as ``lossviz.training_plots``: our TEMPLATE, large fonts,
float32 arrays, SVG traces, histories thinned to at most 400 points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .gan_plots import thin
from .plots import FONT_SIZE, OKABE_ITO, TEMPLATE, _array

TASKS = ("cls", "reg")  # = lossviz.train.multitask.TASKS (no torch import here)
TASK_COLORS = {"cls": OKABE_ITO[0], "reg": OKABE_ITO[4]}
RUN_DASH = {"A": "solid", "B": "dash"}
PANELS = (("loss", "log"), ("metric", "linear"), ("weight", "log"), ("grad", "log"))  # top to bottom


@dataclass(frozen=True)
class MultitaskTitles:
    """Translated labels, so the builder stays language-free."""

    step: str = "step"
    loss: str = "task loss Lᵢ (log)"
    metric: str = "held-out accuracy (cls), RMSE (reg)"
    weight: str = "weight wᵢ (log)"
    grad: str = "‖∇W wᵢLᵢ‖ on the trunk (log)"
    tasks: tuple[str, str] = ("classification", "regression")


def _series(history: Mapping[str, Sequence[float]], key: str, keep: list[int]) -> np.ndarray:
    values = np.asarray(history.get(key, []), dtype=np.float64)
    return _array(values[keep]) if len(values) else _array([])


def multitask_figure(histories: Mapping[str, Mapping[str, Sequence[float]]], titles: MultitaskTitles,
                     height: int = 720) -> dict:
    """``histories``: {run name ("A"/"B"): {record key: values per step}}, the columns of
    ``MultitaskTrainer.step`` records (``step``, ``loss_cls``, ``metric_reg``, ``weight_cls``,
    ``grad_reg``, ...). A run with no steps yet draws empty axes."""
    data = []
    task_names = dict(zip(TASKS, titles.tasks))
    for run, history in histories.items():
        keep = thin(history.get("step", []))
        x = _series(history, "step", keep)
        prefix = f"{run} · " if len(histories) > 1 else ""
        for task in TASKS:
            style = {"color": TASK_COLORS[task], "dash": RUN_DASH.get(run, "dot"), "width": 3.5 if run == "A" else 3}
            for i, (panel, _) in enumerate(PANELS):
                axis = "" if i == 0 else str(i + 1)
                data.append({"type": "scatter", "mode": "lines", "x": x, "y": _series(history, f"{panel}_{task}", keep),
                             "xaxis": "x", "yaxis": "y" + axis, "name": prefix + task_names[task],
                             "legendgroup": run + task, "showlegend": i == 0, "line": style})
    margin = {"l": 70, "r": 15, "t": 75, "b": 45}
    plot_height = max(1, height - margin["t"] - margin["b"])
    layout = {"height": height, "template": TEMPLATE, "font": {"size": FONT_SIZE}, "uirevision": "keep",
              "margin": margin, "hovermode": "x",
              "legend": {"orientation": "h", "yanchor": "bottom", "y": 1 + 30 / plot_height, "x": 0,
                         "font": {"size": FONT_SIZE}},
              "xaxis": {"anchor": "y4", "title": {"text": titles.step, "standoff": 4}, "rangemode": "tozero"},
              "annotations": []}
    gap = 0.075  # room for each panel's title above it
    panel_height = (1 - gap * (len(PANELS) - 1)) / len(PANELS)
    for i, (panel, scale) in enumerate(PANELS):
        axis = "" if i == 0 else str(i + 1)
        top = 1 - i * (panel_height + gap)
        yaxis = {"anchor": "x", "domain": [max(0.0, round(top - panel_height, 6)), round(top, 6)], "type": scale}
        if scale == "log":
            yaxis.update(log_ticks([v for trace in data if trace["yaxis"] == "y" + axis for v in trace["y"]]))
        else:
            yaxis.update({"nticks": 4, "rangemode": "tozero"})
        layout["yaxis" + axis] = yaxis
        layout["annotations"].append(
            {"text": f"<b>{getattr(titles, panel)}</b>", "xref": "paper", "yref": "paper", "x": 0, "y": top,
             "xanchor": "left", "yanchor": "bottom", "showarrow": False, "font": {"size": FONT_SIZE - 1}})
    return {"data": data, "layout": layout}


def log_ticks(values: Sequence[float], max_ticks: int = 5) -> dict:
    """Tick values and labels for a log axis: whole decades when the data span two or more
    (every other decade when they span many), else 1-2-5 or 1-3 steps; at most about ``max_ticks``.
    Plotly's own choice in a short panel labels every minor tick (2, 3, ..., 9) and overlaps."""
    positive = np.asarray([v for v in values if np.isfinite(v) and v > 0], dtype=np.float64)
    if positive.size == 0:
        return {}
    low, high = np.log10(positive.min()), np.log10(positive.max())
    first, last = int(np.floor(low)), int(np.ceil(high))
    if high - low >= 2:  # two decades or more: whole decades inside the data's range
        inner_first, inner_last = int(np.ceil(low - 1e-9)), int(np.floor(high + 1e-9))
        stride = int(np.ceil((inner_last - inner_first + 1) / max_ticks))
        ticks = [10.0 ** k for k in range(inner_first, inner_last + 1, stride)]
    else:
        for steps in ((1, 2, 5), (1, 3), (1,)):  # the finest of these that fits in max_ticks
            ticks = [m * 10.0 ** k for k in range(first - 1, last + 1) for m in steps]
            ticks = [t for t in ticks if 10 ** low / 2.5 <= t <= 10 ** high * 2.5]
            if len(ticks) <= max_ticks:
                break
    return {"tickvals": ticks, "ticktext": [_tick_label(t) for t in ticks]}


def _tick_label(value: float) -> str:
    exponent = int(np.floor(np.log10(value) + 1e-9))
    if -3 <= exponent <= 3:
        return f"{value:g}"
    mantissa = value / 10.0 ** exponent
    head = "" if abs(mantissa - 1) < 1e-9 else f"{mantissa:g}×"
    return f"{head}10<sup>{exponent}</sup>"
