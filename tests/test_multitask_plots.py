"""The multi-task chart: valid plotly, one trace per run, task and panel carrying exactly the
recorded numbers, log axes where the values span decades, thinned for the wire, empty runs drawn."""

import numpy as np
import plotly.graph_objects as go
import pytest

from lossviz.multitask_plots import PANELS, MultitaskTitles, multitask_figure
from lossviz.train.multitask import MultitaskConfig
from lossviz.train.multitask_session import MultitaskLiveRun

TITLES = MultitaskTitles(step="s", loss="L", metric="m", weight="w", grad="g", tasks=("C", "R"))


@pytest.fixture(scope="module")
def live():
    config = MultitaskConfig(weighting="fixed", hidden=8, n_train=64, steps=20, scale=1000.0)
    run = MultitaskLiveRun(config, MultitaskConfig(**{**config.__dict__, "weighting": "uncertainty"}))
    run.advance(20, budget_s=float("inf"))
    return run


def test_figure_validates_in_plotly_and_has_one_trace_per_run_task_and_panel(live):
    figure = multitask_figure(live.histories, TITLES)
    go.Figure(figure)  # raises on any invalid property
    assert len(figure["data"]) == 2 * 2 * len(PANELS)
    assert {t["name"] for t in figure["data"]} == {"A · C", "A · R", "B · C", "B · R"}
    assert sum(t["showlegend"] for t in figure["data"]) == 4  # one legend entry per run and task


def test_traces_carry_the_recorded_values_on_their_panel(live):
    figure = multitask_figure(live.histories, TITLES)
    for trace in figure["data"]:
        run, task = trace["name"].split(" · ")
        key_task = {"C": "cls", "R": "reg"}[task]
        panel = PANELS[0 if trace["yaxis"] == "y" else int(trace["yaxis"][1:]) - 1][0]
        expected = np.asarray(live.histories[run][f"{panel}_{key_task}"], dtype=np.float32)
        np.testing.assert_array_equal(trace["y"], expected)
        assert trace["line"]["dash"] == {"A": "solid", "B": "dash"}[run]


def test_losses_weights_and_gradients_are_on_log_axes_the_metric_linear(live):
    layout = multitask_figure(live.histories, TITLES)["layout"]
    assert [layout[a]["type"] for a in ("yaxis", "yaxis2", "yaxis3", "yaxis4")] == ["log", "linear", "log", "log"]
    assert [a["text"] for a in layout["annotations"]] == ["<b>L</b>", "<b>m</b>", "<b>w</b>", "<b>g</b>"]
    assert all("tickvals" in layout[a] for a in ("yaxis", "yaxis3", "yaxis4"))


def test_the_imbalance_shows_as_orders_of_magnitude_between_the_task_losses(live):
    """With the regression loss ×1000 and fixed weights, the regression gradient on the trunk
    is far bigger than the classification one: the gap the log axes are there to show."""
    a = live.histories["A"]
    assert a["loss_reg"][0] / a["loss_cls"][0] > 100
    assert np.median(np.array(a["grad_reg"]) / np.array(a["grad_cls"])) > 10


def test_long_histories_are_thinned_and_keep_the_last_step():
    steps = list(range(1, 5001))
    history = {"step": steps, **{f"{p}_{t}": [1.0] * 5000 for p, _ in PANELS for t in ("cls", "reg")}}
    figure = multitask_figure({"A": history}, TITLES)
    assert all(len(t["x"]) <= 401 for t in figure["data"])
    assert figure["data"][0]["x"][-1] == 5000
    assert figure["data"][0]["name"] == "C"  # one run: no "A ·" prefix


def test_runs_without_steps_and_non_finite_values_still_draw():
    go.Figure(multitask_figure({"A": {}, "B": {}}, TITLES))
    history = {"step": [1, 2], **{f"{p}_{t}": [np.inf, 1.0] for p, _ in PANELS for t in ("cls", "reg")}}
    figure = multitask_figure({"A": history}, TITLES)
    go.Figure(figure)
    assert np.isnan(figure["data"][0]["y"][0])  # a gap, not an infinite point


@pytest.mark.parametrize("values, expected", [
    ([0.6, 7.0], [0.5, 1, 2, 5, 10]),  # under a decade: 1-2-5 steps
    ([0.65, 10.9], [0.3, 1, 3, 10]),  # too many for 1-2-5: 1-3 steps, 1 and 10 kept
    ([0.05, 30.0, 300.0], [0.1, 1, 10, 100]),  # decades inside the data's range
    ([1e-5, 1e4], [1e-5, 1e-3, 0.1, 10, 1000]),  # many decades: every other one, at most five ticks
    ([0.0, -1.0, np.nan, 2.0], [1, 2, 5]),  # zero, negative and NaN values cannot sit on a log axis
])
def test_log_ticks_are_few_and_cover_the_data(values, expected):
    from lossviz.multitask_plots import log_ticks

    ticks = log_ticks(values)
    assert ticks["tickvals"] == pytest.approx(expected)
    assert len(ticks["ticktext"]) == len(expected) <= 5
    assert log_ticks([]) == {} and log_ticks([0.0]) == {}
