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

import json
from dataclasses import dataclass

import streamlit as st

from lossviz import grads, plots, state
from lossviz.custom_loss import custom_loss, parse_param_declarations
from lossviz.display import fmt_number, fmt_params
from lossviz.expr import ExprError
from lossviz.losses import LOSSES, Loss, explorer_keys, get_loss
from ui import custom_inputs, url_state
from ui.charts import MountedChart, figure_json, plotly_chart
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
MOUNTED = MountedChart("_explorer_mounted_chart")


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


def loss_controls(asked_compare: int) -> tuple[Loss, list[str], str, float, dict[str, float], set[str]]:
    """The loss, what to compare it with, the x-axis, the target, the loss's parameters,
    and the names of the settings these controls show. ``asked_compare``: how many losses
    the view asked to compare before this run (a fourth click is undone, and said so).
    Inside ``url_state.values_only()`` it only reads the values (see ``explorer``)."""
    loss = get_loss(choice("loss", tr("explorer.loss"),
                           lambda k: f"{tr('family.' + LOSSES[k].family)} · {loss_name(k)}"))
    same_family = [k for k in LOSS_KEYS if LOSSES[k].family == loss.family and k != loss.key]
    if loss.family == "regression":  # the loss typed on /custom takes (prediction, target) too
        same_family.append(state.CUSTOM_KEY)
    compare = choice("compare", tr("explorer.compare"), loss_name, options=same_family,
                     widget=st.pills, selection_mode="multi")
    if asked_compare > state.MAX_COMPARE and url_state.drawing():
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
    scrubbed = scrub_control(loss, shown)
    for p in loss.params:
        switch = state.OFF_SWITCHES.get(p.name)
        if switch:
            switches[switch] = url_state.flag(PAGE, SETTINGS[switch], tr(f"param.{switch}"), lang(),
                                              tr(f"param.{switch}.help"))
            shown.add(switch)
            if not switches[switch]:
                params[p.name] = SETTINGS[p.name].default
                continue
        shown.add(p.name)
        if p.name == scrubbed:  # moved by the scrubber above the chart, in the browser
            params[p.name] = float(url_state.view(PAGE)[p.name])
            continue
        params[p.name] = url_state.slider(PAGE, SETTINGS[p.name], f"{p.symbol}  ({p.name})", lang(), tr(p.help_key))
    if scrubbed != state.SCRUB_INPUT:  # the prediction (or logit) becomes a server slider
        x_setting = state.INPUT_SETTINGS[loss.family][0]
        url_state.slider(PAGE, SETTINGS[x_setting.name], tr(f"scrub.prefix.{x_setting.name}").rstrip(" ="), lang())
    return loss, compare, axis, label, state.loss_param_values(params, switches), shown


def scrub_options(loss: Loss) -> list[str]:
    """What the browser-side scrubber can move for this loss: its input, or one parameter
    (not an α switched off)."""
    view = url_state.view(PAGE)
    return [state.SCRUB_INPUT] + [p.name for p in loss.params
                                  if view.get(state.OFF_SWITCHES.get(p.name, ""), True)]


def scrub_control(loss: Loss, shown: set[str]) -> str:
    """Which value the scrubber above the chart moves. A link asking for a parameter this loss
    does not have is told so (a loss changed by the user resets it quietly)."""
    options = scrub_options(loss)
    asked = url_state.view(PAGE)["scrub"]
    if asked not in options:  # (note_ignored speaks only for a link just opened)
        url_state.note_ignored(PAGE, "scrub", asked, state.SettingError(
            "choice", "one of " + ", ".join(options), options=", ".join(options)))
        url_state.set_value(PAGE, "scrub", state.SCRUB_INPUT)
    if len(options) == 1:
        return state.SCRUB_INPUT
    x_name = state.INPUT_SETTINGS[loss.family][0].name
    symbols = {p.name: p.symbol for p in loss.params}

    def scrub_label(option: str) -> str:
        if option == state.SCRUB_INPUT:
            return tr(f"scrub.prefix.{x_name}").rstrip(" =")
        return f"{symbols[option]} ({option})"

    shown.add("scrub")
    return choice("scrub", tr("explorer.scrub"), scrub_label, options=options, widget=st.radio, horizontal=True,
                  help=tr("explorer.scrub.help"))


def takes_label(loss: Loss) -> bool:
    """Class-index multiclass losses have no label slider: the true class is class 0."""
    return not (loss.family == "multiclass" and not loss.accepts_soft_targets)


def target_control(loss: Loss) -> float:
    """The target (regression) or label (classification); class-index losses use class 0."""
    label_setting = state.INPUT_SETTINGS[loss.family][1]
    if not takes_label(loss):
        if url_state.drawing():
            st.caption(tr("input.label.hard"))
        return 1.0
    text = tr(f"input.{label_setting.name}.{loss.family}")
    if loss.hard_labels:  # t = 2y − 1 must be ±1: a soft label would make the loss flat
        value = url_state.view(PAGE)[label_setting.name]
        if value not in (0.0, 1.0):
            url_state.set_value(PAGE, label_setting.name, float(value >= 0.5))
        return url_state.slider(PAGE, HARD_LABEL, tr("input.label.hard_binary"), lang(), tr("input.label.hard_help"))
    return url_state.slider(PAGE, label_setting, text, lang(), tr(f"input.{label_setting.name}.help"))


def readout_columns(loss: Loss, points: dict) -> tuple[list[str], list]:
    """The readouts' labels and, for each, its values at every slider position."""
    if "prob" not in points:
        return [tr("metric.loss"), tr("metric.grad_pred")], [points["loss"], points["grad"]]
    return ([tr("metric.loss"), tr("metric.grad_logit"), tr(f"metric.prob.{loss.family}"), tr("metric.grad_prob")],
            [points["loss"], points["grad"], points["prob"], points["grad_prob"]])


def readout_table(loss: Loss, axis: str, points: dict) -> tuple[list[str], list[list[str]]]:
    """Labels and, for every slider position, the formatted readouts."""
    labels, columns = readout_columns(loss, points)
    return labels, [[fmt_number(float(v)) for v in row] for row in zip(*columns)]


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


def curve_series(pts: dict, prob_axis: bool, name: str) -> plots.CurveSeries:
    """A loss's points (``cached_points``) as a curve against the logit/prediction or p."""
    x = pts["prob"] if prob_axis else pts["x"]
    return plots.CurveSeries(name, x, pts["loss"], pts["grad_prob"] if prob_axis else pts["grad"])


def main_name(loss: Loss, params: dict) -> str:
    """The selected loss's legend entry lists its parameters (compared ones use their defaults)."""
    shown = fmt_params(params, {p.name: p.symbol for p in loss.params})
    return loss_name(loss.key) + (f" ({shown})" if shown else "")


def chart_frame(loss: Loss, axis: str) -> tuple[bool, plots.AxisTitles, tuple[float, float]]:
    x_kind = grads.x_kind(loss, axis)  # "pred", "logit" or "prob"
    x_setting = state.INPUT_SETTINGS[loss.family][0]
    titles = plots.AxisTitles(x=tr(f"axis.title.{x_kind}.{loss.family}"), loss=tr("chart.loss"),
                              grad=tr("chart.grad_" + x_kind))
    prob_axis = x_kind == "prob"
    return prob_axis, titles, (0.0, 1.0) if prob_axis else (x_setting.low, x_setting.high)


def compared_curves(compare: list[str], label: float, prob_axis: bool,
                    custom: tuple[str, str] | None) -> list[plots.CurveSeries]:
    """The compared losses at their defaults, in the compare list's order; the typed loss
    (regression only) when it is valid."""
    curves = []
    for key in compare:
        if key == state.CUSTOM_KEY:
            typed = custom_series(custom, label) if not prob_axis else None
            if typed is not None:
                curves.append(typed)
        elif key in LOSSES:
            pts = cached_points(key, tuple(LOSSES[key].defaults().items()), label)
            curves.append(curve_series(pts, prob_axis, loss_name(key)))
    return curves


def chart_figure(loss: Loss, compare: list[str], axis: str, label: float, params: dict, main: dict,
                 active: int, custom: tuple[str, str] | None = None) -> tuple[dict, dict]:
    """The chart (showing position ``active`` of the prediction/logit) and its scrubber steps;
    ``main``: the selected loss's points."""
    prob_axis, titles, x_range = chart_frame(loss, axis)
    curves = [curve_series(main, prob_axis, main_name(loss, params))]
    curves += compared_curves(compare, label, prob_axis, custom)
    x_setting = state.INPUT_SETTINGS[loss.family][0]
    point = plots.ScrubbedPoint(
        x=main["prob"] if prob_axis else main["x"], loss=main["loss"],
        grad=main["grad_prob"] if prob_axis else main["grad"],
        labels=[f"{v:g}" for v in main["x"]], active=active, prefix=tr(f"scrub.prefix.{x_setting.name}"),
    )
    return plots.scrubbed_loss_parts(curves, point, titles, x_range, height=400)


def param_grid(name: str):
    setting = SETTINGS[name]
    return grads.slider_grid(setting.low, setting.high, setting.step)


def family_parts(loss: Loss, compare: list[str], axis: str, label: float, params: dict, name: str,
                 x_index: int, custom: tuple[str, str] | None = None) -> tuple[dict, dict, list[str], list[list[str]]]:
    """The chart, its scrubber steps over every value of parameter ``name`` (a curve family,
    the prediction fixed at grid position ``x_index``), and the readouts at each value."""
    prob_axis, titles, x_range = chart_frame(loss, axis)
    values = param_grid(name)
    family, rows = [], []
    others = {k: v for k, v in params.items() if k != name}  # the legend: the scrubber shows the value
    for v in values:
        at_value = {**params, name: float(v)}
        pts = cached_points(loss.key, tuple(at_value.items()), label)
        family.append(curve_series(pts, prob_axis, main_name(loss, others)))
        labels, columns = readout_columns(loss, pts)
        rows.append([fmt_number(float(column[x_index])) for column in columns])
    compared = compared_curves(compare, label, prob_axis, custom)
    active = grads.grid_index(values, params[name])
    symbol = next(p.symbol for p in loss.params if p.name == name)
    figure, steps = plots.family_scrubbed_parts(family, compared, x_index, [f"{v:g}" for v in values], active,
                                                f"{symbol} = ", titles, x_range, height=400)
    return figure, steps, labels, rows


@dataclass(frozen=True)
class ViewParts:
    """What the browser gets for one view, as JSON text (ui.scrub_readouts sends text as is)."""

    labels: list[str]  # the readout cards' labels
    values: str  # the readouts at every scrubber position
    figure: str  # the chart at the URL's position
    steps: str  # the scrubber's frames
    active: int
    input_label: str  # the scrubber's name for screen readers


def view_parts(loss: Loss, compare: list[str], axis: str, label: float, params: dict, scrubbed: str,
               x_index: int, custom: tuple[str, str] | None = None) -> ViewParts:
    """The readouts, chart and scrubber of one view: the prediction scrubbed (``scrubbed`` is
    ``state.SCRUB_INPUT``) or a parameter's curve family, the prediction at ``x_index``."""
    if scrubbed == state.SCRUB_INPUT:
        points = cached_points(loss.key, tuple(params.items()), label)
        labels, rows = readout_table(loss, axis, points)
        figure, steps = chart_figure(loss, compare, axis, label, params, points, x_index, custom)
        input_label = tr(f"scrub.prefix.{state.INPUT_SETTINGS[loss.family][0].name}").rstrip(" =")
    else:
        figure, steps, labels, rows = family_parts(loss, compare, axis, label, params, scrubbed, x_index, custom)
        input_label = scrubbed
    return ViewParts(labels, json.dumps(rows, separators=(",", ":")), figure_json(figure),
                     json.dumps(steps, separators=(",", ":")), steps["active"], input_label)


@st.cache_resource(max_entries=32, show_spinner=False)
def cached_view(loss_key: str, compare: tuple[str, ...], axis: str, label: float, params: tuple, scrubbed: str,
                x_index: int, language: str) -> ViewParts:
    """``view_parts`` for a view without the typed loss, shared by every session: a class on
    one link, or a slider moved back, finds it ready. Immutable text, so the cache hands out the
    object itself (no pickling); not figures. 32 views of 0.1–0.2 MB (a curve family: up to 0.75 MB):
    256 grew a 1000-rerun soak's memory by 11 %.
    ``language`` keys the cache (the labels are translated)."""
    return view_parts(get_loss(loss_key), list(compare), axis, label, dict(params), scrubbed, x_index)


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
    fragment reruns, to put the settled value into the URL (the whole page, for a parameter:
    its legend entry and PyTorch line change too)."""
    loss, params = get_loss(loss_key), dict(params)
    x_setting = state.INPUT_SETTINGS[loss.family][0]
    points = cached_points(loss.key, tuple(params.items()), label)
    x_index = grads.grid_index(points["x"], url_state.view(PAGE)[x_setting.name])
    scrubbed = url_state.view(PAGE)["scrub"]
    if scrubbed not in params:
        scrubbed = state.SCRUB_INPUT
    key = f"readouts.{loss.key}.{scrubbed}"
    if st.session_state.pop("_explorer_param_settled", False):
        st.rerun()  # a parameter settled: redraw the page around it (legend, PyTorch line)

    def settle() -> None:
        index = st.session_state[key]["index"]
        if index is None:
            return
        if scrubbed == state.SCRUB_INPUT and 0 <= index < len(points["x"]):
            url_state.set_value(PAGE, x_setting.name, float(points["x"][index]))
        elif scrubbed != state.SCRUB_INPUT and 0 <= index < len(param_grid(scrubbed)):
            url_state.set_value(PAGE, scrubbed, float(param_grid(scrubbed)[index]))
            st.session_state["_explorer_param_settled"] = True

    if custom is None:
        view = cached_view(loss.key, compare, axis, label, tuple(params.items()), scrubbed, x_index, lang())
    else:  # the typed loss may fail with a message on the page: not inside a cache
        view = view_parts(loss, list(compare), axis, label, params, scrubbed, x_index, custom)
    # the chart stays mounted while the view keeps its kind (ui.charts.MountedChart): a target or
    # parameter move redraws it with Plotly.react instead of building it anew
    shell, update = MOUNTED.split((loss.key, scrubbed, axis, lang(), compare, len(points["x"])), view.figure)
    scrub_readouts(CHART, view.labels, view.values, view.active, key=key, on_settle=settle, steps=view.steps,
                   input_label=view.input_label, figure=update)
    with st.container(key=CHART):
        plotly_chart(shell, config=PLOT_CONFIG, theme=None, key="explorer_plot")
    st.caption(tr("explorer.scrub_hint" if scrubbed == state.SCRUB_INPUT else "explorer.scrub_hint.param"))
    url_state.sync_url(PAGE, SETTINGS, shown)


@st.fragment
def explorer() -> None:
    """Controls on the left, readouts, chart and formula on the right. Without the typed loss
    (whose inputs must be drawn before its curve is known), the right side is made first: the
    controls' values are read from the view without drawing them (``url_state.values_only``),
    then the chart is drawn, then the controls. Streamlit sends elements in the order they are
    made and the browser handles them one at a time, so after a slider move the chart's new
    data reaches the browser ahead of the controls' (the component's message moved from the
    12th of the rerun to the 6th); the page looks the same."""
    asked_compare = len(url_state.view(PAGE)["compare"])
    left, right = st.columns([1, 2.3], gap="medium")
    if state.CUSTOM_KEY not in url_state.view(PAGE)["compare"]:
        with url_state.values_only():
            controls = loss_controls(asked_compare)
        with right:
            right_side(controls, None)
        with left:
            drawn = loss_controls(asked_compare)
            custom_inputs.leave()
        if drawn[:5] != controls[:5]:  # cannot happen: both read the same view; if it did, redraw once
            st.rerun(scope="fragment")
    else:
        with left:
            controls = loss_controls(asked_compare)
            custom = None
            if state.CUSTOM_KEY in controls[1]:
                with st.expander(tr("custom.elsewhere.section"), expanded=True):
                    typed = custom_inputs.typed_loss("explorer")
                custom = typed[1:] if typed else None
            else:
                custom_inputs.leave()
        with right:
            right_side(controls, custom)
    url_state.sync_url(PAGE, SETTINGS, shown_settings(controls))  # keep shared links clean


def shown_settings(controls: tuple) -> set[str]:
    """The settings on screen: the controls' and the prediction (the scrubber or its slider)."""
    loss, shown = controls[0], controls[5]
    return shown | {state.INPUT_SETTINGS[loss.family][0].name}


def right_side(controls: tuple, custom: tuple[str, str] | None) -> None:
    loss, compare, axis, label, params, _ = controls
    live_view(loss.key, tuple(compare), axis, label, tuple(params.items()), tuple(sorted(shown_settings(controls))),
              custom)
    formula_panel(loss, params)


st.title(tr("explorer.title"))
notice_box = st.container()
url_state.arrive(PAGE, SETTINGS)
explorer()
with notice_box:
    url_state.show_notices(PAGE, tr)
