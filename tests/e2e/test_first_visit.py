"""A server's very first visitor arrives by a deep link: app.py must still route and translate.

Regression test: with a ``pages/`` folder beside app.py, Streamlit 1.67 ran the first session in
its old directory mode, bypassing app.py (no language switch, wrong menu) for the whole server.
"""

from e2e_harness import StreamlitServer, assert_no_exception, open_app


def test_first_request_to_a_fresh_server_is_a_chinese_deep_link(page):
    with StreamlitServer() as server:
        open_app(page, server.url + "/explorer?loss=mse&pred=2&lang=zh")
        assert page.get_by_role("heading", name="损失函数探索").is_visible()
        assert page.get_by_role("link", name="首页").first.is_visible()  # app.py's navigation, translated
        assert page.locator(".st-key-lang_bar").get_by_text("简体中文").is_visible()  # app.py's language switch
        assert page.locator('[data-testid="scrubReadoutValue"]').first.inner_text() == "4.0000"
        assert_no_exception(page)
