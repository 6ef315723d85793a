"""A whole class on one link: N concurrent sessions moving sliders, at the protocol level.

The issue's figure (30 users each moving a slider every ~2 s; their p95 at most 3x one user's
p95 on the same server in the same run; without and with one user in five training):

    .venv/bin/python bench/load.py > load.json      # starts app.py itself; about 4-5 minutes

It runs N = 1 (60 moves, 0.5 s apart), then N = 30 for each of two mixes:
``explorer-target`` (every user on /explorer) and ``explorer-target:4,training-play:1`` (every
fifth user on /training, training all the time). ``ratio_p95`` = the explorer users' p95 at the
largest N / the p95 at N = 1, per mix; ``meets_target`` = every ratio <= 3. Memory per idle
session: ``idle_mb_per_session``. Read ``machine_load_avg_1min``: on a shared machine the queue
for the CPU, not the app, sets the p95.

    python bench/load.py --url http://127.0.0.1:8080 --pid 123 --pid 124   # a running server / proxy
    python bench/load.py --sessions 1,30 --mix explorer-target --full       # one mix, whole-page reruns

Each session is one websocket speaking Streamlit's protobuf messages like a browser tab
(bench/st_client.py). Sessions arrive ``--arrival-gap`` apart and open their page (an open costs
the server about 1 s of CPU, so 30 arrivals queue: opens are timed but not part of the target);
when all are open, each moves its slider every ``--interval`` seconds (±25 %, random phase) to a random point
of the slider's own grid and times the rerun: send ``rerun_script`` -> receive
``script_finished``. Widgets inside an ``st.fragment`` rerun only their fragment, as in a browser;
``--full`` sends the same moves as whole-page reruns instead.

A training user (scenario ``training-play``) opens /training and presses play; the page's
``st.fragment(run_every=0.1)`` then ticks: the server sends ``auto_rerun`` and the session sends
that fragment's reruns every 0.1 s (``is_auto_rerun``), as the browser's timer does, whether or
not the last one finished. Every ``--interval`` it moves the data's noise slider (a whole-page
rerun that starts a fresh, paused run) and presses play again. Its moves are timed like the
others' but reported apart (``training``), with the ticks the server ran per second.

Reported per N and mix: p50/p95/max of the explorer users' reruns (``explorer``) and of the
training users' (``training``), errors (timeouts, exceptions drawn on the page, closed sockets),
the server's resident memory (``VmRSS`` from /proc, summed over ``--pid``s, or the server this
script started) before the sessions connect, with N idle sessions open, and after the load
(``idle_mb_per_session`` = (idle - before) / N), ``server_cpu_ms_per_rerun`` (CPU time of the
server during the load / reruns and ticks: what a rerun costs however busy the machine is),
``server_cpu_share`` (CPU seconds per second) and the 1-minute load average before and after.
Before the first N, ``--warmup-sessions`` sessions open each page once (behind a proxy, so that
every replica has imported torch before it is timed).

Scenarios (``--mix``, weights): a scenario is a page (its ``url_path``), a query string, a slider
key and optionally a play button; add one to ``SCENARIOS`` to load another page.

The client runs on the same machine as the server: on a 2-core machine it competes for CPU,
so the figures are an upper bound on what the server alone would show.
Output: one JSON object on stdout; progress on stderr. Exit code 1 if any rerun failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "bench"))
sys.path.insert(0, str(REPO_ROOT / "tests" / "e2e"))

from st_client import Session  # noqa: E402
from stats import percentile  # noqa: E402

TARGET_RATIO_P95 = 3.0
OPEN_TIMEOUT_S = 240.0  # opening /explorer costs the server ~1 s of CPU: 30 arrivals queue up


@dataclass(frozen=True)
class Scenario:
    """What one simulated user does: open ``/<page>?<query>`` and move the slider ``widget``.

    ``play``: the key of a play button pressed after opening and after every move (on /training
    a settings change makes a fresh, paused run), so the session trains all the time: its
    ``st.fragment(run_every=0.1)`` ticks, and the session sends the fragment's reruns on that
    interval as a browser does (bench/st_client.py).
    """

    page: str
    query: str
    widget: str
    play: str = ""


SCENARIOS = {
    # the explorer's prediction is scrubbed in the browser (no rerun); its server sliders are these
    "explorer-target": Scenario("explorer", "", "target"),
    "explorer-delta": Scenario("explorer", "", "delta"),
    "explorer-bce-label": Scenario("explorer", "loss=bce&compare=focal", "label"),
    # a student training on /training: play, then every move changes the data's noise and plays again
    "training-play": Scenario("training", "", "noise", play="training_play"),
}
# The figure: 30 explorer users, then the same with one session in five training.
DEFAULT_MIXES = ["explorer-target", "explorer-target:4,training-play:1"]


@contextmanager
def target_server(url: str | None, pids: list[int]) -> Iterator[tuple[str, list[int]]]:
    """(url, server pids): the running server at ``url``, or app.py started here for the duration."""
    if url:
        yield url.rstrip("/"), pids
        return
    from e2e_harness import StreamlitServer

    server = StreamlitServer("app.py", cwd=REPO_ROOT).start()
    try:
        yield server.url, [server.proc.pid]
    finally:
        server.stop()


def rss_mb(pids: list[int]) -> float | None:
    """Resident memory of the server processes (sum), in MB; None if unknown."""
    if not pids:
        return None
    total_kb = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            return None
    return round(total_kb / 1024, 1)


def cpu_seconds(pids: list[int]) -> float | None:
    """CPU time (user + system) the server processes have used so far; None if unknown."""
    if not pids:
        return None
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def parse_mix(text: str) -> list[tuple[str, int]]:
    mix = []
    for part in text.split(","):
        name, _, weight = part.partition(":")
        if name not in SCENARIOS:
            raise SystemExit(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
        mix.append((name, int(weight or 1)))
    return mix


def assign(mix: list[tuple[str, int]], n: int) -> list[str]:
    """Scenario per session, in the mix's proportions (4:1 -> every fifth session the second)."""
    cycle = [name for name, weight in mix for _ in range(weight)]
    return [cycle[i % len(cycle)] for i in range(n)]


def grid_value(slider, rng: random.Random, current: float) -> float:
    """A random point on the slider's grid, different from ``current``."""
    steps = int(round((slider.max - slider.min) / slider.step))
    while True:
        value = round(slider.min + rng.randint(0, steps) * slider.step, 10)
        if value != current or steps == 0:
            return value


@dataclass
class Tally:
    """What the sessions of one scenario kind (explorer or training) measured."""

    samples: list = field(default_factory=list)  # seconds per timed rerun (a slider move)
    errors: list = field(default_factory=list)
    open_times: list = field(default_factory=list)
    sessions: int = 0
    fragment_runs: int = 0  # training: live-view ticks the server ran
    auto_reruns_sent: int = 0  # training: ticks the sessions asked for (the browser's timer)
    seconds: float = 0.0  # training: time the sessions spent in the moving phase

    def summary(self) -> dict:
        ms = [x * 1000 for x in self.samples]
        opens = [x * 1000 for x in self.open_times]
        out = {
            "sessions": self.sessions,
            "samples": len(ms),
            "p50_ms": round(percentile(ms, 50), 1) if ms else None,
            "p95_ms": round(percentile(ms, 95), 1) if ms else None,
            "max_ms": round(max(ms), 1) if ms else None,
            "open_p50_ms": round(percentile(opens, 50), 1) if opens else None,
            "open_p95_ms": round(percentile(opens, 95), 1) if opens else None,
            "errors": len(self.errors),
            "error_examples": self.errors[:3],
        }
        if self.auto_reruns_sent:
            out["ticks_per_s_per_session"] = round(self.fragment_runs / self.seconds, 2) if self.seconds else None
            out["tick_requests_per_s_per_session"] = round(self.auto_reruns_sent / self.seconds, 2) if self.seconds else None
        return out


async def one_user(url: str, scenario: Scenario, moves: int, interval: float, full: bool,
                   rng: random.Random, opened: asyncio.Barrier, tally: Tally, timeout: float,
                   arrive_after: float = 0.0) -> None:
    tally.sessions += 1
    waited = False  # a Barrier starts a new cycle on the next wait(): pass it exactly once
    try:
        await asyncio.sleep(arrive_after)  # a class does not open the link in the same second
        async with Session(url, timeout=max(timeout, OPEN_TIMEOUT_S)) as session:
            result = await session.open_page(scenario.page, scenario.query)
            session.timeout = timeout
            tally.open_times.append(result.seconds)
            if result.exception:
                tally.errors.append(f"{scenario.page}: exception on open: {session.last_exception}"[:300])
            waited = True
            await opened.wait()
            await asyncio.sleep(rng.uniform(0, interval))  # users do not move in step
            if scenario.play:
                await session.click(scenario.play)
            started, ticks, sent = time.perf_counter(), session.fragment_runs, session.auto_reruns_sent
            for _ in range(moves):
                widget = session.widget(scenario.widget)
                value = grid_value(widget.proto, rng, session.states[widget.id].double_array_value.data[0])
                result = await session.set_slider(scenario.widget, value, as_fragment=not full)
                tally.samples.append(result.seconds)
                if result.exception:
                    tally.errors.append(f"{scenario.page}: exception after {scenario.widget}={value}: "
                                        f"{session.last_exception}"[:300])
                if scenario.play:  # the move made a fresh, paused run: play it
                    await session.click(scenario.play)
                await asyncio.sleep(max(0.0, interval * rng.uniform(0.75, 1.25) - result.seconds))
            tally.seconds += time.perf_counter() - started
            tally.fragment_runs += session.fragment_runs - ticks
            tally.auto_reruns_sent += session.auto_reruns_sent - sent
    except Exception as exc:  # a timeout or closed socket is a result, not a crash of the bench
        tally.errors.append(f"{scenario.page}: {type(exc).__name__}: {exc}"[:200])
        if not waited:
            await opened.wait()


async def measure(url: str, n: int, mix: list[tuple[str, int]], args, pids: list[int]) -> dict:
    rng = random.Random(args.seed + n)
    single = n == 1
    moves = max(args.moves, args.single_moves) if single else args.moves  # p95 of 1 user needs samples
    interval = args.single_interval if single else args.interval
    tallies = {"explorer": Tally(), "training": Tally()}
    before = rss_mb(pids)
    opened = asyncio.Barrier(n + 1)
    names = assign(mix, n)
    tasks = [
        asyncio.create_task(one_user(url, SCENARIOS[name], moves, interval, args.full,
                                     random.Random(rng.random()),
                                     opened, tallies["training" if SCENARIOS[name].play else "explorer"],
                                     args.timeout, arrive_after=i * args.arrival_gap))
        for i, name in enumerate(names)
    ]
    await opened.wait()
    await asyncio.sleep(1.0)  # let the server settle after the opens before reading memory
    idle = rss_mb(pids)
    started, cpu_start, load_start = time.perf_counter(), cpu_seconds(pids), os.getloadavg()[0]
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    cpu_end, after = cpu_seconds(pids), rss_mb(pids)
    reruns = sum(len(t.samples) + t.fragment_runs for t in tallies.values())
    result = {
        "sessions": n,
        "mix": ",".join(f"{name}:{weight}" for name, weight in mix),
        "scenarios": {name: names.count(name) for name in dict.fromkeys(names)},
        "interval_s": interval,
        "moves_per_session": moves,
        **{kind: t.summary() for kind, t in tallies.items() if t.sessions},
        # Server CPU per rerun (moves and training ticks): what a rerun costs however busy the machine is.
        "server_cpu_ms_per_rerun": (round((cpu_end - cpu_start) * 1000 / reruns, 1)
                                    if reruns and cpu_start is not None and cpu_end is not None else None),
        "server_cpu_share": (round((cpu_end - cpu_start) / elapsed, 2)
                             if elapsed and cpu_start is not None and cpu_end is not None else None),
        "machine_load_avg_1min": [round(load_start, 1), round(os.getloadavg()[0], 1)],
        "errors": sum(len(t.errors) for t in tallies.values()),
        "rss_mb_before": before,
        "rss_mb_idle": idle,
        "rss_mb_after": after,
        "idle_mb_per_session": round((idle - before) / n, 2) if before is not None and idle is not None else None,
    }
    e, t = tallies["explorer"].summary(), tallies["training"]
    print(f"N={n} [{result['mix']}]: explorer p50 {e['p50_ms']} ms, p95 {e['p95_ms']} ms"
          + (f"; training ticks/s/session {t.summary().get('ticks_per_s_per_session')}" if t.sessions else "")
          + f", errors {result['errors']}, RSS {before} -> {idle} -> {after} MB, "
          f"load {result['machine_load_avg_1min']}", file=sys.stderr)
    return result


async def run_all(url: str, args, pids: list[int]) -> list[dict]:
    mixes = [parse_mix(m) for m in args.mix]
    # Warm the server (imports, caches) so N=1 is not charged for the first visit. Several
    # sessions, so that behind a proxy every replica gets some (each new socket carries no
    # cookie, so nginx routes it by a fresh id: a random replica).
    pages = {(SCENARIOS[name].page, SCENARIOS[name].query) for mix in mixes for name, _ in mix}

    async def warm() -> None:
        async with Session(url, timeout=args.timeout) as session:
            for page, query in sorted(pages):
                await session.open_page(page, query)

    await asyncio.gather(*(warm() for _ in range(args.warmup_sessions)))
    results = []
    for n in args.sessions:
        # N = 1 is the same single user whatever the mix (the first scenario of the first mix):
        # measured once, it is every mix's reference
        for mix in mixes[:1] if n == 1 else mixes:
            results.append(await measure(url, n, mix, args, pids))
            await asyncio.sleep(2.0)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server (or proxy); default: start app.py here")
    parser.add_argument("--pid", type=int, action="append", default=[],
                        help="server process id(s) for memory figures (with --url)")
    parser.add_argument("--sessions", type=lambda s: [int(x) for x in s.split(",")], default=[1, 30],
                        help="numbers of concurrent sessions, one measurement each (default 1,30)")
    parser.add_argument("--moves", type=int, default=20, help="slider moves per session (default 20)")
    parser.add_argument("--single-moves", type=int, default=60, help="moves of the N=1 session (default 60)")
    parser.add_argument("--single-interval", type=float, default=0.5,
                        help="seconds between the N=1 session's moves (one user: the server is idle "
                             "between moves whatever the interval; default 0.5)")
    parser.add_argument("--warmup-sessions", type=int, default=6)
    parser.add_argument("--arrival-gap", type=float, default=0.5,
                        help="seconds between two sessions' opens (30 opens at once time out: each "
                             "open of /explorer costs the server about 1 s; default 0.5)")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between a user's moves (default 2)")
    parser.add_argument("--mix", action="append", default=None,
                        help="scenario:weight,... (see SCENARIOS); repeat for several mixes; default: "
                             + " and ".join(DEFAULT_MIXES))
    parser.add_argument("--full", action="store_true", help="whole-page reruns, not fragment reruns")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    args.mix = args.mix or DEFAULT_MIXES

    wall = time.perf_counter()
    with target_server(args.url, args.pid) as (url, pids):
        results = asyncio.run(run_all(url, args, pids))
    one = next((r for r in results if r["sessions"] == 1), None)
    one_p95 = one["explorer"]["p95_ms"] if one and "explorer" in one else None
    most = max(r["sessions"] for r in results)
    ratios = {}
    for r in results:
        if r["sessions"] == most and most > 1 and one_p95 and r.get("explorer", {}).get("p95_ms"):
            ratios[r["mix"]] = round(r["explorer"]["p95_ms"] / one_p95, 2)
    report = {
        "url": url if args.url else "self-started app.py",
        "mixes": args.mix,
        "rerun": "full" if args.full else "fragment",
        "interval_s": args.interval,
        "moves_per_session": args.moves,
        "results": results,
        "ratio_p95": ratios,
        "ratio_of": f"explorer sessions' p95 at N={most} / p95 of one explorer session (N=1), per mix",
        "target_ratio_p95": TARGET_RATIO_P95,
        "meets_target": bool(ratios) and all(v <= TARGET_RATIO_P95 for v in ratios.values()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_avg_1_5_15_at_end": [round(x, 2) for x in os.getloadavg()]},
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "wall_s": round(time.perf_counter() - wall),
    }
    print(json.dumps(report, indent=2))
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
