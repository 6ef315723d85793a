"""Chart builders: valid plotly figures, linked panels, the current point and readable ranges."""

import numpy as np
import plotly.graph_objects as go

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
