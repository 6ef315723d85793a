"""Per-session caps on live training: a tick's time budget, and what a link may ask for."""

from lossviz import state
from lossviz.train import TrainConfig
from lossviz.train.session import TICK_BUDGET_S, LiveRun


def test_a_tick_stops_after_its_budget_even_when_more_steps_were_asked():
    run = LiveRun(TrainConfig(steps=2000))
    taken = run.advance(1000, budget_s=0.0)  # budget spent after the first slice (a quarter)
    assert taken == 250 and run.steps_done == 250
    assert run.advance(1000, budget_s=float("inf")) == 1000  # the Step button: exactly what it says
    assert 0 < TICK_BUDGET_S <= 0.1  # a tick at 10 per second must leave time to draw


def test_the_settings_table_caps_steps_model_batch_and_steps_per_tick():
    table = {s.name: s for s in state.training_settings(("moons",), ("relu",), ("sgd",), ("bce",), [])}
    assert table["steps"].high == 5000
    assert max(int(b) for b in table["batch"].options) == 256
    assert max(int(k) for k in table["speed"].options) == 50  # optimizer steps per tick
    widest = max(sum(int(w) for w in h.split(",")) for h in table["hidden"].options if h != "linear")
    assert widest <= 64
    for name, raw in (("steps", "1e9"), ("batch", "100000"), ("speed", "1000"), ("hidden", "4096,4096")):
        value, problem = table[name].parse_lenient(raw)
        assert problem is not None and value == table[name].default, name
