"""/gan in a real browser: Play ticks the live fragment (the step counter advances on its own),
Pause stops it, a Chinese deep link restores the settings, a hostile link shows notices."""

from e2e_harness import assert_no_exception, open_app, wait_for_app

METRIC = '[data-testid="stMetricValue"]'
OPEN_TIMEOUT_MS = 150_000  # a first visit imports torch; on a shared, loaded CPU that took 30-60 s


def step_count(page) -> int:
    return int(page.locator(METRIC).first.inner_text())


def test_play_advances_the_step_counter_and_pause_stops_it(page, app_url):
    open_app(page, app_url + "/gan?gan_speed=10", timeout=OPEN_TIMEOUT_MS)
    assert step_count(page) == 0
    page.get_by_role("button", name="▶ Play").click()
    # the Play rerun trains one chunk (at most 10 steps); the rest can only come from the fragment's ticks
    page.wait_for_function(
        f"() => parseInt(document.querySelector('{METRIC}').innerText) >= 40", timeout=30_000, polling=100)
    page.get_by_role("button", name="⏸ Pause").click()
    wait_for_app(page)
    paused_at = step_count(page)
    page.wait_for_timeout(1500)  # three ticks' worth: nothing may move while paused
    assert step_count(page) == paused_at
    assert page.locator(".js-plotly-plot").count() == 3
    assert_no_exception(page)


def test_chinese_deep_link_restores_settings_and_step_trains(page, app_url):
    open_app(page, app_url + "/gan?target=gaussian&gan_loss=minimax&gan_opt=sgd&lr_d=0.1&lang=zh", timeout=OPEN_TIMEOUT_MS)
    assert page.get_by_role("heading", name="GAN 损失：实时训练").is_visible()
    assert page.get_by_text("极小极大 log(1 − D(G(z)))").first.is_visible()
    page.get_by_role("button", name="单步").click()
    wait_for_app(page)
    assert step_count(page) == 20
    assert "gan_loss=minimax" in page.url and "lang=zh" in page.url
    assert_no_exception(page)


def test_hostile_link_shows_notices_and_no_traceback(page, app_url):
    open_app(page, app_url + "/gan?target=%3Cscript%3E&lr_g=nan&gan_speed=1e9&gan_loss=wgan", timeout=OPEN_TIMEOUT_MS)
    notices = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    for ignored in ("target=<script>", "lr_g=nan", "gan_speed=1e9", "gan_loss=wgan"):
        assert ignored in notices, notices
    assert step_count(page) == 0
    assert_no_exception(page)
