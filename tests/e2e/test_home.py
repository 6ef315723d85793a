"""Home page in a real browser: both languages, navigation keeps the language."""

import re

from e2e_harness import assert_no_exception, open_app, wait_for_app


def test_home_in_english(page, app_url):
    open_app(page, app_url + "/")
    assert page.get_by_role("heading", name=re.compile("lossviz")).is_visible()
    assert page.get_by_text("What each page teaches").is_visible()
    assert_no_exception(page)


def test_home_in_chinese(page, app_url):
    open_app(page, app_url + "/?lang=zh")
    assert page.get_by_text("各页面讲什么").is_visible()
    assert_no_exception(page)


def test_language_survives_switching_to_explorer(page, app_url):
    open_app(page, app_url + "/?lang=zh")
    page.get_by_role("link", name="损失函数探索").first.click()
    page.wait_for_url(re.compile(r"/explorer"))
    wait_for_app(page)
    assert "lang=zh" in page.url
    assert page.get_by_role("heading", name="损失函数探索").is_visible()
    assert_no_exception(page)


def test_switching_language_translates_the_page(page, app_url):
    open_app(page, app_url + "/")
    page.locator(".st-key-lang_bar").get_by_text("zh", exact=True).click()
    wait_for_app(page)
    assert page.get_by_text("各页面讲什么").is_visible()
    assert "lang=zh" in page.url
