"""/interview in a real browser: a deep link to one question (zh), quiz feedback, hostile link."""

from e2e_harness import assert_no_exception, open_app, wait_for_app

from lossviz.question_bank import question_by_id
from lossviz.quiz import format_number, load_quiz

ALERT = '[data-testid="stAlert"]'


def test_deep_link_to_one_question_in_chinese_shows_answer_and_live_chart(page, app_url):
    question = question_by_id("cls-focal-loss")
    open_app(page, app_url + f"/interview?q={question.id}&lang=zh")
    assert page.get_by_role("heading", name="面试准备").is_visible()
    assert page.get_by_role("heading", name=question.text("zh")).is_visible()
    assert page.get_by_text("Lin 等，2017", exact=False).first.is_visible()
    assert page.locator(".js-plotly-plot .main-svg").first.is_visible()
    assert "q=cls-focal-loss" in page.url and "lang=zh" in page.url
    assert_no_exception(page)


def test_quiz_prediction_gets_feedback_with_the_computed_value_and_a_score(page, app_url):
    item = next(i for i in load_quiz() if i.id == "focal-gamma-0-to-2")
    answer = item.answer()
    open_app(page, app_url + f"/interview?mode=quiz&q={item.id}")
    field = page.get_by_test_id("stNumberInput").locator("input")
    field.fill(str(round(answer)))
    field.press("Enter")
    wait_for_app(page)
    page.get_by_test_id("stFormSubmitButton").locator("button").click()
    wait_for_app(page)
    feedback = page.locator(ALERT).first.inner_text()
    assert "Right" in feedback and format_number(answer) in feedback
    assert page.get_by_test_id("stMetricValue").first.inner_text() == "1 / 1"
    assert_no_exception(page)


def test_english_flashcards_and_a_hostile_link_show_notices_not_tracebacks(page, app_url):
    open_app(page, app_url + "/interview?mode=flashcards&topic=%3Cscript%3E&q=nope&lang=en")
    notices = " ".join(page.locator(ALERT).all_inner_texts())
    assert "topic=<script>" in notices and "q=nope" in notices
    assert page.get_by_text("Reveal the answer").is_visible()
    assert_no_exception(page)
