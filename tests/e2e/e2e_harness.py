"""Browser harness shared by the e2e tests (tests/e2e/conftest.py) and bench/latency.py.

Plain functions, no pytest: start a Streamlit server, launch Debian's chromium through
Playwright, and wait until a Streamlit page has *really* finished its script run.

How ``wait_for_app`` decides that a run is finished
---------------------------------------------------
The Streamlit 1.67 frontend puts the run state on the app root:
``<div data-testid="stApp" data-test-script-state="initial|running|notRunning|rerunRequested|
stopRequested|compilationError" data-test-connection-state="CONNECTED|...">``. That attribute
alone is not enough: after a widget changes, the browser sends a ``rerun_script`` message and
the attribute keeps saying ``notRunning`` until the server's "script is running" reply arrives,
so a check made right after ``page.keyboard.press`` passes *before* the rerun has even started.
(st.rerun() chains also flip it to ``notRunning`` between runs.)

So every page opened through ``new_context`` gets a small probe (``PROBE_JS``, an init script)
that wraps ``window.WebSocket`` and reads the top-level protobuf field numbers of the messages
Streamlit exchanges (no decoding library needed):

* sent ``BackMsg.rerun_script`` (field 11)         -> a rerun was requested
* received ``ForwardMsg.new_session`` (field 4)     -> a script run started
* received ``ForwardMsg.script_finished`` (field 6) -> a run ended; status 2
  (``FINISHED_EARLY_FOR_RERUN``) is not an end, another run follows
* received ``ForwardMsg.session_status_changed`` (field 9, ``script_is_running``)

and notes user input (keydown, click, pointerup, input, change) that has not been answered by a
rerun request yet. ``wait_for_app`` then waits until, all at the same moment:

1. ``stApp`` exists, is ``CONNECTED`` and its ``data-test-script-state`` is ``notRunning``
   (React has rendered the finished state), the status widget shows no running icon, no
   ``stSkeleton`` is on the page (Streamlit wraps every element in a Suspense whose fallback is
   ``stSkeleton`` while the element's lazily loaded JS chunk is fetched: the first metric or
   plotly chart of a session appears only after its chunk arrives, *after* the run finished),
   and every displayed ``stPlotlyChart`` has drawn its ``.main-svg`` and is not
   ``visibility: hidden`` (Streamlit hides it until it knows its width);
2. a run started after the last rerun request, and a final ``script_finished`` arrived after
   that start, and the server's last word was "not running";
3. no run-related message arrived for ``quiet_ms`` (so the frontend has processed the final
   messages, and a callback/``st.rerun()`` chain is not about to continue);
4. no user input is still waiting for its rerun request (widgets send it within a few ms;
   an input that triggers nothing delays the wait by at most ``input_grace_ms``);

and finally lets the browser draw two animation frames. A rerun request that the server drops
(a fragment that no longer exists) is treated as answered after ``orphan_ms``. Pages opened
without the probe fall back to "conditions 1 hold continuously for ``fallback_stable_ms``".
"""

from __future__ import annotations

import collections
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

CHROMIUM_PATH = os.environ.get("LOSSVIZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 720}

# Streamlit 1.67's slider is react-aria: the focusable element is a visually hidden
# <input type="range"> whose slider role is implicit, so CSS `[role="slider"]` matches nothing.
# Playwright's role engine does see it: page.get_by_test_id("stSlider").get_by_role("slider").
SLIDER = '[data-testid="stSlider"] input[type="range"], [data-testid="stSlider"] [role="slider"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'

# --------------------------------------------------------------------------------------------
# Streamlit server
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerStartError(RuntimeError):
    pass


class StreamlitServer:
    """``python -m streamlit run <app>`` on a free port in its own process group.

    Output (stdout and stderr, merged) is kept in a ring buffer so a failed start can say why.
    Use as a context manager, or call ``start()`` / ``stop()``.
    """

    def __init__(self, app: str | os.PathLike = "app.py", cwd: str | os.PathLike = REPO_ROOT,
                 port: int | None = None, extra_args: list[str] | None = None,
                 startup_timeout: float = 60.0, env: dict[str, str] | None = None):
        self.app = str(app)
        self.cwd = str(cwd)
        self.port = port
        self.extra_args = list(extra_args or [])
        self.startup_timeout = startup_timeout
        self.env = env
        self.proc: subprocess.Popen | None = None
        self._output: collections.deque[str] = collections.deque(maxlen=400)
        self._reader: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "streamlit", "run", self.app,
            "--server.port", str(self.port),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            # Others edit the sources while tests run: no "source changed" prompts mid-test.
            "--server.fileWatcherType", "none",
            *self.extra_args,
        ]

    def output_tail(self, lines: int = 60) -> str:
        return "\n".join(list(self._output)[-lines:])

    def _pump(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for raw in iter(self.proc.stdout.readline, b""):
            self._output.append(raw.decode("utf-8", "replace").rstrip("\n"))

    def _spawn(self) -> None:
        env = dict(os.environ)
        env.setdefault("PYTHONUNBUFFERED", "1")
        if self.env:
            env.update(self.env)
        self._output.clear()
        self.proc = subprocess.Popen(
            self.command(), cwd=self.cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self._reader = threading.Thread(target=self._pump, name=f"streamlit-{self.port}", daemon=True)
        self._reader.start()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        health = f"{self.url}/_stcore/health"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._reader.join(timeout=2)
                raise ServerStartError(
                    f"streamlit exited with code {self.proc.returncode} before it was healthy.\n"
                    f"command: {' '.join(self.command())}\ncwd: {self.cwd}\n"
                    f"--- server output (tail) ---\n{self.output_tail()}"
                )
            try:
                with urllib.request.urlopen(health, timeout=2) as r:
                    if r.status == 200 and r.read().decode().strip() == "ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.2)
        tail = self.output_tail()
        self.stop()
        raise ServerStartError(
            f"streamlit did not answer {health} with 'ok' within {self.startup_timeout:.0f} s.\n"
            f"command: {' '.join(self.command())}\ncwd: {self.cwd}\n"
            f"--- server output (tail) ---\n{tail}"
        )

    def start(self) -> "StreamlitServer":
        fixed_port = self.port is not None
        for attempt in range(3):
            if not fixed_port:
                self.port = free_port()
            self._spawn()
            try:
                self._wait_healthy()
                return self
            except ServerStartError:
                # free_port() is racy: another process may take the port before streamlit binds.
                in_use = "address already in use" in self.output_tail().lower()
                self.stop()
                if fixed_port or not in_use or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def stop(self, timeout: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(proc.pid, sig)  # the group we created with start_new_session
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._reader is not None:
            self._reader.join(timeout=2)
        if proc.stdout is not None:
            proc.stdout.close()

    def __enter__(self) -> "StreamlitServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------


def launch_chromium(playwright, **kwargs):
    """Debian's chromium (Playwright's own browser download does not work on these machines)."""
    if not Path(CHROMIUM_PATH).exists():
        raise RuntimeError(
            f"chromium not found at {CHROMIUM_PATH} (set LOSSVIZ_CHROMIUM, or `make chromium`; "
            "skip browser tests with -m 'not e2e')"
        )
    return playwright.chromium.launch(
        executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS, **kwargs
    )


PROBE_JS = r"""
(() => {
  if (window.__stProbe) return;
  const p = {
    seq: 0,
    lastRerunSend: 0, lastRerunSendAt: -1e9,   // BackMsg.rerun_script sent
    lastStart: 0,                                // ForwardMsg.new_session received
    lastFinal: 0, lastFinalAt: -1e9, lastFinishStatus: null,  // ForwardMsg.script_finished, status != 2
    serverRunning: null,                         // ForwardMsg.session_status_changed
    lastRunMsgAt: -1e9,                          // any run-related ForwardMsg
    pendingInputAt: null,                        // user input not yet answered by a rerun request
    sends: 0, starts: 0, finishes: 0, sockets: 0,
    log: [],                                     // last 60 events, for failure messages
  };
  window.__stProbe = p;
  const note = (what) => { p.log.push([Math.round(performance.now()), what]); if (p.log.length > 60) p.log.shift(); };

  function varint(buf, pos) {
    let v = 0, mul = 1, b;
    do { b = buf[pos++]; v += (b & 0x7f) * mul; mul *= 128; } while ((b & 0x80) && pos < buf.length);
    return [v, pos];
  }
  // Top-level fields of a protobuf message: [[fieldNo, value or [start, end]], ...]
  function fields(buf, start, end) {
    const out = []; let pos = start;
    while (pos < end) {
      let tag; [tag, pos] = varint(buf, pos);
      const no = Math.floor(tag / 8), wt = tag & 7;
      if (wt === 0) { let v; [v, pos] = varint(buf, pos); out.push([no, v]); }
      else if (wt === 2) { let n; [n, pos] = varint(buf, pos); out.push([no, [pos, pos + n]]); pos += n; }
      else if (wt === 1) pos += 8;
      else if (wt === 5) pos += 4;
      else break;
    }
    return out;
  }
  function bytes(data) {
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return null;
  }
  function onForward(data) {
    const buf = bytes(data); if (!buf) return;
    const now = performance.now();
    for (const [no, v] of fields(buf, 0, buf.length)) {
      if (no === 4) { p.lastStart = ++p.seq; p.starts++; p.lastRunMsgAt = now; note("new_session"); }
      else if (no === 5) { p.lastRunMsgAt = now; }
      else if (no === 6) {
        p.finishes++; p.lastFinishStatus = v; p.lastRunMsgAt = now;
        if (v !== 2) { p.lastFinal = ++p.seq; p.lastFinalAt = now; }
        note("script_finished:" + v);
      } else if (no === 9) {
        let running = false;
        for (const [sno, sv] of fields(buf, v[0], v[1])) if (sno === 2) running = !!sv;
        p.serverRunning = running; p.lastRunMsgAt = now; note("status:" + (running ? "running" : "idle"));
      }
    }
  }
  function onBack(data) {
    const buf = bytes(data); if (!buf) return;
    for (const [no] of fields(buf, 0, buf.length)) {
      if (no === 11) {
        p.lastRerunSend = ++p.seq; p.lastRerunSendAt = performance.now(); p.sends++;
        p.pendingInputAt = null; note("rerun_script");
      }
    }
  }
  function onInput(e) {
    const now = performance.now();
    note("input:" + e.type);
    // The grace runs from the latest unanswered input. A click/change that follows within
    // 50 ms the rerun request of the same gesture (pointerup -> send -> click) is not new input.
    if (now - p.lastRerunSendAt > 50) p.pendingInputAt = now;
  }
  for (const type of ["keydown", "pointerup", "click", "input", "change"])
    window.addEventListener(type, onInput, true);

  const Native = window.WebSocket;
  class ProbedWebSocket extends Native {
    constructor(...args) {
      super(...args);
      p.sockets++;
      this.addEventListener("message", (e) => { try { onForward(e.data); } catch (err) {} });
    }
    send(data) {
      try { onBack(data); } catch (err) {}
      return super.send(data);
    }
  }
  window.WebSocket = ProbedWebSocket;
})();
"""

_IDLE_JS = r"""
({quietMs, inputGraceMs, orphanMs, fallbackStableMs}) => {
  const now = performance.now();
  const app = document.querySelector('[data-testid="stApp"]');
  const domIdle = !!app
    && app.getAttribute("data-test-connection-state") === "CONNECTED"
    && app.getAttribute("data-test-script-state") === "notRunning"
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"]')
    // an element whose lazily loaded component (its JS chunk) has not arrived yet
    && !document.querySelector('[data-testid="stSkeleton"]')
    // every displayed plotly chart has been drawn (plotly draws after its 4.7 MB chunk loads)
    && Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).every((chart) => {
         if (chart.getClientRects().length === 0) return true;  // in a hidden tab / collapsed expander
         const plot = chart.querySelector(".js-plotly-plot");
         return !!plot && !!plot.querySelector(".main-svg") && getComputedStyle(plot).visibility !== "hidden";
       });
  const p = window.__stProbe;
  if (!p) {  // page opened without the probe: require a stable DOM state instead
    if (!domIdle) { window.__stIdleSince = null; return false; }
    if (window.__stIdleSince == null) window.__stIdleSince = now;
    return now - window.__stIdleSince >= fallbackStableMs;
  }
  if (!domIdle) return false;
  if (p.pendingInputAt !== null && now - p.pendingInputAt < inputGraceMs) return false;
  const answered = p.lastStart > p.lastRerunSend
    || (p.lastStart > 0 && now - p.lastRerunSendAt >= orphanMs);
  if (!answered) return false;
  if (!(p.lastFinal > p.lastStart)) return false;
  if (p.serverRunning) return false;
  return now - p.lastRunMsgAt >= quietMs;
}
"""

_STATE_JS = r"""
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    url: location.href,
    stApp: !!app,
    scriptState: app && app.getAttribute("data-test-script-state"),
    connectionState: app && app.getAttribute("data-test-connection-state"),
    probe: window.__stProbe ? {...window.__stProbe, now: performance.now()} : null,
  };
}
"""


def new_context(browser, **kwargs):
    """A browser context (1280x720 unless told) whose pages all carry the run-state probe."""
    kwargs.setdefault("viewport", dict(VIEWPORT))
    context = browser.new_context(**kwargs)
    context.add_init_script(PROBE_JS)
    return context


def wait_for_app(page, timeout: float = 30_000, *, quiet_ms: float = 60, input_grace_ms: float = 300,
                 orphan_ms: float = 3_000, fallback_stable_ms: float = 400) -> None:
    """Block until the Streamlit script run (and any rerun it chains into) has finished and the
    browser has drawn the result. ``timeout`` is in ms, like Playwright's. See the module
    docstring for the exact conditions."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    args = {"quietMs": quiet_ms, "inputGraceMs": input_grace_ms, "orphanMs": orphan_ms,
            "fallbackStableMs": fallback_stable_ms}
    try:
        page.wait_for_function(_IDLE_JS, arg=args, timeout=timeout, polling=20)
    except PlaywrightTimeoutError as exc:
        try:
            state = json.dumps(page.evaluate(_STATE_JS), default=str)
        except Exception as inner:  # page gone, navigation in flight...
            state = f"<unavailable: {inner}>"
        raise AssertionError(
            f"Streamlit app did not finish its script run within {timeout / 1000:.0f} s; state: {state}"
        ) from exc
    # Let React's commit reach the screen.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))")


def app_state(page) -> dict:
    """Diagnostics: the run-state attributes and the probe's counters."""
    return page.evaluate(_STATE_JS)


def open_app(page, url: str, timeout: float = 60_000) -> None:
    """``page.goto(url)`` and wait until the first script run has finished."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_for_app(page, timeout=timeout)


def assert_no_exception(page) -> None:
    """No ``st.exception`` box and no Python traceback text anywhere on the page."""
    exceptions = page.locator('[data-testid="stException"]')
    count = exceptions.count()
    if count:
        texts = [exceptions.nth(i).inner_text()[:2000] for i in range(min(count, 3))]
        raise AssertionError(f"{count} exception box(es) on {page.url}:\n" + "\n---\n".join(texts))
    body = page.locator("body").inner_text()
    if "Traceback" in body:
        i = body.index("Traceback")
        raise AssertionError(f"'Traceback' text on {page.url}:\n{body[max(0, i - 200): i + 1500]}")


def safe_filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:150] or "test"
