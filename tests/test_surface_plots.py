"""lossviz.surface_plots: valid plotly figures, arrows along −∇L, colour scale, scrubber frames."""

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from lossviz import scrub, surface_plots
from lossviz.optim_paths import run_path
from lossviz.surfaces import loss_grid

TITLES = surface_plots.SurfaceTitles(x="x", y="y", color="loss L", start="start", minimum="minimum")


def traces_for(surface_key, runs, steps=30):
    out = []
    for key, lr in runs:
        summary = run_path(surface_key, key, (-1.5, 2.5), steps, lr=lr)
        out.append(surface_plots.PathTrace(f"{key} · {lr:g}", summary.points, summary.losses))
    return out


@pytest.mark.parametrize("three_d", [False, True])
def test_figures_with_a_diverged_path_are_valid_plotly_and_json_without_infinity(three_d):
    grid = loss_grid("rosenbrock", resolution=30)
    paths = traces_for("rosenbrock", [("sgd", 0.05), ("adam", 0.1)])  # sgd diverges to ~1e100 first
    if three_d:
        figure = surface_plots.surface3d_figure(grid, paths, (-1.5, 2.5), 1.0, TITLES)
    else:
        figure = surface_plots.contour_figure(grid, paths, (-1.5, 2.5), (1.0, 1.0), TITLES)
    frames, labels = surface_plots.step_frames(paths, 30, "step", three_d=three_d, floor=float(grid["loss"].min()))
    figure = scrub.add_scrubber(figure, frames, labels, active=30, trace_indices=[len(figure["data"]) - 1])
    go.Figure(figure)  # plotly validates every property
    text = pio.to_json(figure, validate=False)
    assert "Infinity" not in text and "NaN" not in text
    assert len(json.loads(text)["layout"]["sliders"][0]["steps"]) == 31


def test_arrows_point_downhill_along_minus_gradient():
    x = y = np.linspace(-1, 1, 5)
    grad_x, grad_y = np.full((5, 5), 3.0), np.full((5, 5), -1.0)  # −∇L = (−3, 1)
    ax, ay = surface_plots.arrow_segments(x, y, grad_x, grad_y, per_side=5)
    shaft = np.array([ax[1] - ax[0], ay[1] - ay[0]])
    expected = np.array([-3.0, 1.0])
    assert np.dot(shaft, expected) / (np.linalg.norm(shaft) * np.linalg.norm(expected)) == pytest.approx(1.0)
    assert np.isnan(ax[2])  # segments are separated by gaps


def test_zero_gradient_draws_no_arrow():
    x = y = np.linspace(-1, 1, 3)
    ax, _ = surface_plots.arrow_segments(x, y, np.zeros((3, 3)), np.zeros((3, 3)), per_side=3)
    assert ax.size == 0


def test_colour_is_monotone_in_loss_and_ticks_are_labelled_in_loss_units():
    loss = np.array([0.5, 1.0, 10.0, 1000.0])
    colours = surface_plots.color_values(loss, floor=0.5)
    assert colours[0] == 0.0 and (np.diff(colours) > 0).all()
    positions, labels = surface_plots.colorbar_ticks(loss, floor=0.5)
    assert (np.diff(positions) > 0).all()
    for position, label in zip(positions, labels):  # each label is the loss at its position
        assert surface_plots.color_values(np.array(float(label)), 0.5) == pytest.approx(position, rel=1e-2, abs=1e-3)


def test_heads_stay_at_the_last_point_of_a_path_that_ended():
    short = surface_plots.PathTrace("a", np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([2.0, 1.0]))
    long = surface_plots.PathTrace("b", np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]]), np.array([5.0, 4.0, 3.0]))
    assert surface_plots.head_positions([short, long], 2) == ([1.0, 3.0], [1.0, 4.0], [1.0, 3.0])
