"""Chart updates per second of /training while it trains, in headless chromium, against a bare ticker.

    .venv/bin/python bench/refresh_rate.py                 # starts its own two servers, 10 s each
    .venv/bin/python bench/refresh_rate.py --seconds 20 --rounds 2
    .venv/bin/python bench/refresh_rate.py --url http://127.0.0.1:8631   # an already running lossviz

What it does
------------
1. Starts two Streamlit servers from the repo root on free ports (the repo's .streamlit/config.toml
   applies to both): ``app.py`` and ``bench/bare_ticker.py`` (a ``st.fragment(run_every=0.1)``
   adding one point per tick to a two-line plotly chart: the most updates per second Streamlit's
   fragment timer gives on this machine with no real work). One headless chromium (Debian's, see
   tests/e2e/e2e_harness.py), 1280x720.
2. lossviz: opens ``/training?steps=5000&speed=5`` (the default two-moons 16,16 MLP, 5 steps per
   tick, so the run lasts far longer than the window), presses Play and waits for the first step.
   Bare: opens the ticker.
3. Counts in the page, for ``--seconds`` (polled every animation frame, in-page clock):
   ``updates_per_s``: distinct states of the watched chart's first trace (its length and last x:
   the loss curve gains the steps of each tick; the ticker's line one point), i.e. new states the
   user saw;
   ``redraws_per_s``: times plotly rebuilt that chart (its ``_fullData`` array was replaced);
   ``runs_per_s``: fragment runs the server finished (``script_finished`` messages, counted by
   the harness's websocket probe);
   ``boundary_redraws_per_s`` (lossviz): redraws of the decision-boundary chart;
   ``long_task_share``: the share of the window the page's main thread spent in tasks over
   50 ms (PerformanceObserver "longtask"): near 1 means the browser, not the server, is the limit.
4. Rounds alternate lossviz and bare (``--rounds``), so machine noise hits both; the load average
   (``os.getloadavg``) is recorded before and after each window, because other sessions share
   this machine.

Output: one JSON object on stdout (progress on stderr)::

    {"lossviz": {"updates_per_s": [...], "median_updates_per_s", ...},
     "bare": {...}, "ratio_updates": lossviz / bare (medians), "target_updates_per_s": 10,
     "least_updates_per_s": 5, "meets_target": bool, "meets_least": bool, "loadavg": [...]}

Exit code 0 whenever both were measured (a rate is a measurement, not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "e2e"))

from e2e_harness import StreamlitServer, launch_chromium, new_context, open_app  # noqa: E402

TARGET, LEAST = 10.0, 5.0
TRAINING_PATH = "/training?steps=5000&speed=5"
CURVES = ".st-key-training_curves .js-plotly-plot"
BOUNDARY = ".st-key-training_boundary .js-plotly-plot"
TICKER = ".st-key-ticker_chart .js-plotly-plot"

# Counts, every animation frame for `ms`, the states and redraws of the chart `watch` (and of
# `extra` if given), and the server runs the websocket probe saw finish.
_COUNT_JS = """async ([watch, extra, ms]) => {
  const q = (sel) => sel ? document.querySelector(sel) : null;
  const len = (gd) => {  // the first trace's length and last x: the newest step (thinned series keep it)
    const t = gd && gd._fullData && gd._fullData[0];
    return t && t._length > 0 ? `${t._length}:${t.x[t._length - 1]}` : -1; };
  let gd = q(watch), last = len(gd), lastFull = gd && gd._fullData, updates = 0, redraws = 0;
  let gx = q(extra), lastExtra = gx && gx._fullData, extraRedraws = 0;
  const finishes0 = window.__stProbe ? window.__stProbe.finishes : 0;
  let busy = 0;  // main-thread time in tasks over 50 ms (rendering, scripting)
  const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) busy += e.duration; });
  observer.observe({type: 'longtask'});
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await new Promise(r => requestAnimationFrame(r));
    gd = q(watch);
    const now = len(gd);
    if (now !== -1 && now !== last) { updates += 1; last = now; }
    if (gd && gd._fullData && gd._fullData !== lastFull) { redraws += 1; lastFull = gd._fullData; }
    gx = q(extra);
    if (gx && gx._fullData && gx._fullData !== lastExtra) { extraRedraws += 1; lastExtra = gx._fullData; }
  }
  const s = (performance.now() - t0) / 1000;
  observer.disconnect();
  const runs = (window.__stProbe ? window.__stProbe.finishes : 0) - finishes0;
  return {updates_per_s: updates / s, redraws_per_s: redraws / s, runs_per_s: runs / s,
          boundary_redraws_per_s: extra ? extraRedraws / s : null, long_task_share: busy / 1000 / s};
}"""


def log(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def measure_training(browser, base: str, seconds: float) -> dict:
    context = new_context(browser)
    page = context.new_page()
    try:
        open_app(page, base + TRAINING_PATH, timeout=180_000)
        page.locator('[data-testid="stButton"] button', has_text="Play").first.click()
        page.wait_for_function("() => /Step [1-9]\\d* \\//.test(document.body.innerText)", timeout=60_000)
        page.wait_for_timeout(1000)  # past the first redraws after Play
        before = loadavg()
        result = page.evaluate(_COUNT_JS, [CURVES, BOUNDARY, seconds * 1000])
        result["loadavg_before"], result["loadavg_after"] = before, loadavg()
        return result
    finally:
        context.close()


def measure_bare(browser, base: str, seconds: float) -> dict:
    context = new_context(browser)
    page = context.new_page()
    try:
        open_app(page, base + "/", timeout=120_000)
        page.wait_for_timeout(1000)
        before = loadavg()
        result = page.evaluate(_COUNT_JS, [TICKER, None, seconds * 1000])
        result["loadavg_before"], result["loadavg_after"] = before, loadavg()
        result.pop("boundary_redraws_per_s")
        return result
    finally:
        context.close()


def summary(samples: list[dict]) -> dict:
    out: dict = {"rounds": samples}
    for name in ("updates_per_s", "redraws_per_s", "runs_per_s", "boundary_redraws_per_s", "long_task_share"):
        values = [s[name] for s in samples if s.get(name) is not None]
        if values:
            out["median_" + name] = round(statistics.median(values), 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of one counting window")
    parser.add_argument("--rounds", type=int, default=1, help="windows per app, interleaved")
    parser.add_argument("--url", help="an already running lossviz server (its bare baseline is still started)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    servers = []
    try:
        if args.url:
            lossviz_url = args.url.rstrip("/")
        else:
            servers.append(StreamlitServer("app.py", cwd=REPO_ROOT, startup_timeout=120).start())
            lossviz_url = servers[-1].url
        servers.append(StreamlitServer("bench/bare_ticker.py", cwd=REPO_ROOT).start())
        bare_url = servers[-1].url
        results: dict[str, list[dict]] = {"lossviz": [], "bare": []}
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                for i in range(args.rounds):
                    for name, measure, url in (("lossviz", measure_training, lossviz_url),
                                               ("bare", measure_bare, bare_url)):
                        log(f"round {i + 1}/{args.rounds}: {name} ...")
                        sample = measure(browser, url, args.seconds)
                        log(f"  {json.dumps(sample)}")
                        results[name].append(sample)
            finally:
                browser.close()
    finally:
        for server in servers:
            server.stop()
    lossviz, bare = summary(results["lossviz"]), summary(results["bare"])
    rate = lossviz.get("median_updates_per_s", 0.0)
    report = {
        "lossviz": lossviz, "bare": bare,
        "ratio_updates": round(rate / bare["median_updates_per_s"], 3) if bare.get("median_updates_per_s") else None,
        "target_updates_per_s": TARGET, "least_updates_per_s": LEAST,
        "meets_target": rate >= TARGET, "meets_least": rate >= LEAST,
        "seconds": args.seconds, "path": TRAINING_PATH, "loadavg": loadavg(), "cpus": os.cpu_count(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
