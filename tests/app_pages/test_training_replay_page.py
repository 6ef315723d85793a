"""AppTest of /training's replay and loss-landscape views (the inspector's "Replay" and
"Loss landscape"). The scrubbing itself happens in the browser: tests/e2e/test_training_replay.py."""

import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_training(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/training.py")
    return at.run()


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def landscapes(at: AppTest) -> list[dict]:
    """The landscape figures (their contours have ``ncontours``; the live boundary's does not)."""
    return [s for s in specs(at) if s["data"] and s["data"][0].get("ncontours")]


def run_state(at: AppTest):
    return at.session_state["training_live_run"]


def test_replay_after_a_few_steps_has_one_slider_step_per_snapshot():
    at = open_training()
    for _ in range(3):
        at.button(key="training_step").click().run()
    at.radio(key="training_inspect_view").set_value("replay").run()
    assert not at.exception
    replay = [s for s in specs(at) if s["layout"].get("sliders")]
    assert len(replay) == 1
    snapshots = run_state(at).snapshots["A"]
    steps = replay[0]["layout"]["sliders"][0]["steps"]
    assert len(steps) == len(snapshots) == 4  # steps 0, 10, 20, 30
    assert [s["label"] for s in steps] == ["0", "10", "20", "30"]
    assert any("4" in c.value and "snapshots" in c.value for c in at.caption)


def test_replay_at_step_zero_says_to_take_steps_first():
    at = open_training()  # (AppTest cannot set widgets on the Chinese page; the browser test covers zh)
    at.radio(key="training_inspect_view").set_value("replay").run()
    assert not at.exception
    assert any("at least two snapshots" in i.value for i in at.info)


def test_landscape_on_button_press_shows_finite_values_and_explained_variance():
    at = open_training()
    for _ in range(4):
        at.button(key="training_step").click().run()
    at.radio(key="training_inspect_view").set_value("landscape").run()
    assert not landscapes(at)  # not before the press
    at.button(key="training_landscape_go").click().run()
    assert not at.exception
    (landscape,) = landscapes(at)
    contours = [t for t in landscape["data"] if t["type"] == "contour"]
    assert len(contours) == 2
    for trace in contours:
        z = np.asarray(trace["z"], dtype=float) if isinstance(trace["z"], list) else None
        if z is None:  # plotly's typed-array encoding
            import base64
            z = np.frombuffer(base64.b64decode(trace["z"]["bdata"]), dtype=trace["z"]["dtype"]).astype(float)
        assert np.isfinite(z).all()
    assert "% of variance" in landscape["layout"]["xaxis2"]["title"]["text"]
    assert any("Loss at the centre" in c.value for c in at.caption)


def test_landscape_at_step_zero_says_why_the_trajectory_is_missing():
    at = open_training()
    at.radio(key="training_inspect_view").set_value("landscape").run()
    at.button(key="training_landscape_go").click().run()
    assert not at.exception
    assert any("at least three weight snapshots" in w.value for w in at.warning)
    (landscape,) = landscapes(at)
    assert [t["type"] for t in landscape["data"]].count("contour") == 1  # the random plane only


def test_a_diverged_run_offers_replay_and_says_the_landscape_cannot_be_drawn():
    at = open_training(dataset="regression", loss="mse", optimizer="sgd", lr="3", outliers="0.5", speed="50")
    at.button(key="training_step").click().run()
    assert run_state(at).runs["A"].divergence is not None
    at.radio(key="training_inspect_view").set_value("landscape").run()
    at.button(key="training_landscape_go").click().run()
    assert not at.exception
    assert any("diverged" in w.value for w in at.warning)
    at.radio(key="training_inspect_view").set_value("replay").run()
    assert not at.exception
