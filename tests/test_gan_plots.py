"""/gan chart builders: valid plotly figures, thinned histories that keep the last step."""

import math

import numpy as np
import plotly.graph_objects as go

from lossviz import gan_plots
from lossviz.train import gan
from lossviz.train.gan_loop import GanConfig, GanTrainer


def test_density_figure_is_a_valid_plotly_figure_with_real_generated_and_d():
    view = GanTrainer(GanConfig(batch=16, hidden=4)).view()
    figure = gan_plots.density_figure(view, gan_plots.GanTitles(), d_is_probability=True)
    go.Figure(figure)  # plotly validates every property
    assert [t["yaxis"] if "yaxis" in t else "y" for t in figure["data"]] == ["y", "y", "y2"]
    assert figure["layout"]["yaxis2"]["range"] == [-0.02, 1.02]
    score = gan_plots.density_figure(view, gan_plots.GanTitles(), d_is_probability=False)
    assert "range" not in score["layout"]["yaxis2"]


def test_thin_keeps_at_most_the_budget_and_always_the_last_index():
    assert gan_plots.thin(list(range(10))) == list(range(10))
    kept = gan_plots.thin(list(range(10_001)), max_points=400)
    assert len(kept) <= 401 and kept[0] == 0 and kept[-1] == 10_000


def test_loss_history_figure_sends_thinned_steps_and_turns_inf_into_gaps():
    steps = list(range(1, 1001))
    values = [1.0] * 999 + [math.inf]
    figure = gan_plots.loss_history_figure(steps, {"D": values, "G": values}, "step", "loss")
    go.Figure(figure)
    x, y = figure["data"][0]["x"], figure["data"][0]["y"]
    assert len(x) <= gan_plots.MAX_HISTORY_POINTS + 1 and x[-1] == 1000 and np.isnan(y[-1])


def test_saturation_figure_marks_the_current_d_on_both_panels():
    curves = gan.saturation_curves(51)
    names = {"minimax": "minimax", "nonsaturating": "non-saturating"}
    titles = {"x": "D", "loss": "L", "grad": "dL/dl", "now": "now"}
    figure = gan_plots.saturation_figure(curves, names, titles, current_d=0.1)
    go.Figure(figure)
    assert len(figure["data"]) == 4 and len(figure["layout"]["shapes"]) == 2
    assert all(shape["x0"] == 0.1 for shape in figure["layout"]["shapes"])
    assert gan_plots.saturation_figure(curves, names, titles, current_d=None)["layout"]["shapes"] == []
