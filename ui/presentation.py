"""Classroom glue for app.py: the ``?lang=`` notice and presentation mode (``?present=1``).

Presentation mode, for a teacher on a projector:

* ``?present=1``: larger text (the root font size; Streamlit sizes text in rem), no sidebar and
  no header, the full width for the page.
* ``&show=gamma,delta``: only these controls stay visible in the page. A name is a URL setting
  name; a control matches when its widget key is that name, ``url_<name>`` or
  ``w.<page>.<name>.<lang>`` (the key conventions of ``ui/url_state.py``). Every other input widget of the main area (sliders, menus,
  radios, checkboxes, number and text inputs) is hidden with CSS, so it still runs and keeps
  the page's state; charts, metrics, formulas and text stay. Widgets without a key cannot be
  named.
* ``&lesson=<id>``: a lesson stepper above the page: PageDown / PageUp (what presentation
  clickers send) or the Next / Back buttons open the lesson's next / previous deep link
  (``lossviz/content/lessons.json``), in the teacher's language.

The language radio stays at the top right; ``lang=zh`` in the link works too.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lossviz.i18n import DEFAULT_LANG, LANGS
from lossviz.lessons import LESSON, PRESENT, SHOW, STEP, lessons, shown_controls, step_query
from lossviz.state import Setting, float_setting
from ui.common import show_url_notices, tr
from ui.registered_pages import registered_pages

LANG_SETTING = Setting("lang", "choice", DEFAULT_LANG, options=LANGS)
# Page-independent session keys that survive a lesson step (everything else is the page's).
KEEP_ON_STEP = ("lang",)
KEY_PREFIX = "classroom_"

_INPUT_TEST_IDS = ("stSlider", "stSelectbox", "stMultiSelect", "stRadio", "stCheckbox",
                   "stToggle", "stNumberInput", "stTextInput", "stTextArea", "stSelectSlider")


def presentation_settings() -> list[Setting]:
    """What presentation mode reads from the URL, for the ignored-value notices."""
    longest = max((len(steps) for steps in lessons().values()), default=0)
    return [
        Setting(PRESENT, "choice", "0", options=("0", "1")),
        Setting(LESSON, "choice", "", options=tuple(lessons())),
        float_setting(STEP, 0, 0, longest, 1),
    ]


def presentation_css(show: list[str]) -> str:
    """The style of presentation mode; ``show`` names (already sanitised) keep their controls."""
    css = [
        # 1.25x text on a projector's 1280 px; Streamlit's 16 px below 1100 px, where metrics would clip
        "html{font-size:20px}@media (max-width:1100px){html{font-size:16px}}",
        "[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],"
        "[data-testid='stExpandSidebarButton'],header[data-testid='stHeader']{display:none}",
        "[data-testid='stMainBlockContainer']{max-width:100%;padding-top:1rem}",
    ]
    if show:
        inputs = ",".join(f"[data-testid='{test_id}']" for test_id in _INPUT_TEST_IDS)
        # widget keys: "name", "url_name", or the page views' "w.<page>.<name>.<lang>", which
        # Streamlit turns into the class st-key-w-<page>-<name>-<lang>
        keep = "".join(f":not(.st-key-{name}):not(.st-key-url_{name})"
                       + "".join(f":not([class*='st-key-w-'][class*='-{name}-{lang}'])" for lang in LANGS)
                       for name in show)
        css.append(f"[data-testid='stMain'] [data-testid='stElementContainer']:has({inputs}){keep}"
                   f":not([class*='st-key-{KEY_PREFIX}']){{display:none}}")
    return "<style>" + "".join(css) + "</style>"


def presentation_mode() -> None:
    """Call in app.py between ``st.navigation(...)`` and ``.run()``."""
    show_url_notices("classroom", presentation_settings(), shell=True)
    if st.query_params.get(PRESENT) != "1":
        return
    st.html(presentation_css(shown_controls(st.query_params.get(SHOW))))
    lesson_id = st.query_params.get(LESSON)
    if lesson_id in lessons():
        lesson_stepper(lesson_id)


def current_step(total: int) -> int:
    """The step in the URL (0 = not started), clamped to the lesson; bad values mean 0."""
    try:
        number = int(float(st.query_params.get(STEP, "0")))
    except ValueError:
        return 0
    return min(max(number, 0), total)


def lesson_stepper(lesson_id: str) -> None:
    steps = lessons()[lesson_id]
    number = current_step(len(steps))
    # Buttons show their shortcut after the label: wide columns, no icons, so neither is clipped.
    back, title, forward, leave = st.columns([2.3, 4.2, 2.3, 1.8], vertical_alignment="center")
    go_back = back.button(tr("classroom.back"), key=KEY_PREFIX + "back", shortcut="PageUp",
                          disabled=number <= 1, width="stretch")
    title.markdown(f"**{tr(f'classroom.lesson.{lesson_id}.title')}** · "
                   + tr("classroom.progress", n=number, total=len(steps)))
    go_forward = forward.button(tr("classroom.next"), key=KEY_PREFIX + "next", shortcut="PageDown",
                                type="primary", disabled=number >= len(steps), width="stretch")
    if leave.button(tr("classroom.exit"), key=KEY_PREFIX + "exit", width="stretch"):
        for name in (PRESENT, LESSON, STEP, SHOW):
            if name in st.query_params:
                del st.query_params[name]
        st.rerun()
    st.info(tr(f"classroom.lesson.{lesson_id}.{number}") if number else tr("classroom.start"),
            icon=":material/school:")
    if go_back or go_forward:
        open_step(lesson_id, number + (1 if go_forward else -1))


def unbind_page_widgets() -> None:
    """Release the query parameters the page's widgets bound (``bind="query-params"``), so the
    next step's link can set them; its widgets bind them again when they are drawn.

    Streamlit 1.67 has no public call for this: ``st.switch_page(query_params=...)`` refuses a
    parameter still bound to a widget of the previous run. Uses ``QueryParams.unbind_widget``.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    with ctx.session_state.query_params() as query_params:
        bindings = getattr(query_params, "_bindings_by_widget", {})
        for widget_id, binding in list(bindings.items()):
            if binding.param_key not in KEEP_ON_STEP:
                query_params.unbind_widget(widget_id)


def open_step(lesson_id: str, number: int) -> None:
    """Open step ``number`` as if its link were opened fresh, keeping language and mode."""
    step = lessons()[lesson_id][number - 1]
    script = next(p.script for p in registered_pages() if p.url_path == step.url_path)
    # The page's widgets must start from the link, not from the previous step's values.
    for key in list(st.session_state.keys()):
        if key not in KEEP_ON_STEP and not key.startswith(KEY_PREFIX):
            del st.session_state[key]
    unbind_page_widgets()
    st.switch_page(script, query_params=step_query(lesson_id, number, step, st.query_params.get(SHOW)))
