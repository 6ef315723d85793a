"""/gan: a one-dimensional GAN trained live (play / pause / step / reset).

Storyboard: settings from the URL -> controls -> live view (a fragment that ticks while
playing: readouts, densities with D(x), losses over time) -> the saturating vs non-saturating
comparison -> formulas. The training state lives in session_state; all maths is in
lossviz.train.gan / gan_loop, all drawing in lossviz.gan_plots.
"""

import time

import streamlit as st
import torch

from lossviz import gan_plots, state
from lossviz.display import fmt_number
from lossviz.train import gan
from lossviz.train.gan_loop import GanConfig, GanTrainer
from ui.charts import plotly_chart
from ui.common import PLOT_CONFIG, show_url_notices, tr
from ui.perf import freeze_import_time_objects
from ui.ticking import tick_interval
from ui.url_state import url_choice, url_slider

freeze_import_time_objects()  # torch is imported by now; see ui/perf.py
torch.set_num_threads(1)  # tiny networks: threads only add overhead, and sessions share the CPU

SETTINGS = {s.name: s for s in state.GAN_SETTINGS}
TICK_SECONDS = 0.5  # the live view reruns this often while playing
TICK_BUDGET_SECONDS = 0.35  # at most this much training per tick (fewer steps on a busy CPU)
SUB_CHUNK = 5  # steps between budget checks
MAX_RUN_STEPS = 10_000  # a run pauses itself here
RUN, PLAYING = "gan_run", "gan_playing"
TICK_KEY = "gan_tick_s"  # the interval the live view is registered with (ui.ticking)
METRIC_WIDTH = 125  # pixels; fixed so the readouts wrap rather than truncate


@st.cache_data(show_spinner=False)
def cached_saturation_curves() -> dict:
    return gan.saturation_curves(199)


def controls() -> tuple[GanConfig, int]:
    target = url_choice(SETTINGS["target"], tr("gan.target"), format_func=lambda k: tr("gan.target." + k))
    loss = url_choice(SETTINGS["gan_loss"], tr("gan.loss"), format_func=lambda k: tr("gan.loss." + k))
    optimizer = url_choice(SETTINGS["gan_opt"], tr("gan.optimizer"), format_func=lambda k: tr("gan.optimizer." + k),
                           widget=st.radio, horizontal=True)
    lr_g = url_slider(SETTINGS["lr_g"], tr("gan.lr_g"), tr("gan.lr.help"), number_format="%.4f")
    lr_d = url_slider(SETTINGS["lr_d"], tr("gan.lr_d"), tr("gan.lr.help"), number_format="%.4f")
    with st.expander(tr("gan.more")):
        d_steps = url_slider(SETTINGS["d_steps"], tr("gan.d_steps"), tr("gan.d_steps.help"), integer=True)
        noise_dim = url_slider(SETTINGS["noise_dim"], tr("gan.noise_dim"), tr("gan.noise_dim.help"), integer=True)
        seed = url_slider(SETTINGS["gan_seed"], tr("gan.seed"), integer=True)
        speed = url_slider(SETTINGS["gan_speed"], tr("gan.speed"), tr("gan.speed.help"), integer=True)
    config = GanConfig(target=target, loss=loss, lr_g=lr_g, lr_d=lr_d, noise_dim=int(noise_dim), seed=int(seed),
                       d_steps=int(d_steps), optimizer=optimizer)
    return config, int(speed)


def new_run(config: GanConfig) -> dict:
    trainer = GanTrainer(config)
    return {"config": config, "trainer": trainer, "view": trainer.view(),
            "step": [], "loss_d": [], "loss_g": [], "d_fake": []}


def advance(run: dict, steps: int, budget_s: float | None = None) -> None:
    """Train up to ``steps`` more steps (bounded per run) and keep what is drawn. With a time
    budget (the ticks), stop early once it is spent, so a loaded server stays responsive;
    chunking does not change the run (tests/train/test_gan_loop.py)."""
    trainer, start = run["trainer"], time.perf_counter()
    remaining = min(steps, MAX_RUN_STEPS - trainer.steps_done)
    while remaining > 0 and not trainer.diverged:
        records = trainer.step(min(SUB_CHUNK, remaining))
        remaining -= len(records)
        for key in ("step", "loss_d", "loss_g", "d_fake"):
            run[key].extend(r[key] for r in records)
        if records:
            run["view"] = records[-1]["view"]
        if budget_s is not None and time.perf_counter() - start > budget_s:
            break


def buttons(run: dict, speed: int) -> None:
    """A wrapping row: on a narrow screen the buttons flow onto a second line instead of shrinking."""
    playing = st.session_state.get(PLAYING, False)
    with st.container(horizontal=True):
        st.button(tr("gan.pause") if playing else tr("gan.play"), key="gan_play", type="primary",
                  on_click=lambda: st.session_state.update({PLAYING: not playing}))
        st.button(tr("gan.step"), key="gan_step", on_click=lambda: advance(run, speed), help=tr("gan.step.help", n=speed))
        st.button(tr("gan.reset"), key="gan_reset",
                  on_click=lambda: st.session_state.update({RUN: new_run(run["config"]), PLAYING: False}))


def readouts(run: dict) -> None:
    trainer, view = run["trainer"], run["view"]
    with st.container(horizontal=True, gap="small"):  # four in a row at 1280 px, two by two on a narrow screen
        st.metric(tr("gan.metric.step"), f"{trainer.steps_done}", width=METRIC_WIDTH)
        st.metric(tr("gan.metric.loss_d"), fmt_number(run["loss_d"][-1]) if run["loss_d"] else "—", width=METRIC_WIDTH)
        st.metric(tr("gan.metric.loss_g"), fmt_number(run["loss_g"][-1]) if run["loss_g"] else "—", width=METRIC_WIDTH)
        st.metric(tr("gan.metric.modes"), f"{view['modes_covered']} / {view['modes_total']}",
                  help=tr("gan.metric.modes.help"), width=METRIC_WIDTH)
    masses = " · ".join(f"{100 * m:.0f}%" for m in view["mode_mass"])
    st.caption(tr("gan.mode_mass." + trainer.config.target, masses=masses, w1=fmt_number(view["wasserstein"], 3)))
    if trainer.diverged:
        st.error(tr("gan.diverged", step=trainer.steps_done + 1), icon="🛑")
    elif trainer.config.target == "bimodal" and trainer.steps_done >= 200 and view["modes_covered"] < view["modes_total"]:
        st.warning(tr("gan.collapse"), icon="⚠️")


def charts(run: dict) -> None:
    probability = run["config"].loss in gan.PROBABILITY_LOSSES
    titles = gan_plots.GanTitles(x=tr("gan.chart.x"), density=tr("gan.chart.density"),
                                 d_axis=tr("gan.chart.d_axis" if probability else "gan.chart.d_score"),
                                 real=tr("gan.chart.real"), fake=tr("gan.chart.fake"),
                                 d_trace=tr("gan.chart.d_trace" if probability else "gan.chart.d_score"))
    plotly_chart(gan_plots.density_figure(run["view"], titles, probability), config=PLOT_CONFIG,
                    theme=None, key="gan_density")
    series = {tr("gan.chart.loss_d"): run["loss_d"], tr("gan.chart.loss_g"): run["loss_g"]}
    plotly_chart(gan_plots.loss_history_figure(run["step"], series, tr("gan.chart.steps"), tr("gan.chart.loss")),
                    config=PLOT_CONFIG, theme=None, key="gan_losses")


def saturation_panel(run: dict) -> None:
    st.subheader(tr("gan.saturation.title"))
    st.markdown(tr("gan.saturation.body"))
    current = run["d_fake"][-1] if run["d_fake"] and run["config"].loss in gan.PROBABILITY_LOSSES else None
    names = {k: tr("gan.loss." + k) for k in ("minimax", "nonsaturating")}
    titles = {"x": tr("gan.saturation.x"), "loss": tr("gan.saturation.loss"),
              "grad": tr("gan.saturation.grad"), "now": tr("gan.saturation.now")}
    plotly_chart(gan_plots.saturation_figure(cached_saturation_curves(), names, titles, current),
                    config=PLOT_CONFIG, theme=None, key="gan_saturation")
    st.latex(r"L_D = -\left[\log D(x) + \log\bigl(1 - D(G(z))\bigr)\right], \quad D = \sigma(l)")
    st.latex(r"L_G^{\text{minimax}} = \log\bigl(1 - D(G(z))\bigr),\quad \frac{\partial L}{\partial l} = -D")
    st.latex(r"L_G^{\text{NS}} = -\log D(G(z)),\quad \frac{\partial L}{\partial l} = D - 1")
    st.code(tr("gan.code"), language="python")
    st.caption(tr("gan.other_losses"))


st.title(tr("gan.title"))
show_url_notices("gan", SETTINGS.values())
left, right = st.columns([1, 2.4], gap="medium")
with left:
    buttons_slot = st.container()  # the buttons sit above the settings, but need the run they set up
    config, speed = controls()
    if RUN not in st.session_state or st.session_state[RUN]["config"] != config:
        st.session_state[RUN] = new_run(config)  # a changed setting starts a new run
    with buttons_slot:
        buttons(st.session_state[RUN], speed)
    with st.expander(tr("gan.try.title")):
        st.markdown(tr("gan.try.body"))


TICK = tick_interval(bool(st.session_state.get(PLAYING)), TICK_KEY, fastest=TICK_SECONDS)
st.session_state[TICK_KEY] = TICK


@st.fragment(run_every=TICK)
def live_view() -> None:
    """Reruns alone every tick while playing: a bounded chunk of steps, then the readouts and
    charts. Its pace is shared with every other live view of the server (ui.ticking)."""
    run = st.session_state[RUN]
    trainer = run["trainer"]
    if st.session_state.get(PLAYING):
        if tick_interval(True, TICK_KEY, fastest=TICK_SECONDS) != st.session_state.get(TICK_KEY):
            st.rerun()  # more or fewer sessions train now: tick at the interval the server affords
        advance(run, speed, TICK_BUDGET_SECONDS)
        if trainer.diverged or trainer.steps_done >= MAX_RUN_STEPS:
            st.session_state[PLAYING] = False
            st.rerun()  # a full rerun redefines this fragment without run_every: the ticking stops
    readouts(run)
    charts(run)


with right:
    live_view()
saturation_panel(st.session_state[RUN])
