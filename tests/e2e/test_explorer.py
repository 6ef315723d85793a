"""Loss Explorer in a real browser: client-side scrubbing, deep links, hostile URLs, both languages."""

import re

import pytest

from e2e_harness import app_state, assert_no_exception, open_app, wait_for_app

READOUT = '[data-testid="scrubReadoutValue"]'
CHART = ".st-key-explorer_chart .js-plotly-plot"


def readout_texts(page) -> list[str]:
    return page.locator(READOUT).all_inner_texts()


SCRUB = '[data-testid="scrubInput"]'


def scrubber_label(page) -> str:
    """The value the scrubber is on, as shown beside it ("prediction ŷ = 1.25" -> "1.25")."""
    return page.locator('[data-testid="scrubValue"]').inner_text().split("=")[-1].strip()


def chart_markers(page) -> list[tuple[float, float]]:
    """Where the chart draws the current point (the circle shapes), as plotly holds them."""
    return page.locator(CHART).evaluate(
        "gd => gd.layout.shapes.filter(s => s.type === 'circle' && s.visible !== false)"
        ".map(s => [s.xanchor, s.yanchor])")


def selected_loss(page) -> str:
    return page.locator('[data-testid="stSelectbox"] input').first.input_value()


def test_explorer_default_shows_chart_readouts_and_formula(page, app_url):
    open_app(page, app_url + "/explorer")
    assert page.get_by_role("heading", name="Loss Explorer").is_visible()
    assert readout_texts(page)[:2] == ["1.0000", "1.0000"]  # huber, pred 1.5, target 0, delta 1
    assert page.locator(CHART).count() == 1
    assert "huber_loss" in page.locator('[data-testid="stCode"]').first.inner_text()
    assert_no_exception(page)


def test_drag_moves_readouts_in_the_browser_then_settles_into_the_url(page, app_url):
    open_app(page, app_url + "/explorer?loss=mse")
    assert readout_texts(page)[0] == "2.2500"  # (1.5 - 0)^2
    sends_before = app_state(page)["probe"]["sends"]
    box = page.locator(SCRUB).bounding_box()
    thumb_x = box["x"] + 8 + (box["width"] - 16) * 130 / 200  # pred 1.5 is step 130 of 0..200
    page.mouse.move(thumb_x, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 0.2 * box["width"], box["y"] + box["height"] / 2, steps=10)
    # still holding: readouts and the chart follow, no rerun was asked of the server
    pred = float(scrubber_label(page))
    assert pred < 0
    assert readout_texts(page)[:2] == [f"{pred * pred:.4f}", f"{2 * pred:.4f}"]
    assert chart_markers(page) == [[pred, pred * pred], [pred, 2 * pred]]
    assert app_state(page)["probe"]["sends"] == sends_before
    page.mouse.up()
    page.wait_for_url(re.compile(rf"pred={re.escape(f'{pred:g}')}(&|$)"))
    wait_for_app(page)
    assert app_state(page)["probe"]["sends"] == sends_before + 1  # one rerun, when the user let go
    assert readout_texts(page)[0] == f"{pred * pred:.4f}"
    assert_no_exception(page)


def test_arrow_keys_move_the_scrubber_and_the_link_keeps_where_they_rest(page, app_url):
    open_app(page, app_url + "/explorer?loss=mae&pred=1")
    sends_before = app_state(page)["probe"]["sends"]
    page.locator(SCRUB).focus()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")  # 1 - 4 * 0.05
    assert scrubber_label(page) == "0.8"
    assert readout_texts(page)[:2] == ["0.8000", "1.0000"]  # |0.8 - 0|, sign(0.8)
    assert chart_markers(page) == [[0.8, 0.8], [0.8, 1.0]]
    page.wait_for_url(re.compile(r"pred=0\.8(&|$)"))  # once the keys rest
    wait_for_app(page)
    assert app_state(page)["probe"]["sends"] == sends_before + 1
    assert_no_exception(page)


def test_deep_link_restores_loss_params_and_language(page, app_url):
    open_app(page, app_url + "/explorer?loss=huber&delta=0.5&pred=2&lang=zh")
    assert page.get_by_role("heading", name="损失函数探索").is_visible()
    # huber, r = 2, delta = 0.5: 0.5 * (2 - 0.25) = 0.875; gradient = delta = 0.5
    assert readout_texts(page)[:2] == ["0.8750", "0.5000"]
    assert scrubber_label(page) == "2"
    assert "delta=0.5" in page.locator('[data-testid="stCode"]').first.inner_text()
    assert_no_exception(page)


def test_classification_link_shows_logit_and_probability_gradients(page, app_url):
    open_app(page, app_url + "/explorer?loss=bce&logit=0&axis=prob")
    # z = 0: p = 0.5, dL/dz = p - 1 = -0.5, dL/dp = -1/p = -2
    assert readout_texts(page) == ["0.6931", "-0.5000", "0.5000", "-2.0000"]
    assert "axis=prob" in page.url
    assert_no_exception(page)


def test_language_switches_back_and_forth_keep_the_view(page, app_url):
    open_app(page, app_url + "/explorer?loss=quantile&tau=0.9&pred=-2")
    for lang, loss_name in (("zh", "分位数"), ("en", "Quantile"), ("zh", "分位数")):
        page.locator(".st-key-lang_bar label").filter(has_text=lang).first.click()
        wait_for_app(page)
        for part in ("loss=quantile", "tau=0.9", "pred=-2"):
            assert part in page.url, page.url
        assert loss_name in selected_loss(page)  # the menu speaks the new language
        assert readout_texts(page)[0] == "1.8000"  # tau * (y - pred) = 0.9 * 2
    open_app(page, app_url + "/explorer?loss=cross_entropy&axis=prob")
    for lang in ("zh", "en"):
        page.locator(".st-key-lang_bar label").filter(has_text=lang).first.click()
        wait_for_app(page)
        assert "loss=cross_entropy" in page.url and "axis=prob" in page.url
        checked = page.locator('[data-testid="stMain"] [data-testid="stRadio"] input:checked')
        assert checked.count() == 3  # the language, the axis and what the scrubber moves: each shows its choice
    assert_no_exception(page)


def test_home_and_back_keeps_the_view(page, app_url):
    open_app(page, app_url + "/explorer?loss=focal&compare=bce&axis=prob")
    page.get_by_role("link", name="Home").first.click()
    wait_for_app(page)
    page.get_by_role("link", name="Loss Explorer").first.click()
    wait_for_app(page)
    for part in ("loss=focal", "compare=bce", "axis=prob"):
        assert part in page.url, page.url
    assert "Focal" in selected_loss(page)
    assert_no_exception(page)


OVERFLOWING = """els => els.filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
                        .map(e => e.textContent)"""


def test_no_number_or_label_is_cut_at_1280_and_800_pixels(page, app_url):
    for width in (1280, 800):
        page.set_viewport_size({"width": width, "height": 720})
        for query in ("loss=bce&label=0&logit=8", "loss=multi_margin&margin=0&logit=-8&axis=prob",
                      "loss=focal&compare=bce,hinge,squared_hinge&axis=prob"):
            open_app(page, app_url + "/explorer?" + query)
            cut = page.locator(f"{READOUT}, .lv-label").evaluate_all(OVERFLOWING)
            assert cut == [], (width, query, cut)
            cut = page.locator('[data-testid="stWidgetLabel"] p, [data-testid="stMarkdownContainer"] p').evaluate_all(OVERFLOWING)
            assert cut == [], (width, query, cut)
    assert_no_exception(page)


def test_probability_axis_at_extreme_logits_keeps_point_and_tangent_inside(page, app_url):
    for query in ("loss=bce&label=0&logit=8&axis=prob", "loss=multi_margin&margin=0&logit=-8&axis=prob",
                  "loss=bce&logit=4&axis=prob"):
        open_app(page, app_url + "/explorer?" + query)
        box = page.locator(CHART).evaluate("""gd => {
            const L = gd._fullLayout, line = gd.layout.shapes.find(s => s.type === 'line');
            const point = gd.layout.shapes.find(s => s.type === 'circle' && s.yref === 'y');
            return {x: L.xaxis2.range, y: L.yaxis.range, point: [point.xanchor, point.yanchor],
                    tangent: line.visible === false ? [[], []] : [[line.x0, line.x1], [line.y0, line.y1]]}; }""")
        assert -0.02 <= box["x"][0] and box["x"][1] <= 1.02, box
        px, py = box["point"]
        assert box["x"][0] <= px <= box["x"][1] and box["y"][0] <= py <= box["y"][1], box
        for tx, ty in zip(*box["tangent"]):
            assert box["x"][0] - 1e-6 <= tx <= box["x"][1] + 1e-6 and box["y"][0] - 1e-6 <= ty <= box["y"][1] + 1e-6
    assert_no_exception(page)


def test_hostile_url_falls_back_with_notice_and_no_traceback(page, app_url):
    open_app(page, app_url + "/explorer?loss=nope&delta=abc&pred=1e999&compare=%3Cscript%3E")
    assert page.get_by_role("heading", name="Loss Explorer").is_visible()
    notices = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    for ignored in ("loss=nope", "delta=abc", "pred=1e999"):
        assert ignored in notices, notices
    assert readout_texts(page)[:2] == ["1.0000", "1.0000"]  # defaults
    assert_no_exception(page)


def test_notices_on_the_chinese_page_are_in_chinese(page, app_url):
    open_app(page, app_url + "/explorer?loss=nope&delta=abc&lang=zh")
    notices = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    assert "已忽略" in notices and "以下之一" in notices and "区间" in notices
    assert "one of" not in notices and "a number" not in notices
    assert_no_exception(page)


def test_compare_mode_draws_one_legend_entry_per_loss(page, app_url):
    open_app(page, app_url + "/explorer?loss=huber&compare=mse,mae,log_cosh")
    legend = page.locator(".js-plotly-plot .legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert len(legend) == 4 and sum("Huber" in t for t in legend) == 1
    chips = page.locator('[data-testid="stButtonGroup"] button[aria-pressed="true"], '
                         '[data-testid="stButtonGroup"] button[kind*="Active"]').count()
    assert chips in (0, 3)  # when the chip state is exposed, all three selected chips are shown
    assert_no_exception(page)


def test_a_parameter_family_redraws_the_curve_in_the_browser(page, app_url):
    open_app(page, app_url + "/explorer?loss=huber&scrub=delta&pred=2")
    curve = "gd => Array.from(gd.data[0].y).slice(0, 3)"  # the Huber loss at pred -5, -4.95, -4.9
    before = page.locator(CHART).evaluate(curve)
    sends_before = app_state(page)["probe"]["sends"]
    page.locator(SCRUB).focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")  # delta 1 -> 2
    assert scrubber_label(page) == "2"
    after = page.locator(CHART).evaluate(curve)
    assert after[0] == pytest.approx(2 * (5 - 1), rel=1e-6) and after != before  # delta (|r| - delta/2)
    assert readout_texts(page)[:2] == ["2.0000", "2.0000"]  # pred 2, delta 2: 0.5 r^2 = 2, gradient r = 2
    assert chart_markers(page)[0] == pytest.approx([2.0, 2.0])
    assert app_state(page)["probe"]["sends"] == sends_before
    page.wait_for_url(re.compile(r"delta=2(&|$)"))
    wait_for_app(page)
    assert "delta=2" in page.locator('[data-testid="stCode"]').first.inner_text()  # the page caught up
    assert_no_exception(page)
