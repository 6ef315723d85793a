"""lossviz.landscape_plots: both panels, log-loss colour on one scale, the path ends at the star."""

import numpy as np
import plotly.graph_objects as go

from lossviz import landscape_plots as lp
from lossviz.train import TrainConfig
from lossviz.train import landscape as L
from lossviz.train.session import LiveRun

TITLES = {"random": "r", "pca": "p", "alpha": "a", "beta": "b", "pc": "PC{k}: {share} %", "colorbar": "c",
          "hover": "h", "start": "start", "now": "now"}


def test_figure_has_both_planes_on_one_colour_scale_and_explained_variance_in_the_titles():
    run = LiveRun(TrainConfig(lr=0.03))
    for _ in range(6):
        run.advance(10, budget_s=float("inf"))
    trainer = run.runs["A"]
    random_plane = L.random_plane(trainer, size=9)
    steps, vectors = zip(*run.weights["A"])
    pca = L.pca_plane(trainer, steps, vectors, size=9)
    fig = lp.landscape_figure(random_plane, pca, TITLES)
    go.Figure(fig)
    contours = [t for t in fig["data"] if t["type"] == "contour"]
    assert len(contours) == 2 and contours[0]["zmin"] == contours[1]["zmin"]
    np.testing.assert_allclose(contours[0]["z"], np.log10(random_plane.loss), rtol=1e-6)
    share = pca[1].explained
    assert fig["layout"]["xaxis2"]["title"]["text"] == f"PC1: {100 * share[0]:.1f} %"
    path = next(t for t in fig["data"] if t.get("mode") == "lines+markers")
    assert (path["x"][-1], path["y"][-1]) == (0.0, 0.0)


def test_a_missing_panel_leaves_one_panel():
    plane = L.Plane(np.linspace(-1, 1, 3), np.linspace(-1, 1, 3), np.full((3, 3), 0.5))
    fig = lp.landscape_figure(plane, None, TITLES)
    go.Figure(fig)
    assert "xaxis2" not in fig["layout"] and sum(t["type"] == "contour" for t in fig["data"]) == 1
