"""Figures for /training are valid plotly (validated by plotly itself) for every kind of run."""

import numpy as np
import plotly.graph_objects as go
import pytest

from lossviz import training_plots as tp
from lossviz.train import TrainConfig, views
from lossviz.train.session import LiveRun
from ui.training_inspect import gradient_share, points_of

TITLES = {k: k for k in ("loss", "grad", "step", "batch", "train", "val", "metric")}


@pytest.mark.parametrize("dataset, loss_a, loss_b", [
    ("moons", "bce", "focal"), ("spirals", "cross_entropy", "focal_multiclass"), ("regression", "mse", "huber"),
])
def test_every_figure_validates_in_plotly(dataset, loss_a, loss_b):
    base = TrainConfig(dataset=dataset, loss=loss_a)
    run = LiveRun(base, TrainConfig(**{**base.__dict__, "loss": loss_b}))
    run.advance(10, budget_s=60)
    trainer = run.runs["A"]
    grids = [(name, frames[-1][1]) for name, frames in run.snapshots.items()]
    figures = [tp.boundary_figure(grids, points_of(trainer), trainer.data.n_classes)]
    metric = "val_mae" if dataset == "regression" else "val_accuracy"
    figures.append(tp.curves_figure([tp.RunCurves(n, h.steps, h.batch_loss, h.grad_norm, *h.eval_series("train_loss"),
                                                  h.eval_series("val_loss")[1], h.eval_series(metric)[1])
                                     for n, h in run.histories.items()], TITLES))
    sample = views.per_sample(trainer)
    figures.append(tp.per_sample_figure(points_of(trainer), sample["grad"], sample["loss"], {"loss": "l", "hover": "h"}))
    if dataset != "regression":
        figures.append(tp.calibration_figure(views.calibration(trainer), {k: k for k in ("count", "ideal", "accuracy",
                                                                                          "confidence")}))
    for figure in figures:
        go.Figure(figure)  # raises on any invalid property


def test_per_sample_figure_survives_non_finite_gradients():
    points = tp.Points(x=np.zeros((3, 2)), label=np.array([0, 1, 0]))
    go.Figure(tp.per_sample_figure(points, np.array([np.nan, np.inf, 1.0]), np.array([1.0, np.nan, 2.0]),
                                   {"loss": "l", "hover": "h"}))


def test_gradient_share_of_the_top_tenth():
    grad = np.array([9.0] + [1.0] * 9)
    assert gradient_share(grad) == 9.0 / 18.0
    assert gradient_share(np.zeros(5)) == 0.0


def test_live_charts_are_thinned_but_keep_the_newest_step():
    import numpy as np

    from lossviz import training_plots as tp

    assert tp.thin(10) == slice(0, None, 1)
    n = 5000
    steps = list(range(1, n + 1))
    kept = steps[tp.thin(n)]
    assert len(kept) <= tp.MAX_CURVE_POINTS and kept[-1] == n
    run = tp.RunCurves("A", steps, [1.0] * n, [0.5] * n, [0, n], [1.0, 0.5], [1.0, 0.6], [0.5, 0.9])
    fig = tp.curves_figure([run], {k: k for k in ("loss", "grad", "step", "batch", "train", "val", "metric")})
    assert len(fig["data"][0]["x"]) == len(kept) and fig["data"][0]["x"][-1] == n
    grid = {"xs": np.linspace(-1, 1, 60), "ys": np.linspace(-1, 1, 60), "prob": np.random.default_rng(0).random((60, 60)),
            "label": np.zeros((60, 60), dtype=int)}
    points = tp.Points(x=np.zeros((4, 2)), label=np.array([0, 1, 0, 1]))
    field = tp.boundary_figure([("A", grid)], points, 2)["data"][0]
    assert field["type"] == "contour" and np.asarray(field["z"]).shape == (30, 30)
    np.testing.assert_allclose(field["z"], grid["prob"][::2, ::2].astype(np.float32))


def test_fixed_ranges_hold_the_data_and_stay_put_between_ticks():
    run = LiveRun(TrainConfig(dataset="moons", steps=300, seed=0), None)
    h = run.histories["A"]

    def curves():
        return [tp.RunCurves("A", h.steps, h.batch_loss, h.grad_norm, *h.eval_series("train_loss"),
                             h.eval_series("val_loss")[1], h.eval_series("val_accuracy")[1])]

    run.advance(40, budget_s=60)
    first = tp.fixed_ranges(curves(), run.total_steps, True)
    assert first["xaxis"] == [0.0, 300.0] and first["yaxis2"] == [0.0, 1.02]
    assert first["yaxis"][0] == 0 and max(h.batch_loss) <= first["yaxis"][1] <= 1.6 * max(h.batch_loss)
    low, high = first["yaxis3"]  # log10 units, whole decades around every gradient norm
    assert 10 ** low <= min(h.grad_norm) and max(h.grad_norm) <= 10 ** high and float(low).is_integer()
    run.advance(5, budget_s=60)  # one more tick: the loss fell, so the axes stay and the browser moves the curves alone
    assert tp.fixed_ranges(curves(), run.total_steps, True) == first
    fig = tp.curves_figure(curves(), TITLES, ranges=first)
    assert fig["layout"]["yaxis"]["range"] == first["yaxis"] and fig["layout"]["yaxis"]["autorange"] is False
    go.Figure(fig)  # still a valid figure
    empty = tp.fixed_ranges([tp.RunCurves("A", [], [], [], [], [], [], [])], 0, False)
    assert empty == {"xaxis": [0.0, 1.0], "yaxis": [0.0, 1.0], "yaxis2": [0.0, 1.0], "yaxis3": [-3.0, 1.0]}
