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
    layout = {"height": height, "template": TEMPLATE, "font": {"size": FONT_SIZE}, "uirevision": "keep",
              "margin": {"l": 70, "r": 15, "t": 40, "b": 45}, "hovermode": "x",
              "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "font": {"size": FONT_SIZE}},
              "xaxis": {"anchor": "y4", "title": {"text": titles.step, "standoff": 4}, "rangemode": "tozero"},
              "annotations": []}
    gap = 0.045
    panel_height = (1 - gap * (len(PANELS) - 1)) / len(PANELS)
    for i, (panel, scale) in enumerate(PANELS):
        axis = "" if i == 0 else str(i + 1)
        top = 1 - i * (panel_height + gap)
        layout["yaxis" + axis] = {"anchor": "x", "domain": [max(0.0, round(top - panel_height, 6)), round(top, 6)],
                                  "type": scale, "nticks": 5, "exponentformat": "power" if scale == "log" else "B",
                                  **({"rangemode": "tozero"} if scale == "linear" else {})}
        layout["annotations"].append(
            {"text": getattr(titles, panel), "xref": "paper", "yref": "paper", "x": 0.99, "y": top, "xanchor": "right",
             "yanchor": "top", "showarrow": False, "font": {"size": FONT_SIZE - 1}, "bgcolor": "rgba(255,255,255,0.85)"})
    return {"data": data, "layout": layout}
