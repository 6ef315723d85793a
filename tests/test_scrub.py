"""lossviz.scrub: a client-side slider whose steps restyle traces in the browser."""

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from lossviz import scrub


def _figure():
    return {"data": [{"type": "scatter", "x": [0.0, 1.0], "y": [0.0, 1.0]},
                     {"type": "scatter", "mode": "markers", "x": [0.0], "y": [0.0]}],
            "layout": {"height": 400, "margin": {"b": 50}}}


def test_each_step_updates_the_listed_traces_with_its_frame():
    grid = np.linspace(-1, 1, 5)
    frames = [{"data": {"x": [[v]], "y": [[v * v]]}, "layout": {"title": {"text": f"{v:g}"}}} for v in grid]
    fig = scrub.add_scrubber(_figure(), frames, [f"{v:g}" for v in grid], active=2, trace_indices=[1])
    (slider,) = fig["layout"]["sliders"]
    assert slider["active"] == 2
    assert [s["label"] for s in slider["steps"]] == ["-1", "-0.5", "0", "0.5", "1"]
    step = slider["steps"][4]
    assert step["method"] == "update"
    data_update, layout_update, traces = step["args"]
    assert data_update == {"x": [[1.0]], "y": [[1.0]]}
    assert layout_update == {"title": {"text": "1"}}
    assert traces == [1]


def test_figure_is_valid_plotly_and_json_without_nan():
    frames = [{"data": {"y": [np.array([1.0, np.nan, np.inf])]}}, {"data": {"y": [np.array([2.0, 3.0, 4.0])]}}]
    fig = scrub.add_scrubber(_figure(), frames, ["a", "b"], trace_indices=[0])
    go.Figure(fig)  # plotly validates every property; raises on a bad slider
    text = pio.to_json(fig, validate=False)
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text)["layout"]["sliders"][0]["steps"][0]["args"][0]["y"] == [[1.0, None, None]]


def test_room_is_made_below_the_plot_and_input_is_not_modified():
    original = _figure()
    fig = scrub.add_scrubber(original, [{"data": {}}], ["only"])
    assert fig["layout"]["height"] == 400 + scrub.SLIDER_HEIGHT
    assert fig["layout"]["margin"]["b"] == 50 + scrub.SLIDER_HEIGHT
    assert "sliders" not in original["layout"] and original["layout"]["height"] == 400


@pytest.mark.parametrize(
    "frames, labels, active",
    [([{}], ["a", "b"], 0), ([], [], 0), ([{}] * 2, ["a", "b"], 2), ([{}] * (scrub.MAX_FRAMES + 1), ["x"] * (scrub.MAX_FRAMES + 1), 0)],
)
def test_bad_arguments_raise_value_error(frames, labels, active):
    with pytest.raises(ValueError):
        scrub.add_scrubber(_figure(), frames, labels, active=active)


def test_scrub_steps_carry_one_restyle_and_relayout_per_position():
    frames = [{"data": {"y": [[float(v)]]}, "layout": {"shapes[0]": {"x0": float(v)}}} for v in (1.0, np.nan, 3.0)]
    steps = scrub.scrub_steps(frames, ["a", "b", "c"], active=2, prefix="x = ", trace_indices=[1])
    assert steps["labels"] == ["a", "b", "c"] and steps["active"] == 2 and steps["traces"] == [1]
    assert steps["frames"][1] == [{"y": [[None]]}, {"shapes[0]": {"x0": None}}]  # NaN is a gap: JSON has none
    json.dumps(steps, allow_nan=False)
    with pytest.raises(ValueError, match="active"):
        scrub.scrub_steps(frames, ["a", "b", "c"], active=3)
    with pytest.raises(ValueError, match="differ in length"):
        scrub.scrub_steps(frames, ["a"])


def test_at_step_draws_the_figure_where_a_slider_step_puts_it():
    from lossviz.scrub import add_scrubber, at_step

    fig = {"data": [{"type": "scatter", "x": [0], "y": [0]}, {"type": "scatter", "x": [5], "y": [5]}], "layout": {}}
    frames = [{"data": {"x": [[i]], "y": [[i * i]]}} for i in range(4)]
    scrubbed = add_scrubber(fig, frames, [str(i) for i in range(4)], trace_indices=[0], plain=True)
    moved = at_step(scrubbed, 3)
    assert moved["layout"]["sliders"][0]["active"] == 3
    assert (moved["data"][0]["x"], moved["data"][0]["y"]) == ([3], [9])
    assert moved["data"][1] == fig["data"][1]  # not listed: untouched
    assert scrubbed["data"][0]["x"] == [0] and scrubbed["layout"]["sliders"][0]["active"] == 0  # input unchanged
    with pytest.raises(ValueError):
        at_step(scrubbed, 4)
