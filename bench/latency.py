"""Slider-to-metric latency of lossviz against a bare Streamlit app, measured in one run.

    python bench/latency.py                      # lossviz /explorer vs bench/bare_app.py, 40 presses each
    python bench/latency.py --n 60 --path /explorer --json-out artifacts/latency.json
    python bench/latency.py --app /tmp/stand_in.py --path /   # any app with a slider and a metric

What it does
------------
1. Starts three Streamlit servers on free ports, all from the repo root: ``bench/bare_app.py``
   (one slider, one ``st.metric``) twice, once as Streamlit ships it ("bare": post-run
   ``gc.collect()`` on, restored by flag) and once with the repo's .streamlit/config.toml
   ("bare_tuned": postScriptGC off, like lossviz); and ``--app`` (default ``app.py``). One
   headless chromium (Debian's, see tests/e2e/e2e_harness.py), one context per app, 1280x720.
2. Opens each page (lossviz at ``--path``, default ``/explorer``) and waits until the first run
   has finished and at least one slider and one ``[data-testid="stMetricValue"]`` are on the page.
   Then focuses the slider to press: for lossviz the one labelled ``--slider-label`` (default
   "Prediction ŷ", the slider a learner drags most), for the bare apps their only slider
   (``[data-testid="stSlider"] input[type=range]``; Streamlit 1.67's react-aria slider has no
   explicit ``role="slider"`` attribute).
3. Warms up with ``--warmup`` presses per app, then takes ``--n`` samples per app, interleaved
   (bare, bare_tuned, lossviz, bare, ...) so that machine noise hits all equally. Key direction
   alternates in blocks of ``--block`` presses (ArrowRight x20, ArrowLeft x20, ...) and flips
   early at either end of the slider, so every press moves it.

How one sample is timed (all in the page, with ``performance.now()`` timestamps)
------------------------------------------------------------------------------
* Before the press, an in-page script notes the first metric value's text and starts a
  ``MutationObserver`` on the app root (subtree, childList, characterData) and a capture-phase
  ``keydown`` listener on ``window``.
* Playwright presses the key (real input events through CDP, not synthetic DOM events).
* t0 = the keydown event's ``timeStamp`` (when the browser created the input event);
  t1 = the first mutation callback after which the first metric's text differs from before.
  Mutation callbacks run right after the DOM change (before paint), so there is no polling
  granularity; the sample is ``t1 - t0``: widget -> websocket -> script rerun -> delta ->
  React commit of the new metric text. Paint time after that commit is not included.
* Then ``wait_for_app`` waits until the whole script run (chart included) has finished before
  the next press, so samples never overlap a previous rerun.
* A press whose run finishes without changing the metric text (e.g. a flat loss) is skipped and
  counted under ``skipped``.
* Secondary, not part of the ratio: ``run_p50_ms`` / ``run_p95_ms``, keydown -> the websocket
  message that ends the whole rerun (``script_finished``), i.e. everything the rerun sends (chart
  included) has arrived; drawing the chart after that is not included.

Output: one JSON object on stdout (progress goes to stderr)::

    {"bare": {"p50_ms", "p95_ms", "n", ...}, "bare_tuned": {...}, "lossviz": {...},
     "ratio_p50", "ratio_p95",                     # lossviz / bare (Streamlit's defaults)
     "ratio_p50_vs_tuned", "ratio_p95_vs_tuned",   # lossviz / bare with lossviz's config
     "target_ratio": 1.2, "meets_target": bool, "path": "/explorer", ...}

p95 uses linear interpolation between order statistics. The exit code is 0 whenever both apps
were measured (the ratio is a measurement, not a test); 1 if a server, the browser or the page
could not be brought up, or fewer than half of any app's samples were valid.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "e2e"))
sys.path.insert(0, str(REPO_ROOT / "bench"))

from stats import percentile  # noqa: E402
from e2e_harness import (  # noqa: E402
    METRIC_VALUE as METRIC,
    SLIDER,
    StreamlitServer,
    launch_chromium,
    new_context,
    open_app,
    wait_for_app,
)

TARGET_RATIO = 1.2

ARM_JS = r"""
({metricSel, chartSel, chartPart, eventType, timeoutMs, unchangedGraceMs}) => {
  const metricText = () => { const el = document.querySelector(metricSel); return el ? el.textContent : null; };
  const before = metricText();
  const chart = chartSel ? document.querySelector(chartSel) : null;
  let chartMutated = !chart;  // no chart to wait for: the metric alone ends the sample
  const probe = window.__stProbe;
  const armSeq = probe ? probe.seq : 0;
  let keydownAt = null, done = false, finishedSeenAt = null, resolve;
  const promise = new Promise((r) => { resolve = r; });
  const onKey = (e) => {
    if (keydownAt !== null) return;
    const now = performance.now();
    keydownAt = (e.timeStamp > 0 && e.timeStamp <= now) ? e.timeStamp : now;
  };
  const finish = (result) => {
    if (done) return;
    done = true;
    observer.disconnect(); chartObserver.disconnect(); clearInterval(poll); clearTimeout(timer);
    window.removeEventListener(eventType, onKey, true);
    resolve({before, keydownAt, ...result});
  };
  const check = () => {
    const now = performance.now();
    const text = metricText();
    if (keydownAt !== null && chartMutated && text !== null && text !== before)
      finish({changed: true, after: text, ms: now - keydownAt});
  };
  // The chart counts as redrawn at the end of the first task that changed its SVG after the input;
  // with chartPart (e.g. ".scatterlayer", the curves), only a change inside that part counts.
  const inPart = (record) => {
    if (!chartPart) return true;
    const el = record.target.nodeType === 1 ? record.target : record.target.parentElement;
    return !!el && (!!el.closest(chartPart) || (el.querySelector && !!el.querySelector(chartPart)));
  };
  const chartObserver = new MutationObserver((records) => {
    if (keydownAt !== null && records.some(inPart)) chartMutated = true;
    check();
  });
  if (chart) chartObserver.observe(chart, {subtree: true, childList: true, attributes: true, characterData: true});
  const observer = new MutationObserver(check);
  observer.observe(document.querySelector('[data-testid="stApp"]') || document.body,
                   {subtree: true, childList: true, characterData: true});
  window.addEventListener(eventType, onKey, true);
  // The rerun for this press finished but the text did not change: skip this sample.
  const poll = setInterval(() => {
    if (!probe) return;
    const runFinished = probe.lastRerunSend > armSeq && probe.lastStart > probe.lastRerunSend
      && probe.lastFinal > probe.lastStart;
    if (runFinished && finishedSeenAt === null) finishedSeenAt = performance.now();
    if (finishedSeenAt !== null && performance.now() - finishedSeenAt > unchangedGraceMs)
      finish({changed: false, reason: "run finished, metric text unchanged", after: metricText()});
  }, 25);
  const timer = setTimeout(() => finish({changed: false, reason: "timeout", after: metricText()}), timeoutMs);
  window.__latencySample = promise;
  window.__latencyArmSeq = armSeq;
}
"""

SLIDER_STATE_JS = r"""
(sel) => {
  const el = document.querySelector(sel);
  if (!el) return null;
  const num = (name, aria) => parseFloat(el.getAttribute(name) ?? el.getAttribute(aria));
  const value = el.value !== undefined && el.value !== "" ? parseFloat(el.value) : num("value", "aria-valuenow");
  return {value, min: num("min", "aria-valuemin"), max: num("max", "aria-valuemax"),
          step: parseFloat(el.getAttribute("step") || "0"), focused: document.activeElement === el};
}
"""


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def summary(samples: list[float], skipped: int, run_samples: list[float]) -> dict:
    if not samples:
        return {"p50_ms": None, "p95_ms": None, "n": 0, "skipped": skipped}
    run = {}
    if run_samples:
        run = {"run_p50_ms": round(percentile(run_samples, 50), 1),
               "run_p95_ms": round(percentile(run_samples, 95), 1)}
    return {
        "p50_ms": round(percentile(samples, 50), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "n": len(samples),
        "mean_ms": round(statistics.fmean(samples), 1),
        "min_ms": round(min(samples), 1),
        "max_ms": round(max(samples), 1),
        "skipped": skipped,
        **run,
    }


class Target:
    """One app in one browser context, with its slider focused."""

    def __init__(self, name: str, server: StreamlitServer, path: str, block: int,
                 sample_timeout_ms: float, slider_label: str | None = None,
                 metric_sel: str = METRIC, chart_sel: str | None = None, chart_part: str | None = None):
        self.name = name
        self.metric_sel, self.chart_sel, self.chart_part = metric_sel, chart_sel, chart_part
        # The slider to press: the first one, or the one whose accessible label is slider_label.
        self.slider = (f'[data-testid="stSlider"] input[type="range"][aria-label="{slider_label}"]'
                       if slider_label else SLIDER)
        self.server = server
        self.path = path if path.startswith("/") else "/" + path
        self.block = block
        self.sample_timeout_ms = sample_timeout_ms
        self.samples: list[float] = []
        self.run_samples: list[float] = []
        self.skipped = 0
        self.presses = 0
        self.page = None

    def open(self, browser, load_timeout_ms: float) -> None:
        self.context = new_context(browser)
        self.page = self.context.new_page()
        url = self.server.url + self.path
        open_app(self.page, url, timeout=load_timeout_ms)
        self.page.wait_for_selector(self.slider, state="attached", timeout=load_timeout_ms)
        self.page.wait_for_selector(self.metric_sel, state="visible", timeout=load_timeout_ms)
        wait_for_app(self.page, timeout=load_timeout_ms)
        if self.page.locator('[data-testid="stException"]').count():
            log(f"warning: {self.name} ({url}) shows an exception:",
                self.page.locator('[data-testid="stException"]').first.inner_text()[:500])
        self.focus()
        state = self.page.evaluate(SLIDER_STATE_JS, self.slider)
        log(f"{self.name}: {url} ready; first slider {state}, first metric "
            f"{self.page.locator(self.metric_sel).first.inner_text()!r}")

    def focus(self) -> None:
        self.page.locator(self.slider).first.focus()

    def next_key(self) -> str:
        state = self.page.evaluate(SLIDER_STATE_JS, self.slider)
        if state is None:
            raise RuntimeError(f"{self.name}: the slider disappeared")
        if not state["focused"]:
            self.focus()
        right = (self.presses // self.block) % 2 == 0
        half_step = (state["step"] or 0) / 2
        if state["value"] >= state["max"] - half_step:
            right = False
        elif state["value"] <= state["min"] + half_step:
            right = True
        return "ArrowRight" if right else "ArrowLeft"

    def press(self, record: bool) -> dict:
        key = self.next_key()
        self.page.evaluate(ARM_JS, {"metricSel": self.metric_sel, "chartSel": self.chart_sel,
                                    "chartPart": self.chart_part,
                                    "eventType": "keydown", "timeoutMs": self.sample_timeout_ms,
                                    "unchangedGraceMs": 500})
        self.page.keyboard.press(key)
        result = self.page.evaluate("() => window.__latencySample")
        self.presses += 1
        wait_for_app(self.page, timeout=max(30_000, self.sample_timeout_ms))
        # Secondary measure: keydown -> the rerun's final script_finished message received.
        run = self.page.evaluate(
            "() => { const p = window.__stProbe; return p && p.lastFinal > window.__latencyArmSeq"
            " ? p.lastFinalAt : null; }")
        if run is not None and result.get("keydownAt") is not None:
            result["run_ms"] = run - result["keydownAt"]
        if record:
            if result.get("run_ms") is not None:
                self.run_samples.append(float(result["run_ms"]))
            if result.get("changed"):
                self.samples.append(float(result["ms"]))
            else:
                self.skipped += 1
                log(f"{self.name}: sample skipped ({result.get('reason')}; text {result.get('before')!r})")
        return result

    def close(self) -> None:
        if self.page is not None:
            self.context.close()


SCRUB_CHART = ".st-key-explorer_chart"
READOUT = '[data-testid="scrubReadoutValue"]'
SCRUB_INPUT = '[data-testid="scrubInput"]'
CURVES = ".scatterlayer"  # a curve family or a server move: the sample waits for the curves, not just the point


class DragTarget(Target):
    """The explorer's client-side scrubber (a range input drawn by ui/scrub_readouts.py): the
    mouse holds the input's thumb and moves one step per sample; the sample ends when the
    readouts and the chart's SVG have both changed. No server rerun is involved (the thumb is
    released only at the end)."""

    THUMB_PX = 16  # Chromium's default range thumb width

    def __init__(self, name, server, path, block, sample_timeout_ms, chart_part=None):
        super().__init__(name, server, path, block, sample_timeout_ms, metric_sel=READOUT,
                         chart_sel=f"{SCRUB_CHART} .js-plotly-plot", chart_part=chart_part)
        self.slider = SCRUB_INPUT
        self.x = self.y = self.step_px = None
        self.index = self.count = 0

    def focus(self) -> None:  # press and hold the thumb
        if self.x is not None:
            return
        box = self.page.locator(self.slider).bounding_box()
        self.count, self.index = self.page.locator(self.slider).evaluate(
            "el => [Number(el.max) + 1, Number(el.value)]")
        self.step_px = (box["width"] - self.THUMB_PX) / (self.count - 1)
        self.x = box["x"] + self.THUMB_PX / 2 + self.index * self.step_px
        self.y = box["y"] + box["height"] / 2
        self.page.mouse.move(self.x, self.y)
        self.page.mouse.down()

    def press(self, record: bool) -> dict:
        right = (self.presses // self.block) % 2 == 0
        if self.index >= self.count - 2:
            right = False
        elif self.index <= 1:
            right = True
        self.index += 1 if right else -1
        self.x += self.step_px if right else -self.step_px
        self.page.evaluate(ARM_JS, {"metricSel": self.metric_sel, "chartSel": self.chart_sel,
                                    "chartPart": self.chart_part,
                                    "eventType": "mousemove", "timeoutMs": self.sample_timeout_ms,
                                    "unchangedGraceMs": 500})
        self.page.mouse.move(self.x, self.y)
        result = self.page.evaluate("() => window.__latencySample")
        self.presses += 1
        if record:
            if result.get("changed"):
                self.samples.append(float(result["ms"]))
            else:
                self.skipped += 1
                log(f"{self.name}: sample skipped ({result.get('reason')})")
        return result

    def close(self) -> None:
        if self.page is not None:
            self.page.mouse.up()
        super().close()


def run(args) -> int:
    from playwright.sync_api import sync_playwright

    app = Path(args.app)
    if not app.is_absolute():
        app = (REPO_ROOT / app).resolve()
    if not app.exists():
        log(f"error: app not found: {app}")
        return 1
    # Two baselines. "bare": the bare app as Streamlit ships it (its default config, which runs
    # a full gc.collect() after every script run). "bare_tuned": the same bare app with lossviz's
    # own .streamlit/config.toml (postScriptGC off), so the ratio against it isolates what the
    # page itself costs. Both run from the repo root; the default is restored by flag.
    bare_app = REPO_ROOT / "bench" / "bare_app.py"
    servers = {
        "bare": StreamlitServer(bare_app, cwd=REPO_ROOT, extra_args=["--runner.postScriptGC", "true"]),
        "bare_tuned": StreamlitServer(bare_app, cwd=REPO_ROOT),
        "lossviz": StreamlitServer(app, cwd=REPO_ROOT),
    }
    targets: dict[str, Target] = {}
    try:
        for name, server in servers.items():
            server.start()
            log(f"{name}: {server.app} serving at {server.url}")
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                targets = {
                    "bare": Target("bare", servers["bare"], "/", args.block, args.sample_timeout * 1000),
                    "bare_tuned": Target("bare_tuned", servers["bare_tuned"], "/", args.block,
                                         args.sample_timeout * 1000),
                }
                if args.path == "/explorer" and not args.slider_label:
                    # the explorer's three kinds of control: the client-side scrubber, and two server
                    # sliders (their sample ends when the readouts AND the chart have been redrawn)
                    timeout = args.sample_timeout * 1000
                    targets["explorer_drag"] = DragTarget("explorer_drag", servers["lossviz"],
                                                          "/explorer?loss=huber", args.block, timeout)
                    # a curve family: dragging delta redraws Huber's whole curve (pred 5, so every
                    # delta on its grid changes the loss)
                    targets["explorer_family"] = DragTarget("explorer_family", servers["lossviz"],
                                                            "/explorer?loss=huber&scrub=delta&pred=5", args.block,
                                                            timeout, chart_part=CURVES)
                    # (τ, not δ: Huber's value stops changing once δ passes the residual)
                    for name, label, query in (("explorer_target", "Target y", "loss=huber"),
                                               ("explorer_tau", "τ  (tau)", "loss=quantile")):
                        targets[name] = Target(name, servers["lossviz"], "/explorer?" + query, args.block,
                                               timeout, slider_label=label, metric_sel=READOUT,
                                               chart_sel=SCRUB_CHART, chart_part=CURVES)
                else:
                    targets["lossviz"] = Target("lossviz", servers["lossviz"], args.path, args.block,
                                                args.sample_timeout * 1000, slider_label=args.slider_label or None)
                for target in targets.values():
                    target.open(browser, args.load_timeout * 1000)
                for _ in range(args.warmup):
                    for target in targets.values():
                        target.press(record=False)
                started = time.perf_counter()
                for i in range(args.n):
                    line = []
                    for target in targets.values():  # interleaved: bare, bare_tuned, lossviz, bare...
                        res = target.press(record=True)
                        line.append(f"{target.name} {res.get('ms', float('nan')):6.1f} ms")
                    log(f"[{i + 1:3d}/{args.n}] " + "   ".join(line))
                elapsed = time.perf_counter() - started
                browser_version = browser.version
            finally:
                for target in targets.values():
                    target.close()
                browser.close()
    except Exception as exc:  # could not measure
        log(f"error: {type(exc).__name__}: {exc}")
        for name, server in servers.items():
            if server.proc is not None:
                log(f"--- {name} server output (tail) ---\n{server.output_tail(30)}")
        return 1
    finally:
        for server in servers.values():
            server.stop()

    stats = {name: summary(t.samples, t.skipped, t.run_samples) for name, t in targets.items()}
    measured = [name for name in targets if not name.startswith("bare")]

    def ratio(name: str, key: str, baseline: str):
        if stats[baseline].get(key) and stats[name].get(key) is not None:
            return round(stats[name][key] / stats[baseline][key], 3)
        return None

    result = {name: stats[name] for name in targets}
    result["ratios"] = {
        name: {"p50_vs_bare": ratio(name, "p50_ms", "bare"), "p95_vs_bare": ratio(name, "p95_ms", "bare"),
               "p50_vs_tuned": ratio(name, "p50_ms", "bare_tuned"),
               "p95_vs_tuned": ratio(name, "p95_ms", "bare_tuned")}
        for name in measured
    }
    result.update({
        "targets": {"explorer_drag": {"p50_vs_tuned": 1.2, "p95_vs_tuned": 2.0},
                    "explorer_family": {"p50_vs_tuned": 1.2, "p95_vs_tuned": 2.0},
                    "server_sliders": {"p50_vs_tuned": 2.0, "least_accepted": 3.0}},
        "paths": {name: targets[name].path for name in measured},
        "app": os.path.relpath(app, REPO_ROOT) if app.is_relative_to(REPO_ROOT) else str(app),
        "method": "input event timeStamp (keydown; mousemove for the drag) -> MutationObserver sees the "
                  "first readout text change, and for lossviz targets a mutation of the chart too (for the "
                  "curve family and the server sliders: of its curves, .scatterlayer, not only the point); "
                  "interleaved; wait for the full rerun between server presses",
        "env": {
            "chromium": browser_version,
            "streamlit": _version("streamlit"),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "seconds": round(elapsed, 1),
        },
    })
    text = json.dumps(result, indent=2)
    print(text)
    if args.json_out:
        out = Path(args.json_out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
    minimum = max(1, args.n // 2)
    if any(stat["n"] < minimum for stat in stats.values()):
        log(f"error: too few valid samples ({ {k: v['n'] for k, v in stats.items()} }, need {minimum})")
        return 1
    return 0


def _version(dist: str) -> str | None:
    try:
        from importlib.metadata import version
        return version(dist)
    except Exception:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40, help="measured presses per app (default 40)")
    parser.add_argument("--path", default="/explorer", help="URL path of the lossviz page (default /explorer)")
    parser.add_argument("--slider-label", default="",
                        help="accessible label of the lossviz slider to press; empty (default) on "
                             "/explorer measures the scrubber drag and two server sliders")
    parser.add_argument("--app", default="app.py", help="app to measure, relative to the repo root (default app.py)")
    parser.add_argument("--json-out", metavar="FILE", help="also write the JSON to FILE")
    parser.add_argument("--warmup", type=int, default=5, help="unrecorded presses per app first (default 5)")
    parser.add_argument("--block", type=int, default=20, help="presses per direction (default 20)")
    parser.add_argument("--sample-timeout", type=float, default=15, help="seconds to wait for one sample")
    parser.add_argument("--load-timeout", type=float, default=90, help="seconds to wait for a page to load")
    args = parser.parse_args(argv)
    if args.n < 1 or args.block < 1 or args.warmup < 0:
        parser.error("--n and --block must be >= 1, --warmup >= 0")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
