"""Loss Explorer: pick a loss, move prediction, target and parameters; see loss and gradient.

Reads like a storyboard: the page's view (URL or remembered) -> controls -> readouts + chart
-> formula -> URL. All maths is in lossviz.grads; all drawing in lossviz.plots; the view
mechanism (survives language and page switches) in ui.url_state.

The prediction (or logit) is scrubbed in the browser: torch computes the loss and gradients
at every position of its slider once, and the slider under the chart moves the point, the
tangent and the readouts with no server round trip (lossviz.scrub, ui.scrub_readouts).

A regression loss can be compared with the loss typed on /custom ("custom" in ``?compare=``,
its text in ``?expr=`` and ``?params=``, drawn at its declared defaults): ui.custom_inputs.
"""

import streamlit as st

from lossviz import grads, plots, state
from lossviz.custom_loss import custom_loss, parse_param_declarations
from lossviz.display import fmt_number, fmt_params
from lossviz.expr import ExprError
from lossviz.losses import LOSSES, Loss, explorer_keys, get_loss
from ui import custom_inputs, url_state
from ui.charts import plotly_chart
from ui.common import PLOT_CONFIG, lang, tr
from ui.perf import freeze_import_time_objects
from ui.scrub_readouts import scrub_readouts

freeze_import_time_objects()  # torch is imported by now; see ui/perf.py

PAGE = "explorer"
LOSS_KEYS = tuple(explorer_keys())  # the losses with a one-dimensional view
SETTINGS = {
    s.name: s
    for s in state.explorer_settings(LOSS_KEYS, [p for key in LOSS_KEYS for p in LOSSES[key].params])
}
HARD_LABEL = state.float_setting("label", 1.0, 0.0, 1.0, 1.0)  # hinge: y is 0 or 1, nothing between
CHART = "explorer_chart"


@st.cache_data(max_entries=512, show_spinner=False)
def cached_points(loss_key: str, params: tuple, label: float) -> dict:
    """Loss and gradients at every position of the input slider. Arrays, not figures, are
    cached (a cached figure is unpickled on every hit)."""
    loss = get_loss(loss_key)
    x_setting = state.INPUT_SETTINGS[loss.family][0]
    xs = grads.slider_grid(x_setting.low, x_setting.high, x_setting.step)
    return grads.explorer_points(loss, xs, label, dict(params))


@st.cache_data(max_entries=256, show_spinner=False)
def cached_custom_points(expr: str, declared: str, label: float) -> dict:
    """``cached_points`` for the typed loss, at its declared defaults (``ExprError`` if out of time)."""
    loss = custom_loss(expr, parse_param_declarations(declared, state.CUSTOM_RESERVED))
    x_setting = state.INPUT_SETTINGS[loss.family][0]
    xs = grads.slider_grid(x_setting.low, x_setting.high, x_setting.step)
    return grads.explorer_points(loss, xs, label, loss.defaults())


def loss_name(key: str) -> str:
    return tr("loss.custom.name") if key == state.CUSTOM_KEY else tr(LOSSES[key].name_key)


def choice(name: str, label: str, format_func, **kwargs) -> object:
    return url_state.choice(PAGE, SETTINGS[name], label, lang(), format_func, **kwargs)


def loss_controls() -> tuple[Loss, list[str], str, float, dict[str, float], set[str]]:
    """The loss, what to compare it with, the x-axis, the target, the loss's parameters,
    and the names of the settings these controls show."""
    loss = get_loss(choice("loss", tr("explorer.loss"),
                           lambda k: f"{tr('family.' + LOSSES[k].family)} · {loss_name(k)}"))
    same_family = [k for k in LOSS_KEYS if LOSSES[k].family == loss.family and k != loss.key]
    if loss.family == "regression":  # the loss typed on /custom takes (prediction, target) too
        same_family.append(state.CUSTOM_KEY)
    asked = len(url_state.view(PAGE)["compare"])  # a fourth click is undone, and said so
    compare = choice("compare", tr("explorer.compare"), loss_name, options=same_family,
                     widget=st.pills, selection_mode="multi")
    if asked > state.MAX_COMPARE:
        st.caption(tr("explorer.compare.max", n=state.MAX_COMPARE))
    shown = {"loss", "compare"}
    axis = "logit"
    if grads.is_classification(loss):
        axis = choice("axis", tr("explorer.axis"), lambda a: tr("axis." + a), widget=st.radio, horizontal=True)
        shown.add("axis")
    label = target_control(loss)
    if takes_label(loss):
        shown.add(state.INPUT_SETTINGS[loss.family][1].name)
    params, switches = {}, {}
    for p in loss.params:
        switch = state.OFF_SWITCHES.get(p.name)
        if switch:
            switches[switch] = url_state.flag(PAGE, SETTINGS[switch], tr(f"param.{switch}"), lang(),
                                              tr(f"param.{switch}.help"))
            shown.add(switch)
            if not switches[switch]:
                params[p.name] = SETTINGS[p.name].default
                continue
        params[p.name] = url_state.slider(PAGE, SETTINGS[p.name], f"{p.symbol}  ({p.name})", lang(), tr(p.help_key))
        shown.add(p.name)
    return loss, compare, axis, label, state.loss_param_values(params, switches), shown


def takes_label(loss: Loss) -> bool:
    """Class-index multiclass losses have no label slider: the true class is class 0."""
    return not (loss.family == "multiclass" and not loss.accepts_soft_targets)


def target_control(loss: Loss) -> float:
    """The target (regression) or label (classification); class-index losses use class 0."""
    label_setting = state.INPUT_SETTINGS[loss.family][1]
    if not takes_label(loss):
        st.caption(tr("input.label.hard"))
        return 1.0
    text = tr(f"input.{label_setting.name}.{loss.family}")
    if loss.hard_labels:  # t = 2y − 1 must be ±1: a soft label would make the loss flat
        value = url_state.view(PAGE)[label_setting.name]
        if value not in (0.0, 1.0):
            url_state.set_value(PAGE, label_setting.name, float(value >= 0.5))
        return url_state.slider(PAGE, HARD_LABEL, tr("input.label.hard_binary"), lang(), tr("input.label.hard_help"))
    return url_state.slider(PAGE, label_setting, text, lang(), tr(f"input.{label_setting.name}.help"))


def readout_table(loss: Loss, axis: str, points: dict) -> tuple[list[str], list[list[str]]]:
    """Labels and, for every slider position, the formatted readouts."""
    if "prob" not in points:
        labels = [tr("metric.loss"), tr("metric.grad_pred")]
        columns = [points["loss"], points["grad"]]
    else:
        labels = [tr("metric.loss"), tr("metric.grad_logit"), tr(f"metric.prob.{loss.family}"), tr("metric.grad_prob")]
        columns = [points["loss"], points["grad"], points["prob"], points["grad_prob"]]
    rows = [[fmt_number(float(v)) for v in row] for row in zip(*columns)]
    return labels, rows


def custom_series(custom: tuple[str, str] | None, label: float) -> plots.CurveSeries | None:
    """The typed loss's curve (regression only), or None if it is not valid or ran out of time."""
    if custom is None:
        return None
    try:
        pts = cached_custom_points(*custom, label)
    except ExprError as err:
        custom_inputs.failed(err)
        return None
    params = parse_param_declarations(custom[1], state.CUSTOM_RESERVED)
    shown = fmt_params({p.name: p.default for p in params}, {p.name: p.symbol for p in params})
    return plots.CurveSeries(loss_name(state.CUSTOM_KEY) + (f" ({shown})" if shown else ""),
                             pts["x"], pts["loss"], pts["grad"])


def chart_figure(loss: Loss, compare: list[str], axis: str, label: float, params: dict, active: int,
                 custom: tuple[str, str] | None = None) -> dict:
    x_kind = grads.x_kind(loss, axis)  # "pred", "logit" or "prob"
    prob_axis = x_kind == "prob"
    curves = []
    for key, values in [(loss.key, params)] + [(k, LOSSES[k].defaults()) for k in compare if k in LOSSES]:
        if key == state.CUSTOM_KEY:
            continue
        pts = cached_points(key, tuple(values.items()), label)
        # compared losses use their defaults (the control says so): only the main one lists its values
        shown = fmt_params(values, {p.name: p.symbol for p in LOSSES[key].params}) if key == loss.key else ""
        name = loss_name(key) + (f" ({shown})" if shown else "")
        x = pts["prob"] if prob_axis else pts["x"]
        curves.append(plots.CurveSeries(name, x, pts["loss"], pts["grad_prob"] if prob_axis else pts["grad"]))
    typed = custom_series(custom, label) if state.CUSTOM_KEY in compare and not prob_axis else None
    if typed is not None:  # in the compare list's order, like the others
        curves.insert(1 + compare.index(state.CUSTOM_KEY), typed)
    main = cached_points(loss.key, tuple(params.items()), label)
    x_setting = state.INPUT_SETTINGS[loss.family][0]
    point = plots.ScrubbedPoint(
        x=main["prob"] if prob_axis else main["x"], loss=main["loss"],
        grad=main["grad_prob"] if prob_axis else main["grad"],
        labels=[f"{v:g}" for v in main["x"]], active=active, prefix=tr(f"scrub.prefix.{x_setting.name}"),
    )
    titles = plots.AxisTitles(x=tr(f"axis.title.{x_kind}.{loss.family}"), loss=tr("chart.loss"),
                              grad=tr("chart.grad_" + x_kind))
    x_range = (0.0, 1.0) if prob_axis else (x_setting.low, x_setting.high)
    return plots.scrubbed_loss_figure(curves, point, titles, x_range, height=400)


def formula_panel(loss: Loss, params: dict) -> None:
    """Formula and PyTorch one-liner, full width under the chart (LaTeX needs the room)."""
    st.markdown(f"**{loss_name(loss.key)}** — {tr(f'loss.{loss.key}.when')}")
    st.latex(loss.formula)
    if loss.options:
        st.caption(tr("explorer.options_note", names=", ".join(loss.options)))
    st.code(loss.torch_code(**params), language="python")


@st.fragment
def live_view(loss_key: str, compare: tuple[str, ...], axis: str, label: float, params: tuple,
              shown: tuple[str, ...], custom: tuple[str, str] | None = None) -> None:
    """Readouts and chart. Scrubbing happens in the browser; when the user lets go, only this
    fragment reruns, to put the settled value into the URL."""
    loss, params = get_loss(loss_key), dict(params)
    x_setting = state.INPUT_SETTINGS[loss.family][0]
    points = cached_points(loss.key, tuple(params.items()), label)
    active = grads.grid_index(points["x"], url_state.view(PAGE)[x_setting.name])

    def settle() -> None:
        index = st.session_state[f"readouts.{loss.key}"]["index"]
        if index is not None and 0 <= index < len(points["x"]):
            url_state.set_value(PAGE, x_setting.name, float(points["x"][index]))

    labels, rows = readout_table(loss, axis, points)
    scrub_readouts(CHART, labels, rows, active, key=f"readouts.{loss.key}", on_settle=settle)
    with st.container(key=CHART):
        plotly_chart(chart_figure(loss, list(compare), axis, label, params, active, custom),
                        config=PLOT_CONFIG, theme=None, key="explorer_plot")
    st.caption(tr("explorer.scrub_hint"))
    url_state.sync_url(PAGE, SETTINGS, shown)


@st.fragment
def explorer() -> None:
    left, right = st.columns([1, 2.3], gap="medium")
    with left:
        loss, compare, axis, label, params, shown = loss_controls()
        custom = None
        if state.CUSTOM_KEY in compare:
            with st.expander(tr("custom.elsewhere.section"), expanded=True):
                typed = custom_inputs.typed_loss("explorer")
            custom = typed[1:] if typed else None
        else:
            custom_inputs.leave()
    x_setting = state.INPUT_SETTINGS[loss.family][0]
    shown.add(x_setting.name)
    with right:
        live_view(loss.key, tuple(compare), axis, label, tuple(params.items()), tuple(sorted(shown)), custom)
        formula_panel(loss, params)
    url_state.sync_url(PAGE, SETTINGS, shown)  # keep shared links clean


st.title(tr("explorer.title"))
notice_box = st.container()
url_state.arrive(PAGE, SETTINGS)
explorer()
with notice_box:
    url_state.show_notices(PAGE, tr)
