"""/custom under its caps: an expression over the time budget, or too long, is a message."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from lossviz import expr
from lossviz.i18n import t

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_custom(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.switch_page("app_pages/custom.py")
    return at.run()


def test_an_expression_over_the_time_budget_is_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setattr(expr, "EVAL_BUDGET_S", -1.0)
    at = open_custom(expr="abs(y - p)**1.5")
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(e.value for e in at.error) + " ".join(w.value for w in at.warning)
    assert t("custom.error.slow", "en", budget=-1.0) in shown, shown


def test_a_link_with_a_too_long_expression_gets_a_notice():
    at = open_custom(expr="p" + "+p" * expr.MAX_LENGTH)
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "`expr=" in notices
