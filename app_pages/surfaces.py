"""Loss surfaces: a loss over two parameters, its gradient field, and real torch.optim paths on it.

Storyboard: settings from the URL -> surface controls -> optimizer controls -> metrics at the
start point -> chart (contour or 3-D, with a client-side step scrubber) -> per-path summary.
Maths in lossviz.surfaces / lossviz.optim_paths; drawing in lossviz.surface_plots.
"""

import numpy as np
import streamlit as st

from lossviz import optim_paths, scrub, state, surface_plots, surfaces
from lossviz.display import fmt_number
from lossviz.losses import get_loss
from ui import url_state
from ui.common import PLOT_CONFIG, lang, tr
from ui.perf import freeze_import_time_objects
from ui.scrub_readouts import scrub_readouts

freeze_import_time_objects()  # torch is imported by now; see ui/perf.py

PAGE = "surfaces"
RESOLUTION = 100
LR_OPTIONS = tuple(f"{lr:g}" for lr in optim_paths.LEARNING_RATES)
LR_DEFAULTS = {key: f"{spec.defaults['lr']:g}" for key, spec in optim_paths.OPTIMIZERS.items()}
LOSS_PARAMS = {key: get_loss(key).params for key in surfaces.REGRESSION_LOSS_KEYS + surfaces.LOGISTIC_LOSS_KEYS}


def settings_for(surface_key: str) -> dict[str, state.Setting]:
    surface = surfaces.get_surface(surface_key)
    params = [p for ps in LOSS_PARAMS.values() for p in ps] + [get_loss("bce").param("label_smoothing")]
    table = state.surfaces_settings(tuple(surfaces.SURFACES), LR_DEFAULTS, LR_OPTIONS, surfaces.REGRESSION_LOSS_KEYS,
                                    surfaces.LOGISTIC_LOSS_KEYS, params, (surface.x_range, surface.y_range, surface.start))
    return {s.name: s for s in table}


@st.cache_data(max_entries=16, show_spinner=False)  # 100x100 grids: 64 grew a 1000-rerun soak by 19 MB
def cached_grid(surface_key: str, params: tuple) -> dict:
    """Arrays only, keyed by what generates them: moving the start or the scrubber never recomputes them."""
    return surfaces.loss_grid(surface_key, dict(params), RESOLUTION)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_paths(surface_key: str, params: tuple, runs: tuple, start: tuple, steps: int) -> list:
    found = optim_paths.optimizer_paths(surface_key, [(k, dict(h)) for k, h in runs], start, steps, dict(params))
    return [optim_paths.summarize_path(surface_key, path, dict(params)) for path in found]


@st.cache_data(max_entries=256, show_spinner=False)
def cached_point(surface_key: str, params: tuple, start: tuple) -> dict:
    return surfaces.point_report(surface_key, start, dict(params))


def choice(setting: state.Setting, label: str, format_func, **kwargs):
    return url_state.choice(PAGE, setting, label, lang(), format_func, **kwargs)


def slider(setting: state.Setting, label: str, help_text: str | None = None, **kwargs) -> float:
    """A slider of the page's view; ``number_format=`` / ``integer=`` as ``url_state.slider``."""
    return url_state.slider(PAGE, setting, label, lang(), help_text, **kwargs)


def surface_controls(settings: dict) -> tuple[str, dict]:
    """The surface and its own parameters (condition number, data set's loss and outliers...)."""
    key = choice(settings["surface"], tr("surfaces.surface"), format_func=lambda k: tr(f"surfaces.surface.{k}"))
    st.caption(tr(f"surfaces.surface.{key}.about"))
    params: dict = {}
    if key == "quadratic":
        params["condition"] = slider(settings["condition"], tr("surfaces.condition"),
                                            tr("surfaces.condition.help"), number_format="%.0f")
    if key in ("regression", "logistic"):
        name, options = ("reg_loss", surfaces.REGRESSION_LOSS_KEYS) if key == "regression" else \
            ("cls_loss", surfaces.LOGISTIC_LOSS_KEYS)
        params["loss"] = choice(settings[name], tr("surfaces.loss"), format_func=lambda k: tr(f"loss.{k}.name"))
        if key == "regression":
            params["outliers"] = slider(settings["outliers"], tr("surfaces.outliers"),
                                               tr("surfaces.outliers.help"), integer=True)
        else:
            params["label_smoothing"] = slider(settings["label_smoothing"], "ε  (label_smoothing)",
                                               tr("param.label_smoothing"))
        for p in LOSS_PARAMS[params["loss"]]:
            if p.name == "label_smoothing":  # BCE's own ε: the slider above smooths every loss's targets
                continue
            params[p.name] = slider(settings[p.name], f"{p.symbol}  ({p.name})", tr(p.help_key))
    return key, params


def optimizer_controls(settings: dict) -> list[tuple[str, dict]]:
    """Up to four optimizers, each with its learning rate and its momentum or betas."""
    chosen = choice(settings["opt"], tr("surfaces.optimizers"), format_func=lambda k: tr(f"surfaces.opt.{k}"),
                    widget=st.multiselect, max_selections=state.MAX_PATHS, placeholder=tr("surfaces.optimizers.placeholder"))
    runs = []
    for key in chosen:
        name = tr(f"surfaces.opt.{key}")
        hyper = {"lr": float(choice(settings[f"lr_{key}"], f"{name} · lr", format_func=str, widget=st.select_slider))}
        if key in state.MOMENTUM_OPTIMIZERS:
            hyper["momentum"] = slider(settings[f"momentum_{key}"], f"{name} · momentum")
        if key in state.BETAS_OPTIMIZERS:
            hyper["betas"] = (slider(settings[f"beta1_{key}"], f"{name} · β₁ (betas[0])"),
                              slider(settings[f"beta2_{key}"], f"{name} · β₂ (betas[1])",
                                            number_format="%.4f"))
        runs.append((key, tuple(hyper.items())))
    return runs


def apply_best_rates(surface_key: str, params: tuple, runs: tuple, start: tuple, steps: int) -> None:
    """Button callback: search the log-spaced rates per optimizer and set each one's lr slider."""
    best = {}
    for key, hyper in runs:
        lr, _ = optim_paths.best_learning_rate(surface_key, key, start, steps, dict(params), **dict(hyper))
        url_state.set_value(PAGE, f"lr_{key}", f"{lr:g}")
        best[key] = f"{lr:g}"
    st.session_state["surfaces_best"] = {"context": (surface_key, params, start, steps), "rates": best}


def short_number(value: float) -> str:
    """Four significant digits: five metrics share one row on a 1280-pixel projector."""
    return f"{value:.4g}" if np.isfinite(value) else "—"


def metrics(point: dict) -> None:
    columns = st.container(key="surfaces_metrics").columns(5)
    values = [("loss", point["loss"]), ("grad_norm", point["grad_norm"]), ("eig_low", point["eig_low"]),
              ("eig_high", point["eig_high"]), ("condition", point["condition"])]
    for column, (name, value) in zip(columns, values):
        column.metric(tr(f"surfaces.metric.{name}"), short_number(value), help=tr(f"surfaces.metric.{name}.help"))


def path_name(key: str, hyper: dict, summary) -> str:
    name = f"{tr(f'surfaces.opt.{key}')} · {hyper['lr']:g}"
    return name + (" " + tr("surfaces.diverged") if summary.diverged else "")


SCRUB_CHART = "surfaces_scrubbed"


def chart(surface_key: str, params: tuple, view: str, start: tuple, steps: int, runs: tuple, found: list,
          point: dict) -> None:
    surface = surfaces.get_surface(surface_key)
    grid = cached_grid(surface_key, params)
    minimum, _ = surfaces.surface_minimum(surface_key, dict(params))
    traces = [surface_plots.PathTrace(path_name(k, dict(h), s), s.points, s.losses) for (k, h), s in zip(runs, found)]
    titles = surface_plots.SurfaceTitles(x=surface.axis_names[0], y=surface.axis_names[1], color=tr("surfaces.color"),
                                         start=tr("surfaces.start"), minimum=tr("surfaces.minimum"))
    if view == "3d":
        figure = surface_plots.surface3d_figure(grid, traces, start, point["loss"], titles)
    else:
        figure = surface_plots.contour_figure(grid, traces, start, minimum, titles)
    if traces:
        frames, labels = surface_plots.step_frames(traces, steps, tr("surfaces.step"), three_d=view == "3d",
                                                   floor=float(np.nanmin(grid["loss"])))
        figure["layout"]["annotations"] = frames[-1]["layout"]["annotations"]
        # the step scrubber: a range input above the chart that restyles the paths' heads in the
        # browser (ui/scrub_readouts.py; no cards, the chart's own annotation is the readout)
        scrub_readouts(SCRUB_CHART, [], [], steps, key="surfaces_scrub", input_label=tr("surfaces.step"),
                       steps=scrub.scrub_steps(frames, labels, active=steps, prefix=tr("surfaces.step") + " ",
                                               trace_indices=[len(figure["data"]) - 1]))
    with st.container(key=SCRUB_CHART):
        st.plotly_chart(figure, config=PLOT_CONFIG, theme=None, key="surfaces_chart")


def summary_table(runs: tuple, found: list) -> None:
    rows = []
    for (key, hyper), s in zip(runs, found):
        end = s.points[-1]
        status = "diverged" if s.diverged else ("reached" if s.steps_to_tolerance is not None else "not_reached")
        rows.append({tr("surfaces.col.optimizer"): tr(f"surfaces.opt.{key}"), "lr": f"{dict(hyper)['lr']:g}",
                     tr("surfaces.col.end"): f"({fmt_number(float(end[0]), 3)}, {fmt_number(float(end[1]), 3)})",
                     tr("surfaces.col.final_loss"): fmt_number(s.final_loss),
                     tr("surfaces.col.steps_to_tol"): "—" if s.steps_to_tolerance is None else str(s.steps_to_tolerance),
                     tr("surfaces.col.status"): tr(f"surfaces.status.{status}")})
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")


def start_in_window(settings: dict, surface_key: str) -> None:
    """A new surface starts from its own default start; a start outside the window is reset."""
    view = url_state.view(PAGE)
    changed = st.session_state.get("_surfaces_last_surface", surface_key) != surface_key
    st.session_state["_surfaces_last_surface"] = surface_key
    for name in ("x0", "y0"):
        setting = settings[name]
        if changed or not setting.low <= float(view[name]) <= setting.high:
            view[name] = setting.default


# Narrow screens (e.g. 800 px with the sidebar open): let the columns wrap instead of squeezing
# the metrics into "1…" and the chart into a strip.
st.html("""<style>@media (max-width: 1100px) {
 .st-key-surfaces_layout [data-testid="stHorizontalBlock"] {flex-wrap: wrap}
 .st-key-surfaces_layout [data-testid="stColumn"] {min-width: 250px}
 .st-key-surfaces_layout .st-key-surfaces_metrics [data-testid="stColumn"] {min-width: 90px}
 [data-testid="stColumn"]:has(.st-key-surfaces_metrics) {order: -1}
}</style>""")  # the chart's column first when the two columns stack
st.title(tr("surfaces.title"))
notice_box = st.container()
BASE = settings_for("quadratic")
# The start sliders' ranges depend on the surface: read the surface first (a link's, or this
# session's), then arrive again with that surface's table so its x0/y0 are checked on its window.
SURFACE_KEY = url_state.arrive(PAGE, BASE)["surface"]
SETTINGS = settings_for(SURFACE_KEY)
url_state.arrive(PAGE, SETTINGS)
start_in_window(SETTINGS, SURFACE_KEY)


def surfaces_page() -> None:
    """The whole page reruns on a move (no fragment): the surface decides the start sliders'
    ranges, which are read before the view is drawn (see the top of the script)."""
    left, right = st.container(key="surfaces_layout").columns([1, 2.6], gap="medium")
    with left:
        surface_key, params = surface_controls(SETTINGS)
        settings = settings_for(surface_key)
        runs = tuple(optimizer_controls(settings))
        best_box = st.container()
    params_key = tuple(sorted(params.items()))
    with right:
        names = surfaces.get_surface(surface_key).axis_names
        metrics_box, chart_box = st.container(), st.container()  # filled below, drawn above the sliders
        view_column, x_column, y_column, steps_column = st.columns([1.1, 1, 1, 1])
        with view_column:
            view = choice(settings["view"], tr("surfaces.view"), format_func=lambda v: tr(f"surfaces.view.{v}"),
                          widget=st.radio)
        with x_column:
            x0 = slider(settings["x0"], tr("surfaces.x0", name=names[0]))
        with y_column:
            y0 = slider(settings["y0"], tr("surfaces.y0", name=names[1]))
        with steps_column:
            steps = slider(settings["steps"], tr("surfaces.steps"), tr("surfaces.steps.help"), integer=True)
        start = (x0, y0)
        point = cached_point(surface_key, params_key, start)
        with metrics_box:
            metrics(point)
        found = cached_paths(surface_key, params_key, runs, start, steps) if runs else []
        with chart_box:
            chart(surface_key, params_key, view, start, steps, runs, found, point)
        st.caption(tr("surfaces.caption"))
        summary_table(runs, found)
        st.caption(tr("surfaces.tolerance"))
    with best_box:
        st.button(tr("surfaces.best"), on_click=apply_best_rates, args=(surface_key, params_key, runs, start, steps),
                  disabled=not runs, help=tr("surfaces.best.help", low=LR_OPTIONS[0], high=LR_OPTIONS[-1],
                                             count=len(LR_OPTIONS)))
        best = st.session_state.get("surfaces_best")
        current = {key: f"{dict(hyper)['lr']:g}" for key, hyper in runs}
        if best and best["context"] == (surface_key, params_key, start, steps) and \
                all(current.get(k) == lr for k, lr in best["rates"].items()):
            shown = " · ".join(f"{tr(f'surfaces.opt.{k}')} lr {lr}" for k, lr in best["rates"].items())
            st.info(tr("surfaces.best.done", rates=shown), icon="🎯")
    shown = {"surface", "view", "x0", "y0", "steps", "opt", *params}
    shown |= {"reg_loss"} if surface_key == "regression" else {"cls_loss"} if surface_key == "logistic" else set()
    shown.discard("loss")
    for key, hyper in runs:
        shown |= {f"lr_{key}", f"momentum_{key}", f"beta1_{key}", f"beta2_{key}"}
    url_state.sync_url(PAGE, settings, shown)  # the shown settings, defaults left out; the rest removed


surfaces_page()
with notice_box:
    url_state.show_notices(PAGE, tr)
