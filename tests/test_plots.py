"""Chart builders: valid plotly figures, linked panels, the current point and readable ranges."""

import numpy as np
import plotly.graph_objects as go
import pytest

from lossviz import plots

X = np.linspace(-2, 2, 81)
TITLES = plots.AxisTitles(x="x", loss="L", grad="dL")


def series(name, scale=1.0):
    return plots.CurveSeries(name, X, scale * X**2, scale * 2 * X)


def test_figure_is_valid_plotly_with_loss_and_gradient_per_curve():
    fig = plots.loss_and_gradient_figure([series("a"), series("b", 2.0)], None, TITLES)
    go.Figure(fig)  # raises on any invalid property
    assert [(t["name"], t["yaxis"]) for t in fig["data"]] == [("a", "y"), ("a", "y2"), ("b", "y"), ("b", "y2")]
    assert [t["showlegend"] for t in fig["data"]] == [True, False, True, False]
    np.testing.assert_allclose(fig["data"][1]["y"], 2 * X, rtol=1e-6)
    assert fig["layout"]["xaxis"]["matches"] == "x2"  # the panels share x


def test_each_curve_gets_its_own_colour_and_dash():
    fig = plots.loss_and_gradient_figure([series(str(i)) for i in range(4)], None, TITLES)
    loss_traces = fig["data"][::2]
    assert len({t["line"]["color"] for t in loss_traces}) == 4
    assert len({t["line"]["dash"] for t in loss_traces}) == 4
    assert all(t["line"]["color"] in plots.OKABE_ITO for t in loss_traces)


def test_current_point_marks_both_panels_and_draws_the_tangent():
    point = plots.CurrentPoint(1.0, 1.0, 2.0, (0.0, 2.0), (-1.0, 3.0))
    fig = plots.loss_and_gradient_figure([series("a")], point, TITLES)
    go.Figure(fig)
    shapes = fig["layout"]["shapes"]
    tangent = [s for s in shapes if s["type"] == "line"]
    assert tangent and (tangent[0]["x0"], tangent[0]["y0"], tangent[0]["x1"], tangent[0]["y1"]) == (0.0, -1.0, 2.0, 3.0)
    circles = {(s["yref"], s["xanchor"], s["yanchor"]) for s in shapes if s["type"] == "circle"}
    assert circles == {("y", 1.0, 1.0), ("y2", 1.0, 2.0)}


def test_a_gradient_spike_does_not_flatten_the_panel():
    p = np.linspace(0.005, 0.995, 161)
    spike = plots.CurveSeries("ce", p, -np.log(p), -1.0 / p)  # -1/p reaches -200
    fig = plots.loss_and_gradient_figure([spike], None, TITLES)
    low, high = fig["layout"]["yaxis2"]["range"]
    assert -200 < low < -1 and high > -1.2


def test_non_finite_values_become_gaps():
    bad = plots.CurveSeries("bad", X, np.where(X > 1, np.inf, X), np.where(X < -1, np.nan, X))
    fig = plots.loss_and_gradient_figure([bad], plots.CurrentPoint(0.0, float("nan"), 0.0), TITLES)
    assert np.isnan(fig["data"][0]["y"][-1]) and np.isnan(fig["data"][1]["y"][0])
    assert fig["layout"]["yaxis"]["range"] is not None
    assert [s["yref"] for s in fig["layout"]["shapes"] if s["type"] == "circle"] == ["y2"]  # NaN point skipped


def _scrubbed(loss_key="bce", label=0.0, prob_axis=True, active=320, embedded=False):
    from lossviz import get_loss, grads

    loss = get_loss(loss_key)
    xs = grads.slider_grid(-8.0, 8.0, 0.05)
    pts = grads.explorer_points(loss, xs, label, loss.defaults())
    x = pts["prob"] if prob_axis else pts["x"]
    grad = pts["grad_prob"] if prob_axis else pts["grad"]
    curve = plots.CurveSeries("L", x, pts["loss"], grad)
    point = plots.ScrubbedPoint(x, pts["loss"], grad, [f"{v:g}" for v in xs], active, "z = ")
    x_range = (0.0, 1.0) if prob_axis else (-8.0, 8.0)
    build = plots.scrubbed_loss_figure if embedded else plots.scrubbed_loss_parts
    return build([curve], point, plots.AxisTitles("p", "L", "g"), x_range), pts


def _shapes_at(figure: dict, steps: dict, i: int) -> list[dict]:
    """The shapes the browser shows at position i: each step's attributes merged into the figure's
    shapes, as ui/scrub_readouts.py does."""
    relayout = steps["frames"][i][1]
    return [{**shape, **relayout.get(f"shapes[{k}]", {})} for k, shape in enumerate(figure["layout"]["shapes"])]


def test_scrubbed_figure_is_valid_plotly_with_one_step_per_slider_position():
    import plotly.graph_objects as go

    (figure, steps), pts = _scrubbed()
    go.Figure(figure)  # validates every property
    assert len(steps["frames"]) == len(steps["labels"]) == len(pts["x"]) == 321
    assert steps["active"] == 320 and steps["labels"][320] == "8"
    assert figure["layout"]["shapes"] == _shapes_at(figure, steps, 320)  # the first paint shows the active step
    embedded, _ = _scrubbed(embedded=True)  # plotly's own slider: whole shapes per step, still valid plotly
    go.Figure(embedded)
    (slider,) = embedded["layout"]["sliders"]
    assert slider["steps"][5]["args"][1]["shapes"] == _shapes_at(figure, steps, 5)


def test_every_scrub_step_keeps_point_and_tangent_inside_the_plotted_box():
    """BCE with y = 0 on the probability axis: the loss reaches 8 and dL/dp thousands at z = 8."""
    (figure, steps), pts = _scrubbed()
    x_range = figure["layout"]["xaxis2"]["range"]
    for i, (_, layout) in enumerate(steps["frames"]):
        tangent, on_loss, on_grad = _shapes_at(figure, steps, i)
        low, high = layout["yaxis.range"]
        assert on_loss["visible"] and x_range[0] <= on_loss["xanchor"] <= x_range[1]
        assert low <= on_loss["yanchor"] <= high
        glow, ghigh = layout["yaxis2.range"]
        assert glow <= on_grad["yanchor"] <= ghigh
        if tangent["visible"]:
            for tx, ty in ((tangent["x0"], tangent["y0"]), (tangent["x1"], tangent["y1"])):
                assert x_range[0] <= tx <= x_range[1] and low - 1e-9 <= ty <= high + 1e-9
    assert -0.02 <= x_range[0] and x_range[1] <= 1.02  # the probability axis stays on [0, 1]


def test_scrub_step_values_are_the_torch_values_at_that_position():
    (figure, steps), pts = _scrubbed(prob_axis=False, active=0)
    assert steps["labels"][200] == "2"  # z = -8 + 200 * 0.05 = 2
    _, on_loss, on_grad = _shapes_at(figure, steps, 200)
    assert on_loss["yanchor"] == float(pts["loss"][200]) and on_grad["yanchor"] == float(pts["grad"][200])
    assert on_loss["xanchor"] == on_grad["xanchor"] == float(pts["x"][200])


def test_clip_segment_cuts_a_steep_tangent_to_the_box():
    xs, ys = plots.clip_segment(0.5, 1.0, 100.0, (0.0, 1.0), (0.0, 2.0), 0.2)
    assert xs == [0.49, 0.51] and ys[0] == pytest.approx(0.0) and ys[1] == pytest.approx(2.0)
    assert plots.clip_segment(0.5, 1.0, float("nan"), (0.0, 1.0), (0.0, 2.0), 0.2) == ([], [])
