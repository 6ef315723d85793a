"""Numerical stability lab: softmax / log-softmax three ways in four dtypes; ε and clipping in BCE.

Storyboard: logits and dtype from the URL -> overview table (methods x dtypes) -> the values in
the chosen dtype against the float64 truth -> the ε / clipping charts, each with why the stable
form works. All maths is in lossviz.numerics; cell text in lossviz.stability_display.
"""

import pandas as pd
import streamlit as st

from lossviz import numerics, plots, stability_display, state
from ui.charts import plotly_chart
from ui.common import PLOT_CONFIG, show_url_notices, tr
from ui.perf import freeze_import_time_objects
from ui.url_state import url_choice
from ui.url_text import url_text

freeze_import_time_objects()  # torch is imported by now; see ui/perf.py

SETTINGS = {s.name: s for s in state.stability_settings()}
DTYPES = state.STABILITY_DTYPES
EPSILONS = (0.0, 1e-7, 1e-4, 1e-2)
# Cell colours by status: red NaN, orange ±inf, yellow 0 (colour-blind safe: also spelled out).
CELL_STYLE = {"nan": "background-color: #F4B6B6; font-weight: bold", "inf": "background-color: #F9D3A5",
              "zero": "background-color: #FFF1A8", "ok": "", "truth": "font-weight: bold; background-color: #DDF2E6"}


@st.cache_data(max_entries=256, show_spinner=False)
def cached_table(logits: tuple) -> dict:
    return numerics.stability_table(logits)


@st.cache_data(max_entries=8, show_spinner=False)
def cached_bce(dtype: str) -> dict:
    return numerics.bce_over_logit(numerics.DTYPES[dtype])


@st.cache_data(max_entries=2, show_spinner=False)
def cached_eps() -> dict:
    return numerics.epsilon_in_log_curves(EPSILONS)


def styled(rows: list[dict], columns: list[str], index: list[str]):
    """A DataFrame of cell texts, coloured by each cell's status (pandas Styler)."""
    texts = pd.DataFrame([[cell[0] for cell in row] for row in rows], columns=columns, index=index)
    styles = pd.DataFrame([[CELL_STYLE[cell[1]] for cell in row] for row in rows], columns=columns, index=index)
    return texts.style.apply(lambda _: styles, axis=None)


def row_label(method: str, output: str) -> str:
    return f"{tr('stability.method.' + method)} · {tr('stability.output.' + output)}"


def overview_table(table: dict) -> None:
    rows = stability_display.overview(table, numerics.METHODS, numerics.OUTPUTS, DTYPES)
    st.table(styled([[r[d] for d in DTYPES] for r in rows], list(DTYPES),
                    [row_label(r["method"], r["output"]) for r in rows]))


def detail_table(table: dict, dtype: str, count: int) -> None:
    rows = stability_display.detail(table, dtype, numerics.METHODS, numerics.OUTPUTS)
    index = [tr("stability.truth", output=tr("stability.output." + r["output"])) if r["method"] == "truth"
             else row_label(r["method"], r["output"]) for r in rows]
    st.table(styled([r["cells"] for r in rows], [f"z{i}" for i in range(count)], index))


def softmax_section(logits: list[float], dtype: str) -> None:
    table = cached_table(tuple(logits))
    left, right = st.columns([1.6, 1], gap="medium")
    with left:
        st.markdown(f"**{tr('stability.overview')}**")
        overview_table(table)
        st.markdown(f"**{tr('stability.detail', dtype=dtype)}**")
        detail_table(table, dtype, len(logits))
    with right:
        for method in numerics.METHODS:
            st.markdown(f"**{tr('stability.method.' + method)}** — {tr('stability.why.' + method)}")
        st.caption(tr("stability.legend"))


def two_panel(series: list[plots.CurveSeries], titles: plots.AxisTitles, key: str, log_x: bool = False) -> None:
    figure = plots.loss_and_gradient_figure(series, None, titles, height=420)
    if log_x:
        for axis in ("xaxis", "xaxis2"):
            figure["layout"][axis].update({"type": "log", "exponentformat": "power", "dtick": 2})
        figure["layout"]["yaxis2"].update({"type": "log", "exponentformat": "power", "dtick": 3})
        figure["layout"]["yaxis2"].pop("range", None)
    plotly_chart(figure, config=PLOT_CONFIG, theme=None, key=key)


def epsilon_section(dtype: str) -> None:
    eps = cached_eps()
    series = [plots.CurveSeries(tr("stability.eps.exact") if e == 0 else f"ε = {e:g}", eps["p"], eps["loss"][e],
                                -eps["grad"][e]) for e in EPSILONS]
    left, right = st.columns([1.6, 1], gap="medium")
    with left:
        two_panel(series, plots.AxisTitles(x=tr("stability.eps.p"), loss="−log(p + ε)", grad="|∂L/∂p| = 1/(p + ε)"),
                  key="eps_chart", log_x=True)
    with right:
        st.markdown(tr("stability.eps.why"))
    bce = cached_bce(dtype)
    names = ("logits", "clipped", "plus_eps", "naive")
    series = [plots.CurveSeries(tr("stability.bce." + name), bce["z"], bce[name], bce[name + "_grad"]) for name in names]
    left, right = st.columns([1.6, 1], gap="medium")
    with left:
        two_panel(series, plots.AxisTitles(x=tr("stability.bce.z", dtype=dtype), loss=tr("chart.loss"), grad="∂L/∂z"),
                  key="bce_chart")
    with right:
        st.markdown(tr("stability.bce.why", dtype=dtype))


st.title(tr("stability.title"))
show_url_notices("stability", SETTINGS.values())


@st.fragment
def lab() -> None:
    left, right = st.columns([2, 1.4])
    with left:
        logits = url_text(SETTINGS["logits"], tr("stability.logits"), tr("stability.logits.help"))
    with right:
        dtype = url_choice(SETTINGS["dtype"], tr("stability.dtype"), format_func=str, widget=st.radio,
                           horizontal=True)
    tabs = st.tabs([tr("stability.tab.softmax"), tr("stability.tab.eps")], key="stability_tab", on_change="rerun")
    if tabs[0].open:
        with tabs[0]:
            softmax_section(logits, dtype)
    if tabs[1].open:
        with tabs[1]:
            epsilon_section(dtype)


lab()
