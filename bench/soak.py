"""Soak: many reruns of every registered page in one session; does the server's memory grow?

    python bench/soak.py                      # 1000 reruns of each page of app.py, own server
    python bench/soak.py --reruns 200 --url http://127.0.0.1:8501 --pid 1234

One protocol-level session (bench/st_client.py) visits each page registered in app.py
(``ui.registered_pages``) in turn. On each page it does ``--reruns`` reruns: each moves one of the
page's sliders, picked at random, to a random point of its grid, or a select slider to a random
option (a fragment rerun where the slider is inside one, as in a browser); one rerun in ten picks a random option of a random select
box / radio instead (the language radio excluded). A page without such widgets gets plain reruns.

Memory is the server's resident set (``VmRSS``). The baseline is taken after a warm-up pass
(``--warmup`` reruns of every page, so imports, first caches and lazily loaded modules are in);
the growth is (end - baseline) / baseline, per page and overall, against the target of 10 %.
``st.cache_data`` caches are bounded (``max_entries``), so growth up to their bound is expected;
growth that keeps climbing with more reruns is a leak. Exceptions drawn on a page are counted.
Output: one JSON object on stdout. Exit code 1 if a rerun raised or failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))
sys.path.insert(0, str(REPO_ROOT / "tests" / "e2e"))

from load import grid_value, rss_mb, target_server  # noqa: E402
from st_client import Session, is_select_slider  # noqa: E402
from ui.registered_pages import registered_pages  # noqa: E402

TARGET_GROWTH = 0.10
NOT_FUZZED = {"lang"}  # switching language is not a page's own state


async def random_move(session: Session, rng: random.Random):
    """One user action on the current page (or a plain rerun when there is nothing to move)."""
    widgets = [w for w in session.widgets.values() if w.key not in NOT_FUZZED]
    sliders = [w for w in widgets if w.kind == "slider" and (w.proto.step > 0 or w.proto.options)]
    menus = [w for w in widgets if w.kind in ("selectbox", "radio") and len(w.proto.options) > 1]
    if menus and (not sliders or rng.random() < 0.1):
        menu = rng.choice(menus)
        return await session.set_value(menu.key, rng.choice(list(menu.proto.options)))
    if sliders:
        slider = rng.choice(sliders)
        if is_select_slider(slider):  # a select slider: one of its options (sent as its label)
            return await session.set_value(slider.key, rng.randrange(len(slider.proto.options)))
        current = session.states[slider.id].double_array_value.data
        return await session.set_slider(slider.key, grid_value(slider.proto, rng, current[0] if current else 0))
    return await session.rerun()


async def soak(url: str, reruns: int, warmup: int, pids: list[int], seed: int,
               only: list[str] | None = None) -> dict:
    rng = random.Random(seed)
    pages = [p for p in registered_pages() if not only or "/" + p.url_path in only or p.url_path in only]
    failures: list[str] = []
    per_page = []
    examples: list[str] = []  # the text of the first exceptions a page showed
    async with Session(url) as session:
        for page in pages:  # warm-up pass
            await session.open_page(page.url_path)
            for _ in range(warmup):
                await random_move(session, rng)
        baseline = rss_mb(pids)
        for page in pages:
            opened = await session.open_page(page.url_path)
            start_mb, started = rss_mb(pids), time.perf_counter()
            exceptions = int(opened.exception)
            for i in range(reruns):
                try:
                    result = await random_move(session, rng)
                except Exception as exc:  # noqa: BLE001 - a failed rerun is a finding
                    failures.append(f"/{page.url_path} rerun {i}: {type(exc).__name__}: {exc}"[:300])
                    await session.open_page(page.url_path)
                    continue
                exceptions += int(result.exception)
                if result.exception and len(examples) < 3:
                    examples.append(f"/{page.url_path}: {session.last_exception}"[:300])
            end_mb = rss_mb(pids)
            per_page.append({
                "page": "/" + page.url_path, "reruns": reruns, "exceptions": exceptions,
                "seconds": round(time.perf_counter() - started, 1),
                "rss_mb_start": start_mb, "rss_mb_end": end_mb,
                "growth": round((end_mb - start_mb) / start_mb, 4) if start_mb else None,
            })
            print(f"/{page.url_path}: {reruns} reruns, RSS {start_mb} -> {end_mb} MB, "
                  f"{exceptions} exceptions", file=sys.stderr)
        final = rss_mb(pids)
    growth = round((final - baseline) / baseline, 4) if baseline else None
    return {
        "pages": per_page, "rss_mb_baseline": baseline, "rss_mb_final": final, "growth": growth,
        "target_growth": TARGET_GROWTH, "meets_target": growth is not None and growth < TARGET_GROWTH,
        "failures": failures, "exceptions": sum(p["exceptions"] for p in per_page),
        "exception_examples": examples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running server; default: start app.py here")
    parser.add_argument("--pid", type=int, action="append", default=[], help="server pid(s) (with --url)")
    parser.add_argument("--reruns", type=int, default=1000, help="reruns per page")
    parser.add_argument("--warmup", type=int, default=50, help="warm-up reruns per page")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--pages", type=lambda t: [x for x in t.split(",") if x] if t else None, default=None,
                        help="only these pages, e.g. /explorer,/training (default: every registered page)")
    args = parser.parse_args(argv)
    with target_server(args.url, args.pid) as (url, pids):
        report = asyncio.run(soak(url, args.reruns, args.warmup, pids, args.seed, args.pages))
    report["reruns_per_page"] = args.reruns
    print(json.dumps(report, indent=2))
    return 1 if report["failures"] or report["exceptions"] else 0


if __name__ == "__main__":
    sys.exit(main())
