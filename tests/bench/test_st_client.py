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
