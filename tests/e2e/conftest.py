"""Fixtures for browser (e2e) tests: a real Streamlit server running app.py, and headless chromium.

    def test_explorer_opens(page, app_url):
        open_app(page, app_url + "/explorer")         # goto + wait for the first run
        page.locator('[data-testid="stSlider"] [role="slider"]').first.press("ArrowRight")
        wait_for_app(page)                            # the rerun really finished
        assert_no_exception(page)

Helpers live in ``e2e_harness.py`` next to this file (bench/latency.py uses them too):
``from e2e_harness import wait_for_app, assert_no_exception, open_app``; this directory is on
``sys.path`` (put there below, so it works in any pytest import mode). See that module's
docstring for how ``wait_for_app`` knows a run has finished.

- ``app_url`` (session): ``python -m streamlit run app.py`` from the repo root on a free port;
  ``LOSSVIZ_E2E_URL=http://host:port`` tests an already running server instead.
- ``browser`` (session): Debian chromium (``LOSSVIZ_CHROMIUM`` overrides /usr/bin/chromium).
- ``context`` / ``page`` (function): a fresh 1280x720 context with the run-state probe; when the
  test fails, a screenshot goes to ``artifacts/e2e/<test name>.png``.
- Every test in this directory is marked ``e2e``: ``pytest -m "not e2e"`` skips them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

from e2e_harness import (  # noqa: E402  (re-exported for tests that import from here)
    METRIC_VALUE,
    REPO_ROOT,
    SLIDER,
    StreamlitServer,
    app_state,
    assert_no_exception,
    launch_chromium,
    new_context,
    open_app,
    safe_filename,
    wait_for_app,
)

__all__ = ["METRIC_VALUE", "SLIDER", "app_state", "assert_no_exception", "open_app", "wait_for_app"]

ARTIFACTS = REPO_ROOT / "artifacts" / "e2e"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "e2e: browser end-to-end test (real Streamlit server + headless chromium)"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)  # read by the page fixture's teardown
    return report


@pytest.fixture(scope="session")
def app_url():
    external = os.environ.get("LOSSVIZ_E2E_URL")
    if external:
        yield external.rstrip("/")
        return
    server = StreamlitServer("app.py", cwd=REPO_ROOT)
    try:
        server.start()
    except Exception as exc:
        pytest.fail(f"could not start the Streamlit app for e2e tests:\n{exc}", pytrace=False)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        try:
            chromium = launch_chromium(pw)
        except Exception as exc:
            pytest.fail(f"could not launch chromium for e2e tests: {exc}", pytrace=False)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        pw.stop()


@pytest.fixture
def context(browser):
    ctx = new_context(browser)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context, request):
    pg = context.new_page()
    yield pg
    failed = any(
        getattr(request.node, f"rep_{when}", None) is not None
        and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    if failed and not pg.is_closed():
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{safe_filename(request.node.name)}.png"
        try:
            pg.screenshot(path=str(path), full_page=True)
            request.node.add_report_section("teardown", "screenshot", str(path))
        except Exception as exc:  # a screenshot must never mask the real failure
            request.node.add_report_section("teardown", "screenshot", f"failed: {exc}")
