"""/training's multi-task mode (``?mode=multitask``): one shared trunk, two heads, one task's loss
scaled up to 1000x, and a weighting strategy (or two, A/B) trained live.

Storyboard, like the single-task mode: settings from the URL -> controls (left) ->
play/pause/step/reset -> a ticking fragment that advances the run and redraws the status and the
chart -> what each strategy computes, with its paper's formula and constants. Training is
lossviz.train.multitask(_session); drawing is lossviz.multitask_plots. app_pages/training.py
calls ``chosen`` (the mode switch) and, in this mode, ``page``.
"""

from __future__ import annotations

from typing import Mapping

import streamlit as st

from lossviz import multitask_plots as mp
from lossviz.display import fmt_number
from lossviz.state import B_SUFFIX, Setting
from lossviz.train.multitask import MultitaskConfig
from lossviz.train.multitask_session import MultitaskLiveRun
from ui.charts import plotly_chart
from ui.common import PLOT_CONFIG, tr
from ui.ticking import tick_interval
from ui.training_transport import Transport
from ui.url_state import drop_from_url, url_choice, url_slider

RUN_KEY = "training_mt_run"
TICK_SECONDS = 0.1  # as the single-task mode: the browser asks for a tick every 100 ms while playing
TICK_KEY = "training_mt_tick_s"  # the interval the live view is registered with (ui.ticking)
CHART_HEIGHT = 700
FORMULAS = {  # LaTeX, filled with the run's constants; the words around them are in the locale files
    "fixed": r"L = {w_cls}\,L_{{\mathrm{{cls}}}} + {w_reg}\,L_{{\mathrm{{reg}}}}",
    "uncertainty": r"L = \sum_i e^{{-s_i}} L_i + s_i,\qquad s_i = \log\sigma_i^2,\ s_i(0) = 0",
    "uncertainty_paper": r"L = \frac{{1}}{{2\sigma_{{\mathrm{{reg}}}}^2}} L_{{\mathrm{{reg}}}} + \frac{{1}}{{\sigma_{{\mathrm{{cls}}}}^2}}"
                         r" L_{{\mathrm{{cls}}}} + \log\sigma_{{\mathrm{{reg}}}} + \log\sigma_{{\mathrm{{cls}}}},\qquad"
                         r" s_i = \log\sigma_i^2,\ s_i(0) = 0",
    "gradnorm": r"L_{{\mathrm{{grad}}}} = \sum_i \bigl|\,G_W^{{(i)}} - \bar G_W\, r_i^{{\,\alpha}}\bigr|_1,\quad "
                r"r_i = \frac{{\tilde L_i}}{{\tfrac1K\sum_j \tilde L_j}},\ \tilde L_i = \frac{{L_i(t)}}{{L_i(0)}},"
                r"\ \sum_i w_i = K = 2,\ \alpha = {alpha}",
    "dwa": r"\lambda_k = K\,\frac{{\exp(w_k(t-1)/T)}}{{\sum_i \exp(w_i(t-1)/T)}},\quad w_k(t-1) = \frac{{L_k(t-1)}}{{L_k(t-2)}},"
           r"\ K = 2,\ T = {t}",
}


def chosen(settings: Mapping[str, Setting]) -> bool:
    """The mode switch (single task | multi-task), bound to ``?mode=``; True for multi-task."""
    mode = url_choice(settings["mode"], tr("training.mode"), lambda m: tr("training.mode." + m), widget=st.radio,
                      horizontal=True)
    return mode == "multitask"


def strategy_controls(settings: Mapping[str, Setting], suffix: str) -> tuple[dict, set[str]]:
    """Run A's (suffix "") or B's ("_b") strategy and its own knobs; MultitaskConfig fields."""
    name = url_choice(settings["weighting" + suffix], tr("training.mt.weighting"),
                      lambda k: tr("training.mt.weighting." + k))
    fields, shown = {"weighting": name}, {"weighting" + suffix}
    if name == "fixed":
        for task in ("cls", "reg"):
            key = f"weight_{task}{suffix}"
            fields[f"weight_{task}"] = float(url_choice(settings[key], tr(f"training.mt.weight_{task}"), str,
                                                        widget=st.select_slider))
            shown.add(key)
    elif name == "uncertainty":
        fields["uncertainty_form"] = url_choice(settings["unc_form" + suffix], tr("training.mt.unc_form"),
                                                lambda k: tr("training.mt.unc_form." + k), widget=st.radio)
        shown.add("unc_form" + suffix)
    elif name == "gradnorm":
        fields["alpha"] = url_slider(settings["gn_alpha" + suffix], tr("training.mt.gn_alpha"),
                                     tr("training.mt.gn_alpha.help"))
        shown.add("gn_alpha" + suffix)
    elif name == "dwa":
        fields["temperature"] = url_slider(settings["dwa_t" + suffix], tr("training.mt.dwa_t"),
                                           tr("training.mt.dwa_t.help"))
        shown.add("dwa_t" + suffix)
    return fields, shown


def controls(settings: Mapping[str, Setting]) -> tuple[MultitaskConfig, MultitaskConfig | None, int]:
    with st.expander(tr("training.mt.section.tasks"), expanded=True):
        scaled = url_choice(settings["scaled_task"], tr("training.mt.scaled_task"),
                            lambda k: tr("training.mt.task." + k), widget=st.radio, horizontal=True)
        scale = url_choice(settings["scale"], tr("training.mt.scale"), lambda s: f"×{s}", widget=st.select_slider,
                           help=tr("training.mt.scale.help"))
    with st.expander(tr("training.mt.section.run_a"), expanded=True):
        fields_a, shown = strategy_controls(settings, "")
    ab = url_choice(settings["mt_ab"], tr("training.mt.ab"), lambda v: tr("training.ab." + v), widget=st.radio,
                    horizontal=True)
    fields_b = None
    if ab == "on":
        with st.expander(tr("training.mt.section.run_b"), expanded=True):
            fields_b, shown_b = strategy_controls(settings, B_SUFFIX)
        shown |= shown_b
    with st.expander(tr("training.mt.section.run"), expanded=False):
        lr = url_choice(settings["mt_lr"], tr("training.mt.lr"), str, widget=st.select_slider)
        steps = int(url_slider(settings["mt_steps"], tr("training.steps"), integer=True))
        seed = int(url_slider(settings["mt_seed"], tr("training.seed"), tr("training.mt.seed.help"), integer=True))
    speed = int(url_choice(settings["mt_speed"], tr("training.speed"), str, widget=st.select_slider))
    shown |= {"mode", "scaled_task", "scale", "mt_ab", "mt_lr", "mt_steps", "mt_seed", "mt_speed"}
    drop_from_url(name for name in settings if name not in shown)  # the single-task settings too
    base = {"scale": float(scale), "scaled_task": scaled, "lr": float(lr), "steps": steps, "seed": seed}
    config_b = MultitaskConfig(**base, **fields_b) if fields_b is not None else None
    return MultitaskConfig(**base, **fields_a), config_b, speed


TRANSPORT = Transport(RUN_KEY, MultitaskLiveRun, "training_mt")


def status_line(run: MultitaskLiveRun) -> None:
    parts = [tr("training.status.step", done=run.steps_done, total=run.total_steps)]
    for name, trainer in run.runs.items():
        last = run.latest(name) or trainer.metrics()  # step 0: the untrained model's metrics
        parts.append(tr("training.mt.status.run", run=name, strategy=tr("training.mt.weighting." + trainer.config.weighting),
                        acc=fmt_number(last["metric_cls"], 3), rmse=fmt_number(last["metric_reg"], 3)))
    st.markdown(" &nbsp;|&nbsp; ".join(parts), help=tr("training.mt.status.help"))
    for name, step in run.diverged.items():
        st.error(tr("training.mt.diverged", run=name, step=step), icon="🛑")


def live_chart(run: MultitaskLiveRun) -> None:
    titles = mp.MultitaskTitles(step=tr("training.chart.step"), loss=tr("training.mt.chart.loss"),
                                metric=tr("training.mt.chart.metric"), weight=tr("training.mt.chart.weight"),
                                grad=tr("training.mt.chart.grad"),
                                tasks=(tr("training.mt.task.cls"), tr("training.mt.task.reg")))
    # prebuilt: plotly's validation of these 16 traces cost ~300 ms per tick on a loaded machine (tests validate)
    plotly_chart(mp.multitask_figure(run.histories, titles, height=CHART_HEIGHT), config=PLOT_CONFIG, theme=None,
                 key="training_mt_chart")
    st.caption(tr("training.mt.chart.caption"))


def explanations(run: MultitaskLiveRun) -> None:
    """Each strategy on screen: its paper, formula and constants (the run's own values)."""
    with st.expander(tr("training.mt.explain.title"), expanded=True):
        told, shown = set(), set()
        for trainer in run.runs.values():
            c = trainer.config
            values = {"w_cls": f"{c.weight_cls:g}", "w_reg": f"{c.weight_reg:g}", "alpha": f"{c.alpha:g}",
                      "t": f"{c.temperature:g}"}
            formula = FORMULAS["uncertainty_paper" if (c.weighting, c.uncertainty_form) == ("uncertainty", "paper")
                               else c.weighting].format(**values)
            if c.weighting not in told:
                st.markdown(tr("training.mt.explain." + c.weighting, **values))
                told.add(c.weighting)
            if formula not in shown:
                st.latex(formula)
                shown.add(formula)


def page(settings: Mapping[str, Setting]) -> None:
    """The whole multi-task mode, below the page title and the mode switch."""
    st.markdown(tr("training.mt.intro"))
    left, right = st.columns([1, 2.6], gap="medium")
    with left:
        config_a, config_b, speed = controls(settings)
    run = TRANSPORT.current_run(config_a, config_b)
    with right:
        TRANSPORT.buttons(run, speed)

        tick = tick_interval(run.playing and not run.finished, TICK_KEY, fastest=TICK_SECONDS)
        st.session_state[TICK_KEY] = tick

        @st.fragment(run_every=tick)
        def live_view() -> None:
            """Ticks while playing: a few steps, then the status and the chart. Its pace is
            shared with every other live view of the server (ui.ticking)."""
            live = st.session_state[RUN_KEY]
            if live.playing and not live.finished:
                if tick_interval(True, TICK_KEY, fastest=TICK_SECONDS) != st.session_state.get(TICK_KEY):
                    st.rerun()  # more or fewer sessions train now: tick at the interval the server affords
                live.advance(speed)
                if live.finished:  # stop ticking, refresh the buttons
                    live.playing = False
                    st.rerun()
            status_line(live)
            live_chart(live)

        live_view()
    explanations(run)
