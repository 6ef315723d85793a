"""Custom Loss: type a loss in p (prediction) and y (target), declare its parameters, and see its
curve, its autograd gradient, its properties and where it is NaN/inf, next to a built-in loss.

Storyboard: URL -> expression + parameters (checked by lossviz.expr) -> sliders -> chart -> checks.
All maths is in lossviz (custom_loss, loss_checks, grads); drawing in lossviz.plots/custom_plots.
"""

import time

import streamlit as st

from lossviz import custom_plots, grads, plots, state
from lossviz.custom_loss import custom_loss, parse_param_declarations
from lossviz.display import fmt_number
from lossviz.expr import MAX_LENGTH, ExprError, parse_expression
from lossviz.loss_checks import nonfinite_intervals, run_checks
from lossviz.losses import LOSSES, get_loss
from lossviz.session_budget import SessionBudget
from ui.common import PLOT_CONFIG, show_url_notices, tr
from ui.perf import freeze_import_time_objects
from ui import url_state
from ui.custom_inputs import links_from_custom
from ui.url_state import drop_from_url, url_choice, url_slider
from ui.url_text import set_text, url_text_input

freeze_import_time_objects()  # torch is imported by now; see ui/perf.py

OVERLAY_KEYS = tuple(k for k, loss in LOSSES.items() if loss.family == "regression")
SETTINGS = {s.name: s for s in state.custom_settings(OVERLAY_KEYS)}
NOTICE_AREA: list = [None]  # set to a container at the top of every run of the page's fragment
EXAMPLES = {  # name -> (expression, parameter declarations)
    "cauchy": (state.CUSTOM_DEFAULT_EXPR, state.CUSTOM_DEFAULT_PARAMS),
    "mse": ("(y - p)**2", ""),
    "huber": ("where(abs(y - p) <= d, 0.5 * (y - p)**2, d * (abs(y - p) - 0.5 * d))", "d:1:0.1:5"),
    "power": ("abs(y - p)**q", "q:1.5:0.5:4"),
    "pinball": ("maximum(tau * (y - p), (tau - 1) * (y - p))", "tau:0.8:0.01:0.99"),
    "welsch": ("1 - exp(-(y - p)**2 / (2 * c**2))", "c:1:0.2:5"),
    "sqrt": ("sqrt(p - y)", ""),
}


def error_text(err: ValueError) -> str:
    return tr(err.key, **err.values) if isinstance(err, ExprError) else str(err)


def url_notice(name: str, received: str, err: ValueError) -> None:
    with NOTICE_AREA[0]:  # the page's notice area, above the inputs
        st.warning(tr("custom.url.ignored", name=name, received=received, reason=error_text(err)), icon="⚠️")


def load_example() -> None:
    """Pills callback: put the chosen example into the two text boxes, then clear the pill."""
    name = st.session_state.get("custom_example")
    if name in EXAMPLES:
        set_text("expr", EXAMPLES[name][0])
        set_text("params", EXAMPLES[name][1])
    st.session_state["custom_example"] = None


def examples() -> None:
    st.pills(tr("custom.examples"), list(EXAMPLES), format_func=lambda k: tr(f"custom.example.{k}"),
             key="custom_example", on_change=load_example, width="stretch", wrap=True)


def definition():
    """The expression and its declared parameters: (loss or None, error message or None, text, declared)."""
    expr_column, params_column = st.columns([2.6, 1], gap="medium")
    with expr_column:
        text = url_text_input("expr", state.CUSTOM_DEFAULT_EXPR, tr("custom.expr"),
                              validate=lambda raw: parse_expression(raw, None), notice=url_notice,
                              max_chars=MAX_LENGTH, help=tr("custom.expr.help"))
    with params_column:
        declared = url_text_input("params", state.CUSTOM_DEFAULT_PARAMS, tr("custom.params"),
                                  validate=lambda raw: parse_param_declarations(raw, state.CUSTOM_RESERVED),
                                  notice=url_notice, max_chars=200, help=tr("custom.params.help"),
                                  placeholder="c:1:0.1:10, q:2:0.5:4")
    try:
        params = parse_param_declarations(declared, state.CUSTOM_RESERVED)
        return custom_loss(text, params), None, text, declared
    except ExprError as err:
        return None, error_text(err), text, declared


@st.cache_data(max_entries=256, show_spinner=False)
def cached_view(expr: str, declared: str, values: tuple, target: float, overlay: str) -> dict:
    """Arrays and check results (not figures) for one expression, parameter values and target."""
    loss = custom_loss(expr, parse_param_declarations(declared, state.CUSTOM_RESERVED))
    curve = grads.explorer_curve(loss, target, dict(values))
    checks = [(r.name, r.passed, r.values, r.reason) for r in run_checks(loss, target, dict(values), curve["x"])]
    view = {"curve": curve, "checks": checks,
            "nonfinite": nonfinite_intervals(curve["x"], curve["loss"], curve["grad"])}
    if overlay != state.CUSTOM_NO_OVERLAY:
        view["overlay"] = grads.explorer_curve(get_loss(overlay), target, get_loss(overlay).defaults())
    return view


def checks_list(checks: list) -> None:
    st.markdown(f"**{tr('custom.checks')}**", help=tr("custom.checks.help"))
    for name, passed, values, reason in checks:
        mark = {True: "✅", False: "❌", None: "❔"}[passed]
        outcome = {True: "pass", False: "fail", None: "unknown"}[passed] + (f".{reason}" if reason else "")
        shown = {k: fmt_number(v) for k, v in values.items()}
        st.markdown(f"{mark} **{tr(f'custom.check.{name}')}** — {tr(f'custom.check.{name}.{outcome}', **shown)}")


def chart(view: dict, overlay: str, point: dict) -> None:
    curves = [plots.CurveSeries(tr("loss.custom.name"), **view["curve"])]
    if "overlay" in view:
        curves.append(plots.CurveSeries(tr(f"loss.{overlay}.name"), **view["overlay"]))
    tangent_x, tangent_y = grads.tangent_line(point["x"], point["loss"], point["grad"], 1.2)
    current = plots.CurrentPoint(point["x"], point["loss"], point["grad"], tangent_x, tangent_y)
    titles = plots.AxisTitles(x=tr("axis.title.pred.regression"), loss=tr("chart.loss"), grad=tr("chart.grad_pred"))
    figure = plots.loss_and_gradient_figure(curves, current, titles, height=400)
    figure = custom_plots.with_nonfinite_regions(figure, view["nonfinite"], tr("custom.nonfinite"))
    st.plotly_chart(figure, config=PLOT_CONFIG, theme=None, key="custom_chart")


@st.fragment
def live_view(expr: str, declared: str, values: tuple, target: float, overlay: str) -> None:
    """What the prediction slider changes: metrics and chart (the curve itself is cached)."""
    loss = custom_loss(expr, parse_param_declarations(declared, state.CUSTOM_RESERVED))
    slider_column, loss_column, grad_column = st.columns([2.2, 1, 1])  # one row: the chart fits 720 px
    with slider_column:
        pred = url_slider(SETTINGS["pred"], tr("custom.input.pred"), tr("custom.input.pred.help"))
    point = grads.explorer_point(loss, pred, target, dict(values))
    loss_column.metric(tr("metric.loss"), fmt_number(point["loss"]))
    grad_column.metric(tr("metric.grad_pred"), fmt_number(point["grad"]))
    chart(cached_view(expr, declared, values, target, overlay), overlay, point)


st.title(tr("custom.title"))


@st.fragment
def custom_page() -> None:
    notices = NOTICE_AREA[0] = st.container()  # every URL notice goes here, above the inputs
    loss, problem, expr, declared = definition()  # full width: expressions are long
    sliders = [state.float_setting(p.name, p.default, p.low, p.high, p.step) for p in (loss.params if loss else ())]
    with notices:
        show_url_notices("custom", [*SETTINGS.values(), *sliders])
    view = url_state.view("custom")
    for s in sliders:  # a parameter declared just now, or declared again with another range
        if not (isinstance(view.get(s.name), float) and s.low <= view[s.name] <= s.high):
            view[s.name] = s.default
    left, right = st.columns([1, 2.2], gap="medium")
    with left:
        examples()
        values = tuple((s.name, url_slider(s, s.name, tr("custom.param.help"))) for s in sliders)
        target = url_slider(SETTINGS["target"], tr("input.target.regression"), tr("input.target.help"))
        overlay = url_choice(SETTINGS["overlay"], tr("custom.overlay"),
                             format_func=lambda k: tr("custom.overlay.none") if k == "none" else tr(f"loss.{k}.name"))
    budget = st.session_state.setdefault("custom_budget", SessionBudget())
    if problem is not None:
        with right:
            st.error(problem, icon="✋")
            st.info(tr("custom.grammar"))
    elif not budget.allow((loss.formula, loss.params), time.monotonic()):
        with right:
            st.warning(tr("custom.budget"), icon="⏳")
    else:
        with right:
            live_view(expr, declared, values, target, overlay)
            st.latex(loss.formula.replace(r"\text{otherwise}", r"\text{" + tr("custom.otherwise") + "}"))
            st.code(loss.torch_code(**dict(values)), language="python", wrap_lines=True)
            links_from_custom(loss, expr, dict(values), overlay)
        with left:
            checks_list(cached_view(expr, declared, values, target, overlay)["checks"])
    if loss is not None:  # keep shared links clean: drop sliders of parameters no longer declared
        shown = {"expr", "params", "target", "pred", "overlay", "lang", *loss.param_names}
        drop_from_url([name for name in st.query_params.keys() if name not in shown])


custom_page()
