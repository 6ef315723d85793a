"""Live training: pick data, model, loss and optimizer; press play and watch a real torch run.

Storyboard: settings from the URL -> controls (left) -> play/pause/step/reset -> a ticking
fragment that advances the run a few steps per tick and redraws the boundary and the curves ->
an inspector (per-sample loss and gradient, confidence and ECE, CSV) refreshed on pause.
All training is in lossviz.train; all drawing in lossviz.training_plots.
"""


import streamlit as st

from lossviz import state, training_plots as tp
from lossviz.display import fmt_number
from lossviz.losses import LOSSES
from lossviz.train import ACTIVATIONS, DATASETS, OPTIMIZERS, TrainConfig, compatible_losses
from lossviz.train.session import LiveRun
from ui import custom_inputs, training_multitask
from ui.charts import mounted_plotly_chart
from ui.common import PLOT_CONFIG, lang, show_url_notices, tr
from ui.perf import freeze_import_time_objects
from ui.training_inspect import inspector, points_of
from ui.training_layout import layout_container
from ui.ticking import tick_interval
from ui.training_transport import Transport
from ui.url_state import drop_from_url, url_choice, url_slider

freeze_import_time_objects()  # torch is imported by now; see ui/perf.py

SETTINGS = {s.name: s for s in state.training_settings(
    DATASETS, tuple(ACTIVATIONS), OPTIMIZERS, (*LOSSES, state.CUSTOM_KEY),  # custom: the loss typed on /custom
    [p for loss in LOSSES.values() for p in loss.params])}
RUN_KEY = "training_live_run"
TICK_KEY = "training_tick_s"  # the interval the live view is registered with (ui.ticking: shared pace)
CHART_HEIGHT = 360


def data_controls() -> dict:
    """Data set and its own knobs; returns TrainConfig fields."""
    dataset = url_choice(SETTINGS["dataset"], tr("training.dataset"), lambda d: tr("training.dataset." + d))
    fields = {"dataset": dataset}
    if dataset in ("blobs", "spirals"):
        fields["n_classes"] = int(url_slider(SETTINGS["classes"], tr("training.classes")))
    if dataset == "imbalanced":
        fields["ratio"] = url_slider(SETTINGS["ratio"], tr("training.ratio"), tr("training.ratio.help"))
        fields["label_noise"] = url_slider(SETTINGS["label_noise"], tr("training.label_noise"))
    if dataset == "regression":
        fields["outliers"] = url_slider(SETTINGS["outliers"], tr("training.outliers"), tr("training.outliers.help"))
    else:
        fields["noise"] = url_slider(SETTINGS["noise"], tr("training.noise"))
    return fields


def model_controls() -> dict:
    hidden = url_choice(SETTINGS["hidden"], tr("training.hidden"),
                        lambda h: tr("training.hidden.linear") if h == "linear" else h.replace(",", " × "))
    activation = url_choice(SETTINGS["activation"], tr("training.activation"), str, widget=st.radio,
                            horizontal=True) if hidden != "linear" else "relu"
    batch = url_choice(SETTINGS["batch"], tr("training.batch"), str, widget=st.select_slider)
    steps = int(url_slider(SETTINGS["steps"], tr("training.steps")))
    seed = int(url_slider(SETTINGS["seed"], tr("training.seed"), tr("training.seed.help")))
    return {"hidden": () if hidden == "linear" else tuple(int(w) for w in hidden.split(",")),
            "activation": activation, "batch_size": int(batch), "steps": steps, "seed": seed}


def loss_controls(base: TrainConfig, suffix: str) -> tuple[dict, set[str]]:
    """Loss with its parameters, optimizer and learning rate of run A (suffix "") or B ("_b")."""
    loss_key = url_choice(SETTINGS["loss" + suffix], tr("training.loss"), custom_inputs.loss_label,
                          options=compatible_losses(base))
    # the typed loss: its expression and declarations (?expr=, ?params=), at their defaults; None if not valid
    custom = custom_inputs.training_fields("training" + suffix) if loss_key == state.CUSTOM_KEY else {}
    params = {p.name: url_slider(SETTINGS[p.name + suffix], f"{p.symbol}  ({p.name})", tr(p.help_key))
              for p in (LOSSES[loss_key].params if loss_key in LOSSES else ())}
    optimizer = url_choice(SETTINGS["optimizer" + suffix], tr("training.optimizer"),
                           lambda o: tr("training.optimizer." + o))
    lr = url_choice(SETTINGS["lr" + suffix], tr("training.lr"), str, widget=st.select_slider)
    shown = {"loss" + suffix, "optimizer" + suffix, "lr" + suffix, *(name + suffix for name in params)}
    return {"loss": loss_key, "loss_params": tuple(params.items()), "optimizer": optimizer,
            "lr": float(lr), **(custom if custom is not None else {"invalid": True})}, shown


def controls() -> tuple[TrainConfig, TrainConfig | None, int]:
    with st.expander(tr("training.section.data"), expanded=True):
        data = data_controls()
    with st.expander(tr("training.section.model"), expanded=False):
        model = model_controls()
    base = TrainConfig(**data, **model)
    with st.expander(tr("training.section.loss_a"), expanded=True):
        fields_a, shown = loss_controls(base, "")
    ab = url_choice(SETTINGS["ab"], tr("training.ab"), lambda v: tr("training.ab." + v), widget=st.radio,
                    horizontal=True)
    config_b = None
    if ab == "on":
        with st.expander(tr("training.section.loss_b"), expanded=True):
            fields_b, shown_b = loss_controls(base, state.B_SUFFIX)
        shown |= shown_b
        config_b = None if fields_b.get("invalid") else TrainConfig(**{**base.__dict__, **fields_b})
    speed = int(url_choice(SETTINGS["speed"], tr("training.speed"), str, widget=st.select_slider))
    shown |= {"hidden", "batch", "steps", "seed", "ab", "speed", "activation"}
    shown |= {{"n_classes": "classes"}.get(name, name) for name in data}
    drop_from_url(name for name in SETTINGS if name not in shown)  # keep shared links clean
    chosen = [fields_a, fields_b] if ab == "on" else [fields_a]
    if all(fields["loss"] != state.CUSTOM_KEY for fields in chosen):
        custom_inputs.leave()
    if any(fields.get("invalid") for fields in chosen):
        st.stop()  # a typed loss that is not valid: its message is shown, nothing to train
    return TrainConfig(**{**base.__dict__, **fields_a}), config_b, speed


TRANSPORT = Transport(RUN_KEY, LiveRun, "training")


def status_line(run: LiveRun) -> None:
    parts = [tr("training.status.step", done=run.steps_done, total=run.total_steps)]
    for name, history in run.histories.items():
        last = history.evals[-1]
        metric = ("val_mae", "training.mae") if "val_mae" in last else ("val_accuracy", "training.accuracy")
        label = f"**{name}**: " if len(run.runs) > 1 else ""
        parts.append(f"{label}{tr('training.val_loss')} {fmt_number(last['val_loss'])} · "
                     f"{tr(metric[1])} {fmt_number(last[metric[0]], 3)}")
    st.markdown(" &nbsp;|&nbsp; ".join(parts), help=tr("training.status.help"))
    for name, trainer in run.runs.items():
        if trainer.divergence is not None:
            d = trainer.divergence
            if d.what == "time":  # a typed loss out of its evaluation time (lossviz.expr)
                st.error(custom_inputs.stopped_text(name, d), icon="🛑")
                continue
            st.error(tr("training.diverged", run=name, step=d.step, what=tr("training.what." + d.what),
                        where=d.where, value=d.value), icon="🛑")


def live_charts(run: LiveRun) -> None:
    points = points_of(next(iter(run.runs.values())))
    grids = [(name, frames[-1][1]) for name, frames in run.snapshots.items()]
    n_classes = next(iter(run.runs.values())).data.n_classes
    left, right = st.columns([1.7, 1] if len(grids) > 1 else [1, 1], gap="small")
    # Both charts stay mounted while the run's settings hold (ui.charts.mounted_plotly_chart): each
    # tick redraws them with Plotly.react instead of Streamlit rebuilding them from nothing; and no
    # per-tick plotly validation of the dicts (validated in the tests).
    identity = (run.config_a, run.config_b, lang())
    with left:
        mounted_plotly_chart("training_boundary_chart", identity,
                             tp.boundary_figure(grids, points, n_classes, height=CHART_HEIGHT), config=PLOT_CONFIG,
                             theme=None, key="training_boundary")
    metric = "mae" if n_classes == 0 else "accuracy"
    curves = [tp.RunCurves(name, h.steps, h.batch_loss, h.grad_norm, h.eval_series("train_loss")[0],
                           h.eval_series("train_loss")[1], h.eval_series("val_loss")[1],
                           h.eval_series("val_" + metric)[1]) for name, h in run.histories.items()]
    titles = {key: tr("training.chart." + key) for key in ("loss", "grad", "step", "batch", "train", "val")}
    titles["metric"] = tr("training.chart." + metric)
    # fixed axes (the whole run's steps, round tops that move only when the data outgrow them):
    # a tick then moves the curves alone in the browser instead of replotting the chart
    ranges = tp.fixed_ranges(curves, run.total_steps, metric == "accuracy")
    with right:
        mounted_plotly_chart("training_curves_chart", identity,
                             tp.curves_figure(curves, titles, height=CHART_HEIGHT, ranges=ranges),
                             config=PLOT_CONFIG, theme=None, key="training_curves")
    st.caption(tr("training.chart.caption" + ("_regression" if n_classes == 0 else "")))


st.title(tr("training.title"))
show_url_notices("training", SETTINGS.values())
if training_multitask.chosen(SETTINGS):  # the mode switch; the multi-task mode is all in that module
    training_multitask.page(SETTINGS)
    st.stop()

left, right = layout_container().columns([1, 2.6], gap="medium")  # stacks below 1100 px
with left:
    config_a, config_b, speed = controls()
run = TRANSPORT.current_run(config_a, config_b)

with right:
    TRANSPORT.buttons(run, speed)

    tick = tick_interval(run.playing and not run.finished, TICK_KEY)
    st.session_state[TICK_KEY] = tick

    @st.fragment(run_every=tick)
    def live_view() -> None:
        """Ticks while playing: a few steps, then the status and both charts."""
        live = st.session_state[RUN_KEY]
        if live.playing and not live.finished:
            if tick_interval(True, TICK_KEY) != st.session_state.get(TICK_KEY):
                st.rerun()  # more or fewer sessions train now: tick at the interval the server affords
            live.advance(speed)
            if live.finished:  # stop ticking, refresh the buttons and the inspector
                live.playing = False
                st.rerun()
        status_line(live)
        live_charts(live)

    live_view()

inspector(run)
