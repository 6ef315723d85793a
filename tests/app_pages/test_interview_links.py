"""Every /explorer deep link of the interview bank and quiz opens without a notice or an exception,
and restores the loss and the sliders it names."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lossviz.question_bank import load_questions, parse_link
from lossviz.quiz import load_quiz

APP = str(Path(__file__).resolve().parents[2] / "app.py")
QUIZ_LINKS = [parse_link(item.link, item.id) for item in load_quiz() if item.link]
EXPLORER_LINKS = sorted({link.query for q in load_questions() for link in q.all_links()
                         if link.page == "explorer"} | {link.query for link in QUIZ_LINKS})


@pytest.mark.parametrize("query", EXPLORER_LINKS, ids=lambda q: "&".join(f"{k}={v}" for k, v in q))
def test_explorer_deep_link_opens_cleanly_and_restores_state(query):
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query:
        at.query_params[name] = value
    at.switch_page("app_pages/explorer.py").run()
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]
    values = dict(query)
    assert at.selectbox(key="url_loss").value == values["loss"]
    if "compare" in values:
        assert at.multiselect(key="url_compare").value == values["compare"].split(",")
    for slider in at.slider:
        if slider.key in values:
            assert slider.value == pytest.approx(float(values[slider.key])), slider.key
