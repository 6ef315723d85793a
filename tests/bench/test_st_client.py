"""The protocol-level client of bench/load.py against a real server: its reruns really run.

If these pass, bench/load.py times real slider moves (the metric changes to the torch value),
not messages the server ignores.
"""

import asyncio
import sys
from pathlib import Path

import pytest
import torch

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "bench"))
sys.path.insert(0, str(REPO_ROOT / "tests" / "e2e"))

from e2e_harness import StreamlitServer  # noqa: E402
from st_client import Session  # noqa: E402

from lossviz.display import fmt_number  # noqa: E402


@pytest.fixture(scope="module")
def server_url():
    with StreamlitServer("app.py", cwd=REPO_ROOT) as server:
        yield server.url


def huber(pred: float, target: float, delta: float) -> float:
    return torch.nn.functional.huber_loss(torch.tensor(pred), torch.tensor(target), delta=delta).item()


def test_fragment_rerun_moves_the_target_like_a_browser(server_url):
    async def scenario():
        async with Session(server_url) as session:
            opened = await session.open_page("explorer", "loss=huber")
            assert opened.status == 0 and not opened.exception
            assert session.metrics["Loss L"] == fmt_number(huber(1.5, 0.0, 1.0))
            moved = await session.set_slider("target", 1.0)
            # 3 = FINISHED_FRAGMENT_RUN_SUCCESSFULLY: only the explorer's fragment reran
            assert moved.status == 3 and not moved.exception
            assert session.metrics["Loss L"] == fmt_number(huber(1.5, 1.0, 1.0))
            assert "target=1" in session.query_string
            full = await session.set_slider("delta", 0.25, as_fragment=False)
            assert full.status == 0
            assert session.metrics["Loss L"] == fmt_number(huber(1.5, 1.0, 0.25))

    asyncio.run(scenario())


def test_deep_link_and_unknown_page_do_not_raise(server_url):
    async def scenario():
        async with Session(server_url) as session:
            opened = await session.open_page("explorer", "loss=mse&pred=2")
            assert session.metrics["Loss L"] == fmt_number(4.0)  # (2 - 0)^2
            missing = await session.open_page("no-such-page")
            assert not missing.exception and not opened.exception

    asyncio.run(scenario())


@pytest.fixture(scope="module")
def widgets_url():
    with StreamlitServer(Path(__file__).with_name("widgets_app.py"), cwd=REPO_ROOT) as server:
        yield server.url


DEFAULTS = {"lr": "'0.01'", "span": "('0.001', '0.1')", "x": "0.5", "menu": "'b'", "radio": "'r1'",
            "multi": "['m2']", "pick": "['a']", "on": "True", "n": "3", "name": "'abc'", "inner": "'mid'",
            "ticks": "0"}


def test_initial_states_are_what_the_server_drew(widgets_url):
    """The client's first states (one per widget kind) rerun to the same values, with no exception.

    A select slider's state is its options' labels as string_array_value (as Slider.js sends
    it); sent as a slider's double_array_value, the server raised "must be real number, not str".
    """
    async def scenario():
        async with Session(widgets_url) as session:
            opened = await session.open_page("")
            assert opened.status == 0 and not opened.exception, session.last_exception
            assert session.metrics == DEFAULTS
            kinds = {w.key: session.states[w.id].WhichOneof("value") for w in session.widgets.values()
                     if w.id in session.states}  # a button sends nothing until pressed
            assert kinds == {"lr": "string_array_value", "span": "string_array_value", "x": "double_array_value",
                             "menu": "string_value", "radio": "string_value", "multi": "string_array_value",
                             "pick": "string_array_value", "on": "bool_value", "n": "double_value",
                             "name": "string_value", "inner": "string_array_value"}
            assert {w.key: w.kind for w in session.widgets.values()}["go"] == "button"
            again = await session.rerun()
            assert again.status == 0 and not again.exception, session.last_exception
            assert session.metrics == DEFAULTS

    asyncio.run(scenario())


def test_preset_values_survive_a_rerun(widgets_url):
    """Values set from session state arrive as raw_value; the client sends them back unchanged."""
    async def scenario():
        async with Session(widgets_url) as session:
            await session.open_page("", "preset=1")
            preset = {"lr": "'0.1'", "span": "('0.01', '1')", "pick": "['b']", "name": "'preset'"}
            assert session.metrics == DEFAULTS | preset
            again = await session.rerun()
            assert not again.exception, session.last_exception
            assert session.metrics == DEFAULTS | preset

    asyncio.run(scenario())


def test_moves_reach_the_widgets_deserializers(widgets_url):
    async def scenario():
        async with Session(widgets_url) as session:
            await session.open_page("")
            moves = {"lr": ("1", "'1'"), "span": (["0.1", "0.01"], "('0.01', '0.1')"), "x": (0.75, "0.75"),
                     "menu": ("c", "'c'"), "radio": ("r2", "'r2'"), "multi": (["m1", "m3"], "['m1', 'm3']"),
                     "pick": (["b", "c"], "['b', 'c']"), "on": (False, "False"), "n": (7, "7"),
                     "name": ("xyz", "'xyz'")}
            for key, (value, shown) in moves.items():
                moved = await session.set_value(key, value)
                assert moved.status == 0 and not moved.exception, (key, session.last_exception)
                assert session.metrics[key] == shown
            by_index = await session.set_value("lr", 0)  # an index means that option
            assert not by_index.exception and session.metrics["lr"] == "'0.001'"
            inner = await session.set_value("inner", "hi")  # inside a fragment: only it reruns
            assert inner.status == 3 and session.metrics["inner"] == "'hi'"
            with pytest.raises(ValueError, match="not an option"):
                await session.set_value("lr", "0.5")  # a browser cannot send what is not an option

    asyncio.run(scenario())


@pytest.mark.parametrize(("page", "key", "option"), [("surfaces", "w.surfaces.lr_adam.en", "0.01"),
                                                     ("training", "w.training.lr.en", "0.1")])
def test_select_sliders_of_the_pages_move_without_exception(server_url, page, key, option):
    async def scenario():
        async with Session(server_url) as session:
            opened = await session.open_page(page)
            assert not opened.exception, session.last_exception
            assert not (await session.rerun()).exception, session.last_exception
            moved = await session.set_value(key, option)
            assert not moved.exception, session.last_exception
            assert f"lr{'_adam' if page == 'surfaces' else ''}={option}" in session.query_string

    asyncio.run(scenario())


def test_run_every_fragment_ticks_like_the_browser_until_a_full_rerun_stops_it(widgets_url):
    """A button press (trigger_value) starts a run_every fragment; the session sends its reruns
    on the interval, as the frontend's timer does, and stops when a whole-page run drops it."""
    async def scenario():
        async with Session(widgets_url) as session:
            await session.open_page("")
            assert session.auto_rerunning == []
            pressed = await session.click("go")
            assert pressed.status == 0 and not pressed.exception
            assert len(session.auto_rerunning) == 1
            for _ in range(50):  # 5 ticks at 0.1 s, then the fragment's st.rerun()
                await asyncio.sleep(0.1)
                if session.metrics["ticks"] == "5" and not session.auto_rerunning:
                    break
            assert session.metrics["ticks"] == "5"
            assert session.auto_rerunning == []
            # tick 1 ran in the press's full run; 2-4 are fragment runs; 5 called st.rerun()
            assert session.fragment_runs == 3 and session.auto_reruns_sent >= 4
            sent = session.auto_reruns_sent
            await asyncio.sleep(0.5)
            assert session.auto_reruns_sent == sent  # no timer left
            again = await session.rerun()  # a trigger is sent once: no second press
            assert not again.exception and session.metrics["ticks"] == "5" and not session.auto_rerunning

    asyncio.run(scenario())
