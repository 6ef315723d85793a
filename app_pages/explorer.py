"""Loss Explorer: pick a loss, move prediction, target and parameters; see loss and gradient.

Reads like a storyboard: settings from the URL -> controls -> metrics -> chart -> formula.
All maths is in lossviz.grads; all drawing in lossviz.plots.
"""

import streamlit as st

from lossviz import grads, plots, state
from lossviz.display import fmt_number, fmt_params
from lossviz.losses import LOSSES, Loss, get_loss
from ui.common import PLOT_CONFIG, show_url_notices, tr
from ui.perf import freeze_import_time_objects
from ui.url_state import drop_from_url, url_choice, url_slider

freeze_import_time_objects()  # torch is imported by now; see ui/perf.py

LOSS_KEYS = tuple(LOSSES)
SETTINGS = {
    s.name: s
    for s in state.explorer_settings(LOSS_KEYS, [p for loss in LOSSES.values() for p in loss.params])
}


@st.cache_data(max_entries=512, show_spinner=False)
def cached_curve(loss_key: str, params: tuple, label: float, axis: str) -> dict:
    """Arrays, not figures, are cached (a cached figure is unpickled on every hit)."""
    return grads.explorer_curve(get_loss(loss_key), label, dict(params), axis)


def loss_name(key: str) -> str:
    return tr(LOSSES[key].name_key)


def loss_controls() -> tuple[Loss, list[str], str, float, dict[str, float]]:
    """The loss, what to compare it with, the x-axis, the target and the loss's parameters."""
    loss_key = url_choice(
        SETTINGS["loss"], tr("explorer.loss"),
        format_func=lambda k: f"{tr('family.' + LOSSES[k].family)} · {loss_name(k)}",
    )
    loss = get_loss(loss_key)
    same_family = [k for k in LOSS_KEYS if LOSSES[k].family == loss.family and k != loss_key]
    compare = url_choice(
        SETTINGS["compare"], tr("explorer.compare"), format_func=loss_name, options=same_family,
        widget=st.multiselect, max_selections=state.MAX_COMPARE, placeholder=tr("explorer.compare.placeholder"),
    )
    axis = "logit"
    if grads.is_classification(loss):
        axis = url_choice(
            SETTINGS["axis"], tr("explorer.axis"), format_func=lambda a: tr("axis." + a),
            widget=st.radio, horizontal=True,
        )
    label = target_control(loss)
    params = {
        p.name: url_slider(SETTINGS[p.name], f"{p.symbol}  ({p.name})", tr(p.help_key))
        for p in loss.params
    }
    return loss, compare, axis, label, params


def takes_label(loss: Loss) -> bool:
    """Class-index multiclass losses have no label slider: the true class is class 0."""
    return not (loss.family == "multiclass" and not loss.accepts_soft_targets)


def target_control(loss: Loss) -> float:
    """The target (regression) or label (classification); class-index losses use class 0."""
    label_setting = state.INPUT_SETTINGS[loss.family][1]
    if not takes_label(loss):
        st.caption(tr("input.label.hard"))
        return 1.0
    return url_slider(label_setting, tr(f"input.{label_setting.name}.{loss.family}"),
                      tr(f"input.{label_setting.name}.help"))


def metrics(point: dict) -> None:
    columns = st.columns(4 if "prob" in point else 2)
    columns[0].metric(tr("metric.loss"), fmt_number(point["loss"]))
    grad_label = "metric.grad_logit" if "prob" in point else "metric.grad_pred"
    columns[1].metric(tr(grad_label), fmt_number(point["grad"]))
    if "prob" in point:
        columns[2].metric(tr("metric.prob"), fmt_number(point["prob"]))
        columns[3].metric(tr("metric.grad_prob"), fmt_number(point["grad_prob"]))


def chart(loss: Loss, compare: list[str], axis: str, label: float, params: dict, point: dict) -> None:
    curves = []
    for key, values in [(loss.key, params)] + [(k, LOSSES[k].defaults()) for k in compare]:
        shown = fmt_params(values, {p.name: p.symbol for p in LOSSES[key].params})
        name = loss_name(key) + (f" ({shown})" if shown else "")
        curves.append(plots.CurveSeries(name, **cached_curve(key, tuple(values.items()), label, axis)))
    x_kind = grads.x_kind(loss, axis)  # "pred", "logit" or "prob"
    x0, slope = (point["prob"], point["grad_prob"]) if x_kind == "prob" else (point["x"], point["grad"])
    tangent_x, tangent_y = grads.tangent_line(x0, point["loss"], slope, 0.12 if x_kind == "prob" else 1.2)
    current = plots.CurrentPoint(x0, point["loss"], slope, tangent_x, tangent_y)
    titles = plots.AxisTitles(x=tr("axis.title." + x_kind), loss=tr("chart.loss"), grad=tr("chart.grad_" + x_kind))
    st.plotly_chart(plots.loss_and_gradient_figure(curves, current, titles), config=PLOT_CONFIG,
                    theme=None, key="explorer_chart")


def formula_panel(loss: Loss, params: dict) -> None:
    """Formula and PyTorch one-liner, full width under the chart (LaTeX needs the room)."""
    st.caption(tr("explorer.caption"))
    st.markdown(f"**{loss_name(loss.key)}** — {tr(f'loss.{loss.key}.when')}")
    st.latex(loss.formula)
    st.code(loss.torch_code(**params), language="python")


st.title(tr("explorer.title"))
show_url_notices("explorer", SETTINGS.values())


@st.fragment
def live_view(loss_key: str, compare: tuple[str, ...], axis: str, label: float, params: tuple) -> None:
    """What the prediction slider changes. It reruns alone when the slider moves, so a drag
    re-sends one slider, the metrics and the chart, not the whole page."""
    loss, params = get_loss(loss_key), dict(params)
    x_setting = state.INPUT_SETTINGS[loss.family][0]
    x = url_slider(x_setting, tr("input." + x_setting.name), tr("input." + x_setting.name + ".help"))
    point = grads.explorer_point(loss, x, label, params)
    metrics(point)  # before the chart, so the numbers are sent first
    chart(loss, list(compare), axis, label, params, point)


@st.fragment
def explorer() -> None:
    left, right = st.columns([1, 2.2], gap="medium")
    with left:
        loss, compare, axis, label, params = loss_controls()
    with right:
        live_view(loss.key, tuple(compare), axis, label, tuple(params.items()))
        formula_panel(loss, params)
    x_setting, label_setting = state.INPUT_SETTINGS[loss.family]
    shown = {"loss", "compare", "axis", x_setting.name, *params}
    if takes_label(loss):
        shown.add(label_setting.name)
    drop_from_url(name for name in SETTINGS if name not in shown)  # keep shared links clean


explorer()
