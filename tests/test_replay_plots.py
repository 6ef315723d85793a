"""lossviz.replay_plots: the replay figure carries one slider step per snapshot, each exact."""

import numpy as np
import plotly.graph_objects as go

from lossviz import replay_plots as rp
from lossviz.train import TrainConfig
from lossviz.train.session import LiveRun
from ui.training_inspect import points_of

TITLES = {"step": "step", "loss": "Loss", "train": "train", "val": "val"}


def run_of(config: TrainConfig, config_b: TrainConfig | None = None, chunks: int = 6) -> LiveRun:
    run = LiveRun(config, config_b)
    for _ in range(chunks):
        run.advance(10, budget_s=float("inf"))
    return run


def figure_of(run: LiveRun, active=None) -> tuple[dict, list[rp.ReplayRun]]:
    runs = [rp.ReplayRun(n, run.snapshots[n], *h.eval_series("train_loss"), h.eval_series("val_loss")[1])
            for n, h in run.histories.items()]
    trainer = run.runs["A"]
    return rp.replay_figure(runs, points_of(trainer), trainer.data.n_classes, TITLES, "Step ", active=active), runs


def test_one_slider_step_per_snapshot_each_with_its_own_boundary_and_marker():
    run = run_of(TrainConfig(lr=0.03))
    fig, runs = figure_of(run)
    go.Figure(fig)  # valid plotly
    steps = fig["layout"]["sliders"][0]["steps"]
    assert len(steps) == len(run.snapshots["A"]) == 7  # step 0 and six chunks
    assert [s["label"] for s in steps] == [str(s) for s, _ in run.snapshots["A"]]
    for (step, grid), slider_step in zip(run.snapshots["A"], steps):
        restyle, _, indices = slider_step["args"]
        np.testing.assert_allclose(restyle["z"][0], np.round(grid["prob"][::2, ::2], 2), atol=1e-12)
        assert indices[0] == 0 and restyle["x"][1] == [step, step]  # the boundary field; the vertical line
        history = run.histories["A"]
        assert restyle["y"][2][0] == round(history.evals[[e["step"] for e in history.evals].index(step)]["val_loss"], 6)
    first = fig["data"][0]
    assert first["type"] == "contour" and first["z"] == steps[-1]["args"][0]["z"][0]  # drawn at the newest step


def test_ab_run_that_stopped_early_stays_on_its_last_snapshot():
    a = TrainConfig(dataset="regression", loss="mse", lr=0.03, steps=60)
    b = TrainConfig(dataset="regression", loss="huber", lr=0.03, steps=20)
    run = run_of(a, b)
    fig, runs = figure_of(run, active=0)
    steps = fig["layout"]["sliders"][0]["steps"]
    assert len(steps) == len(run.snapshots["A"]) == 7
    last_b = run.snapshots["B"][-1]
    assert last_b[0] == 20
    for step, slider_step in zip([s for s, _ in run.snapshots["A"]], steps):
        b_index = rp.frame_at(runs[1], step)
        assert run.snapshots["B"][b_index][0] == min(step, 20)
        np.testing.assert_allclose(slider_step["args"][0]["y"][1],
                                   np.round(run.snapshots["B"][b_index][1]["pred"][::2], 4), atol=1e-12)
    assert fig["layout"]["sliders"][0]["active"] == 0


def test_multiclass_replay_restyles_the_label_map():
    run = run_of(TrainConfig(dataset="blobs", loss="cross_entropy", n_classes=4, lr=0.03), chunks=3)
    fig, _ = figure_of(run)
    go.Figure(fig)
    z = fig["layout"]["sliders"][0]["steps"][1]["args"][0]["z"][0]
    assert fig["data"][0]["type"] == "heatmap" and set(np.unique(z)) <= {0, 1, 2, 3}


def test_value_at_takes_the_last_evaluation_at_or_before_the_step():
    assert rp.value_at([0, 10, 20], [3.0, 2.0, 1.0], 15) == 2.0
    assert rp.value_at([0, 10, 20], [3.0, 2.0, 1.0], 20) == 1.0
    assert np.isnan(rp.value_at([5], [1.0], 0))
