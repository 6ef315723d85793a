"""The deployment topology, locally: deploy/local.sh's three replicas behind Debian's nginx.

Checks what only the real topology shows: health through nginx, the sticky cookie (one browser
always reaches one replica, different browsers are spread), and a browser that loads /explorer
through nginx, whose WebSocket works (the page finishes its script run and a slider move reruns).
Skipped when nginx is not installed (`make nginx`, or `apt-get install -y nginx` as root).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from e2e_harness import REPO_ROOT, assert_no_exception, open_app, wait_for_app

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make nginx)")


@pytest.fixture(scope="module")
def topology():
    env = dict(os.environ, LOSSVIZ_KEEP_STATE="1")
    proc = subprocess.Popen(["bash", str(REPO_ROOT / "deploy" / "local.sh")], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    lines, ready = [], None
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and ready is None:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        ready = re.search(r"lossviz ready: (\S+) replicas=(\S+) pids=(\S+) state=(\S+)", line)
    if ready is None:
        os.killpg(proc.pid, signal.SIGTERM)
        pytest.fail("deploy/local.sh did not come up:\n" + "".join(lines[-40:]), pytrace=False)
    state = Path(ready.group(4))
    try:
        yield {"url": ready.group(1), "replicas": ready.group(2).split(","), "state": state}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(state, ignore_errors=True)


def get(url: str, cookie: str | None = None) -> tuple[str, list[str]]:
    """The body and the Set-Cookie headers."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode(), response.headers.get_all("Set-Cookie") or []


def upstreams(state: Path) -> list[tuple[str, str]]:
    """(route id, replica address) per proxied request, from nginx's access log."""
    text = (state / "access.log").read_text()
    return re.findall(r"upstream=(\S+) route=\S*?=(\w+)", text)


def test_health_through_nginx_and_sticky_cookie(topology):
    body, set_cookies = get(topology["url"] + "/_stcore/health")
    assert body == "ok"
    cookie = next(c.split(";")[0] for c in set_cookies if c.startswith("lossviz_route="))
    for _ in range(5):  # the same browser always reaches the same replica
        get(topology["url"] + "/_stcore/health", cookie)
    for _ in range(12):  # twelve new browsers: spread over the replicas
        get(topology["url"] + "/_stcore/health")
    time.sleep(0.5)  # nginx writes the access log line after the response
    log = upstreams(topology["state"])
    route = log[0][1]
    assert {addr for addr, r in log if r == route} == {log[0][0]}
    replicas_used = {addr for addr, _ in log}
    assert len(replicas_used) >= 2, log
    assert replicas_used <= {f"127.0.0.1:{port}" for port in topology["replicas"]}


def test_browser_runs_explorer_through_nginx_websocket(page, topology):
    open_app(page, topology["url"] + "/explorer?loss=mse&pred=2")
    metric = page.locator('[data-testid="scrubReadoutValue"]').first
    assert metric.inner_text() == "4.0000"  # (2 - 0)^2: the script ran over the proxied socket
    page.locator('[data-testid="stSlider"] input[type="range"][aria-label="Target y"]').focus()
    page.keyboard.press("ArrowRight")
    wait_for_app(page)
    assert metric.inner_text() == "3.8025"  # (2 - 0.05)^2 after one fragment rerun
    assert_no_exception(page)
    cookies = {c["name"] for c in page.context.cookies()}
    assert "lossviz_route" in cookies and "_streamlit_xsrf" in cookies
