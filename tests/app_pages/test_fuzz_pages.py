"""Fuzz every page registered in app.py (ui.registered_pages) through AppTest + hypothesis:
random query strings (the page's own setting names, the shell's, and junk; hostile values) and
random widget actions a user can take. Zero exceptions is the requirement.

Pages added to app.py later are fuzzed without editing this file. Widget actions stay inside
what the browser allows (a slider's own range and grid, a menu's own options); values outside
them can only come from a link, which the query-string fuzz covers.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.runtime.state.common import TESTING_KEY
from streamlit.testing.v1 import AppTest

from tests.page_names import SHELL_PARAMS, names_for, open_page
from ui.registered_pages import registered_pages

PAGES = registered_pages()
FUZZ = settings(max_examples=8, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


hostile_values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["nan", "inf", "-inf", "1e999", "-0", "", ",", ",,", "0x10", "1_000", "²",
                     "<script>alert(1)</script>", "'; DROP TABLE", "%00", "\u202e", "en,zh", "1" * 300]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_random_query_strings_never_raise(page):
    names = names_for(page.script)

    @FUZZ
    @given(st.dictionaries(st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12)),
                           hostile_values, max_size=6))
    def check(query):
        at = open_page(page.script, query)
        assert not at.exception, (page.script, query, [e.value for e in at.exception])

    check()


def _label_as_value(widget) -> None:
    """Send menu choices as the browser does, by label (AppTest's own helpers re-format them)."""
    widget.root.session_state[TESTING_KEY][widget.id] = lambda label: label


def random_action(at: AppTest, data) -> str:
    """One thing a user can do on the page now; returns a description for failure messages."""
    candidates = [("slider", w) for w in at.slider if w.key != "lang"]
    candidates += [("select_slider", w) for w in at.select_slider if len(w.options) > 1]
    candidates += [("toggle", w) for w in at.toggle]
    candidates += [("text_input", w) for w in at.text_input]
    candidates += [(kind, w) for kind in ("selectbox", "radio") for w in getattr(at, kind)
                   if w.key != "lang" and len(w.options) > 1]  # the language switch is not fuzzed:
    candidates += [("multiselect", w) for w in at.multiselect if w.options]  # see test_i18n / e2e
    candidates += [("checkbox", w) for w in at.checkbox]
    if not candidates:
        at.run()
        return "rerun"
    kind, widget = data.draw(st.sampled_from(candidates))
    if kind == "slider":
        low, high, step = float(widget.min), float(widget.max), float(widget.step or 0.01)
        n = int(math.floor((high - low) / step + 1e-9))
        value = round(low + data.draw(st.integers(0, n)) * step, 10)
        widget.set_value(value)
    elif kind == "select_slider":  # the browser sends an option's label
        value = data.draw(st.sampled_from(widget.options))
        _label_as_value(widget)
        widget.set_value(value)
    elif kind == "text_input":  # typed text: anything, hostile included
        value = data.draw(st.one_of(hostile_values, st.text(max_size=40)))
        widget.set_value(value)
    elif kind in ("selectbox", "radio"):
        value = data.draw(st.sampled_from(widget.options))
        _label_as_value(widget)
        widget.set_value(value)
    elif kind == "multiselect":
        limit = widget.max_selections or len(widget.options)
        value = data.draw(st.lists(st.sampled_from(widget.options), unique=True, max_size=limit))
        _label_as_value(widget)
        widget.set_value(value)
    else:  # checkbox, toggle
        value = data.draw(st.booleans())
        widget.set_value(value)
    at.run()
    return f"{kind} {widget.key}={value!r}"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_random_widget_actions_never_raise(page):
    @settings(max_examples=4, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def check(data):
        at = open_page(page.script)
        done = []
        for _ in range(6):
            done.append(random_action(at, data))
            assert not at.exception, (page.script, done, [e.value for e in at.exception])

    check()


def test_the_fuzz_knows_every_pages_url_names():
    """The query-string fuzz draws each page's own URL names, from its settings tables: e.g.
    /custom's expression, /llm's tab parameters, /interview's mode, /gan's learning rates."""
    expected = {"custom": {"expr", "params"}, "llm": {"lang"}, "interview": {"mode"}, "gan": {"lr_g", "lr_d"},
                "training": {"lr", "batch", "steps", "hidden", "speed"}, "surfaces": {"lr_adam"}}
    for page in PAGES:
        names = set(names_for(page.script))
        assert set(SHELL_PARAMS) <= names
        assert expected.get(page.name, set()) <= names, (page.name, sorted(names))
