"""Interview prep: questions with model answers and live pictures, a quiz computed by the loss
library, flashcards with Markdown/Anki export, and a myth check with live evidence.

Storyboard: settings from the URL -> mode and filters -> the chosen mode's view. The bank is
data (lossviz/content); answers, quiz values and myth evidence are computed by lossviz.
"""

import streamlit as st

from lossviz import grads, plots, state
from lossviz.bank_export import to_anki_csv, to_markdown
from lossviz.link_chart import ExplorerView, explorer_view
from lossviz.losses import LOSSES, get_loss
from lossviz.myths import correction_text, evidence_numbers, load_myths
from lossviz.question_bank import DIFFICULTIES, TOPICS, Question, filter_questions, load_questions, parse_link
from lossviz.quiz import QuizItem, filter_quiz, format_number, is_correct, load_quiz
from ui.charts import plotly_chart
from ui.common import PLOT_CONFIG, lang, show_url_notices, tr
from ui.perf import freeze_import_time_objects
from ui.registered_pages import registered_url_paths
from ui import url_state
from ui.url_state import url_choice

freeze_import_time_objects()  # torch is imported by now; see ui/perf.py

QUESTIONS = {q.id: q for q in load_questions()}
QUIZ = {item.id: item for item in load_quiz()}
SETTINGS = {s.name: s for s in state.interview_settings(TOPICS, DIFFICULTIES, (*QUESTIONS, *QUIZ))}


@st.cache_data(max_entries=256, show_spinner=False)
def cached_curve(loss_key: str, params: tuple, label: float, axis: str) -> dict:
    """Arrays, not figures, are cached (as in the Explorer)."""
    return grads.explorer_curve(get_loss(loss_key), label, dict(params), axis, n=121)


@st.cache_data(show_spinner=False)
def cached_quiz_answer(item_id: str) -> float | str:
    return QUIZ[item_id].answer()


@st.cache_data(show_spinner=False)
def cached_evidence(myth_id: str) -> dict:
    return evidence_numbers(next(m for m in load_myths() if m.id == myth_id))


def link_chart(view: ExplorerView, key: str) -> None:
    """A small live version of the Explorer's chart for one answer."""
    loss = get_loss(view.loss)
    curves = []
    for loss_key, params in [(view.loss, view.params)] + [(k, tuple(LOSSES[k].defaults().items())) for k in view.compare]:
        curves.append(plots.CurveSeries(tr(LOSSES[loss_key].name_key), **cached_curve(loss_key, params, view.label, view.axis)))
    point = grads.explorer_point(loss, view.x, view.label, dict(view.params))
    x_kind = grads.x_kind(loss, view.axis)
    x0, slope = (point["prob"], point["grad_prob"]) if x_kind == "prob" else (point["x"], point["grad"])
    current = plots.CurrentPoint(x0, point["loss"], slope)
    titles = plots.AxisTitles(x=tr("axis.title." + x_kind), loss=tr("chart.loss"), grad=tr("chart.grad_" + x_kind))
    plotly_chart(plots.loss_and_gradient_figure(curves, current, titles, height=360),
                    config=PLOT_CONFIG, theme=None, key=key)


def links(question_links, note=None) -> None:
    shown = [link for link in question_links if link.page in registered_url_paths()]
    for link in shown:
        st.page_link(f"app_pages/{link.page}.py", label=tr("interview.open", page=tr(f"interview.page.{link.page}")),
                     icon="🔗", query_params=dict(link.query))
    if note and shown:
        st.caption(note[lang()])


def meta(topic: str, difficulty: str) -> str:
    return f"{tr('interview.topic.' + topic)} · {tr('interview.difficulty.' + difficulty)}"


def pick(slot, items: dict, ids: list[str], label: str) -> str:
    """The question/quiz selector in ``slot`` (the filter row), bound to ?q= (a deep link to one item)."""
    with slot:
        return url_choice(SETTINGS["q"], label, options=ids, widget=st.selectbox,
                          format_func=lambda i: f"{ids.index(i) + 1}. {item_title(items[i])}")


def item_title(item: Question | QuizItem) -> str:
    return item.prompt_text(lang()) if isinstance(item, QuizItem) else item.text(lang())


def step_buttons(ids: list[str], current: str) -> None:
    """Previous / next, wrapping around; they move the selector (and so the URL)."""
    def move(offset: int) -> None:
        url_state.set_value("interview", "q", ids[(ids.index(current) + offset) % len(ids)])

    with st.container(horizontal=True):
        st.button(tr("interview.prev"), on_click=move, args=(-1,))
        st.button(tr("interview.next"), on_click=move, args=(1,))


def question_view(ids: list[str], slot) -> None:
    qid = pick(slot, QUESTIONS, ids, tr("interview.question"))
    question: Question = QUESTIONS[qid]
    st.caption(meta(question.topic, question.difficulty))
    st.markdown(f"#### {question.text(lang())}")
    st.markdown(question.answer_text(lang()))
    links(question.all_links(), question.link_note)
    if question.link:  # full width under the answer: side by side, 800-pixel screens squeeze it
        link_chart(explorer_view(question.link.query), key="interview_chart")
    step_buttons(ids, qid)
    export_buttons(ids)


def flashcard_view(ids: list[str], slot) -> None:
    qid = pick(slot, QUESTIONS, ids, tr("interview.card"))
    question = QUESTIONS[qid]
    with st.container(border=True):
        st.caption(meta(question.topic, question.difficulty))
        st.markdown(f"### {question.text(lang())}")
        if st.toggle(tr("interview.reveal"), key=f"reveal_{qid}"):
            st.markdown(question.answer_text(lang()))
            links(question.all_links())
    step_buttons(ids, qid)
    export_buttons(ids)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_exports(language: str, ids: tuple[str, ...]) -> tuple[str, str]:
    """(Markdown, Anki CSV) of the filtered bank; built once per language and filter."""
    labels = {"answer": tr("interview.answer"), "link": tr("interview.link")}
    labels.update({f"topic.{t}": tr(f"interview.topic.{t}") for t in TOPICS})
    labels.update({f"difficulty.{d}": tr(f"interview.difficulty.{d}") for d in DIFFICULTIES})
    questions = [QUESTIONS[i] for i in ids]
    return (to_markdown(questions, language, tr("interview.title"), labels),
            to_anki_csv(questions, language))


def export_buttons(ids: list[str]) -> None:
    markdown, anki = cached_exports(lang(), tuple(ids))
    row = st.container(horizontal=True)
    row.download_button(tr("interview.export.markdown"), markdown, file_name=f"lossviz-interview-{lang()}.md",
                        mime="text/markdown", icon="📄")
    row.download_button(tr("interview.export.anki"), anki, file_name=f"lossviz-anki-{lang()}.csv",
                        mime="text/csv", icon="🗂️")


def quiz_view(ids: list[str], slot) -> None:
    score = st.session_state.setdefault("interview_score", {})
    item: QuizItem = QUIZ[pick(slot, QUIZ, ids, tr("interview.quiz.item"))]
    prompt_col, score_col = st.columns([5, 1], vertical_alignment="top")
    score_box = score_col.empty()  # filled at the end, so a check on this run is counted
    prompt_col.caption(meta(item.topic, item.difficulty) + " · " + tr("interview.quiz.predict"))
    prompt_col.markdown(f"#### {item.prompt_text(lang())}")
    with st.form(f"quiz_{item.id}"):
        if item.kind == "choice":
            guess = st.radio(tr("interview.quiz.choose"), list(item.options), index=None,
                             format_func=lambda k: item.options[k][lang()], key=f"guess_{item.id}")
        else:
            guess = st.number_input(tr("interview.quiz.number"), value=None, format="%.4f",
                                    placeholder=tr("interview.quiz.placeholder"), key=f"guess_{item.id}")
        checked = st.form_submit_button(tr("interview.quiz.check"), type="primary")
    if checked and guess is None:
        st.warning(tr("interview.quiz.empty"))
    elif checked or item.id in score:
        answer = cached_quiz_answer(item.id)
        if checked:
            score.setdefault(item.id, is_correct(item, guess, answer))  # the first try counts
            right = is_correct(item, guess, answer)
        else:
            right = score[item.id]
        shown = item.options[answer][lang()] if item.kind == "choice" else format_number(answer)
        (st.success if right else st.error)(tr("interview.quiz.right" if right else "interview.quiz.wrong", answer=shown))
        st.markdown(item.explain_text(lang(), answer))
        if item.link:
            link = parse_link(item.link, item.id)
            links([link])
            link_chart(explorer_view(link.query), key="quiz_chart")
    step_buttons(ids, item.id)
    score_box.metric(tr("interview.score"), f"{sum(score.values())} / {len(score)}", help=tr("interview.score.help"))


def source_label(source: str) -> str:
    """ "seed 003" -> the translated "seed article 003"; "common" -> "common in articles"."""
    if source.startswith("seed "):
        return tr("interview.source.seed", number=source.split()[1])
    return tr("interview.source.common")


def myth_view() -> None:
    st.caption(tr("interview.myths.caption"))
    for myth in load_myths():
        with st.container(border=True):
            st.markdown(f"**{tr('interview.verdict.' + myth.verdict)}** · {source_label(myth.source)}")
            st.markdown(f"> {myth.claim[lang()]}")
            numbers = cached_evidence(myth.id) if myth.evidence else {}
            st.markdown(correction_text(myth, lang(), numbers))
            if myth.evidence:
                st.caption(tr("interview.myths.live", function=f"lossviz.myth_evidence.{myth.evidence}()"))
            if myth.cite:
                st.caption(tr("interview.myths.cite", cite=myth.cite))


st.title(tr("interview.title"))
show_url_notices("interview", SETTINGS.values())
mode = url_choice(SETTINGS["mode"], tr("interview.mode"), format_func=lambda m: tr("interview.mode." + m),
                  widget=st.radio, horizontal=True, label_visibility="collapsed")
topic_col, difficulty_col, pick_col = st.columns([1.1, 0.9, 3])  # one row: the question shows sooner
if mode == "myths":
    myth_view()
else:
    with topic_col:
        topic = url_choice(SETTINGS["topic"], tr("interview.filter.topic"), format_func=lambda t: tr("interview.topic." + t))
    with difficulty_col:
        difficulty = url_choice(SETTINGS["difficulty"], tr("interview.filter.difficulty"),
                                format_func=lambda d: tr("interview.difficulty." + d))
    pool = filter_quiz(QUIZ.values(), topic, difficulty) if mode == "quiz" else filter_questions(QUESTIONS.values(), topic, difficulty)
    ids = [item.id for item in pool]
    if not ids:
        st.info(tr("interview.empty"))
    else:
        {"questions": question_view, "flashcards": flashcard_view, "quiz": quiz_view}[mode](ids, pick_col)
