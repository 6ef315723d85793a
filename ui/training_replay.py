"""/training's replay and loss landscape views (two views of the inspector, ui/training_inspect.py).

Replay: the kept snapshots of a paused or finished run, scrubbed in the browser (lossviz.scrub):
one figure with the boundary (or fitted curve) on top and the loss curves below, a slider with one
position per snapshot, and readouts that follow it (ui.scrub_readouts). No server run per position.

Landscape: on a button press, the loss over a plane of filter-normalised random directions around
the current weights and over the trajectory's PCA plane (lossviz.train.landscape), drawn by
lossviz.landscape_plots. Kept in session state for the run, run name and step it was computed at.
"""

from __future__ import annotations

import streamlit as st

from lossviz import landscape_plots as lp, replay_plots as rp
from lossviz.scrub import at_step
from lossviz.display import fmt_number
from lossviz.train import landscape
from lossviz.train.session import LiveRun
from ui.charts import plotly_chart
from ui.common import PLOT_CONFIG, lang, tr
from ui.scrub_readouts import scrub_readouts

REPLAY_CHART = "training_replay_chart"
LANDSCAPE_KEY = "training_landscape"
REPLAY_CACHE = "training_replay_figure"
REPLAY_AT = "training_replay_at"  # (figure key, slider position the user let go at)


def replay_runs(run: LiveRun) -> list[rp.ReplayRun]:
    return [rp.ReplayRun(name, run.snapshots[name], *h.eval_series("train_loss"), h.eval_series("val_loss")[1])
            for name, h in run.histories.items()]


def readout_table(run: LiveRun, steps: list[int]) -> tuple[list[str], list[list[str]]]:
    """Step, and per run the validation loss and accuracy (or MAE), at every replayed step."""
    regression = next(iter(run.runs.values())).data.task == "regress"
    metric = ("val_mae", "training.mae") if regression else ("val_accuracy", "training.accuracy")
    labels, columns = [tr("training.chart.step")], [[str(s) for s in steps]]
    for name, history in run.histories.items():
        label = f"{name} · " if len(run.runs) > 1 else ""
        for key, text in (("val_loss", tr("training.val_loss")), (metric[0], tr(metric[1]))):
            series = history.eval_series(key)
            labels.append(label + text)
            columns.append([fmt_number(rp.value_at(*series, s), 4) for s in steps])
    return labels, [list(row) for row in zip(*columns)]


def replay_tab(run: LiveRun) -> None:
    from ui.training_inspect import points_of  # (training_inspect imports this module)

    if run.playing:
        st.caption(tr("training.replay.playing"))
        return
    runs = replay_runs(run)
    steps = rp.timeline(runs)
    if len(steps) < 2:
        st.info(tr("training.replay.empty"))
        return
    first = next(iter(run.runs.values()))
    key = (id(run), run.steps_done, len(steps), lang())
    cached = st.session_state.get(REPLAY_CACHE)
    if cached is None or cached[0] != key:  # a rerun of this view (a readout settling) reuses it
        titles = {"step": tr("training.chart.step"), "loss": tr("training.chart.loss"),
                  "train": tr("training.chart.train"), "val": tr("training.chart.val")}
        figure = rp.replay_figure(runs, points_of(first), first.data.n_classes, titles,
                                  prefix=tr("training.replay.prefix"))
        cached = (key, figure)
        st.session_state[REPLAY_CACHE] = cached
    settled = st.session_state.get(REPLAY_AT)
    active = settled[1] if settled is not None and settled[0] == key else len(steps) - 1

    def settle() -> None:  # where the user let go: the readouts and the chart stay there on reruns
        index = st.session_state["training_replay_readouts"]["index"]
        if index is not None and 0 <= index < len(steps):
            st.session_state[REPLAY_AT] = (key, int(index))

    labels, rows = readout_table(run, steps)
    scrub_readouts(REPLAY_CHART, labels, rows, active, key="training_replay_readouts", on_settle=settle)
    with st.container(key=REPLAY_CHART):
        figure = cached[1] if active == len(steps) - 1 else at_step(cached[1], active)
        plotly_chart(figure, config=PLOT_CONFIG, theme=None, key="training_replay_plot")
    st.caption(tr("training.replay.caption", n=len(steps)))


def compute_landscape(run: LiveRun, which: str) -> dict:
    """Both planes, or for each the kind of LandscapeError that stopped it."""
    trainer = run.runs[which]
    if trainer.divergence is not None:  # NaN or inf somewhere: nothing finite to draw around
        return {"random_error": "diverged"}
    result: dict = {}
    try:
        result["random"] = landscape.random_plane(trainer, seed=trainer.config.seed)
    except landscape.LandscapeError as error:
        result["random_error"] = error.kind
    steps, vectors = zip(*run.weights[which]) if run.weights[which] else ((), ())
    try:
        result["pca"] = landscape.pca_plane(trainer, steps, vectors, seed=trainer.config.seed)
    except landscape.LandscapeError as error:
        result["pca_error"] = error.kind
    return result


def landscape_tab(run: LiveRun, which: str) -> None:
    trainer = run.runs[which]
    st.caption(tr("training.landscape.intro"))
    key = (id(run), which, trainer.steps_done)
    if st.button(tr("training.landscape.compute"), key="training_landscape_go", disabled=run.playing):
        st.session_state[LANDSCAPE_KEY] = (key, compute_landscape(run, which))
    stored = st.session_state.get(LANDSCAPE_KEY)
    if run.playing:
        st.caption(tr("training.landscape.playing"))
        return
    if stored is None or stored[0] != key:
        st.caption(tr("training.landscape.press", step=trainer.steps_done))
        return
    result = stored[1]
    for part in ("random", "pca"):
        if part + "_error" in result:
            st.warning(tr(f"training.landscape.error.{result[part + '_error']}"), icon="⚠️")
    if "random" not in result and "pca" not in result:
        return
    titles = {name: tr("training.landscape." + name) for name in
              ("random", "pca", "alpha", "beta", "colorbar", "hover", "start", "now")}
    titles["pc"] = tr("training.landscape.pc")
    figure = lp.landscape_figure(result.get("random"), result.get("pca"), titles)
    plotly_chart(figure, config=PLOT_CONFIG, theme=None, key="training_landscape_plot")
    if "random" in result:
        plane = result["random"]
        centre = plane.loss[len(plane.betas) // 2, len(plane.alphas) // 2]
        st.caption(tr("training.landscape.summary", loss=fmt_number(float(centre)), step=trainer.steps_done,
                      n=len(plane.alphas), points=min(landscape.N_EVAL, trainer.data.x_train.shape[0])))
    if "pca" in result:
        share = lp.explained_text(result["pca"][1].explained)
        st.caption(tr("training.landscape.pca_summary", pc1=share[0], pc2=share[1],
                      snapshots=len(result["pca"][1].steps)))
