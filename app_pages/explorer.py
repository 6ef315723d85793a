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


def controls() -> tuple[Loss, list[str], str, float, float, dict[str, float]]:
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
    x_setting, label_setting = state.INPUT_SETTINGS[loss.family]
    x = url_slider(x_setting, tr("input." + x_setting.name), tr("input." + x_setting.name + ".help"))
    shown = {"loss", "compare", "axis", x_setting.name, *(p.name for p in loss.params)}
    if loss.family == "multiclass" and not loss.accepts_soft_targets:
        label = 1.0  # class-index loss: the true class is class 0
        st.caption(tr("input.label.hard"))
    else:
        shown.add(label_setting.name)
        label = url_slider(label_setting, tr(f"input.{label_setting.name}.{loss.family}"),
                             tr(f"input.{label_setting.name}.help"))
    params = {
        p.name: url_slider(SETTINGS[p.name], f"{p.symbol}  ({p.name})", tr(p.help_key))
        for p in loss.params
    }
    drop_from_url(name for name in SETTINGS if name not in shown)  # keep shared links clean
    return loss, compare, axis, x, label, params


def metrics(loss: Loss, point: dict) -> None:
    columns = st.columns(4 if "prob" in point else 2)
    columns[0].metric(tr("metric.loss"), fmt_number(point["loss"]))
    grad_label = "metric.grad_logit" if "prob" in point else "metric.grad_pred"
    columns[1].metric(tr(grad_label), fmt_number(point["grad"]))
    if "prob" in point:
        columns[2].metric(tr("metric.prob"), fmt_number(point["prob"]))
        columns[3].metric(tr("metric.grad_prob"), fmt_number(point["grad_prob"]))


def chart(loss: Loss, compare: list[str], axis: str, label: float, params: dict, point: dict) -> None:
    symbols = {p.name: p.symbol for p in loss.params}
    curves = []
    for key, values in [(loss.key, params)] + [(k, LOSSES[k].defaults()) for k in compare]:
        shown = fmt_params(values, {p.name: p.symbol for p in LOSSES[key].params} if key != loss.key else symbols)
        name = loss_name(key) + (f" ({shown})" if shown else "")
        curves.append(plots.CurveSeries(name, **cached_curve(key, tuple(values.items()), label, axis)))
    on_prob_axis = grads.is_classification(loss) and axis == "prob"
    x0, slope = (point["prob"], point["grad_prob"]) if on_prob_axis else (point["x"], point["grad"])
    half_width = 0.12 if on_prob_axis else 1.2
    tangent_x, tangent_y = grads.tangent_line(x0, point["loss"], slope, half_width)
    current = plots.CurrentPoint(x0, point["loss"], slope, tangent_x, tangent_y)
    x_title = "axis.title." + ("prob" if on_prob_axis else ("logit" if grads.is_classification(loss) else "pred"))
    titles = plots.AxisTitles(
        x=tr(x_title), loss=tr("chart.loss"), tangent=tr("chart.tangent"), point=tr("chart.point"),
        grad=tr("chart.grad_prob" if on_prob_axis else ("chart.grad_logit" if grads.is_classification(loss) else "chart.grad_pred")),
    )
    st.plotly_chart(plots.loss_and_gradient_figure(curves, current, titles), config=PLOT_CONFIG,
                    theme=None, key="explorer_chart")


def formula_panel(loss: Loss, params: dict) -> None:
    st.markdown(f"**{loss_name(loss.key)}** — {tr(f'loss.{loss.key}.when')}")
    st.latex(loss.formula)
    st.code(loss.torch_code(**params), language="python")


st.title(tr("explorer.title"))
st.caption(tr("explorer.caption"))
show_url_notices("explorer", SETTINGS.values())


@st.fragment
def explorer() -> None:
    left, right = st.columns([1, 2.2], gap="medium")
    with left:
        loss, compare, axis, x, label, params = controls()
    point = grads.explorer_point(loss, x, label, params)
    with right:
        metrics(loss, point)  # first, so the numbers update before the chart is redrawn
        chart(loss, compare, axis, label, params, point)
        formula_panel(loss, params)


explorer()
