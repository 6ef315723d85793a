"""The /llm tabs about text targets: next-token CE, label smoothing, masked LM, CTC.

Each tab is a fragment: its sliders rerun only that tab. Maths: lossviz.llm; charts: lossviz.llm_plots.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from lossviz import llm_plots, state
from lossviz.display import fmt_number
from lossviz.llm import ctc_example, next_token
from ui.common import PLOT_CONFIG, tr
from ui.url_state import url_slider

SETTINGS = {s.name: s for s in state.LLM_SETTINGS}
SMOOTHING_VOCAB = len(next_token.VOCAB)  # the tiny vocabulary of the next-token tab
SMOOTHING_TRUE = next_token.VOCAB.index("cat")


def slider(name: str) -> float:
    return url_slider(SETTINGS[name], tr(f"llm.{name}"), tr(f"llm.{name}.help"))


def chart(figure: dict, key: str) -> None:
    st.plotly_chart(figure, config=PLOT_CONFIG, theme=None, key=key)


def metric_row(items: list[tuple[str, float | str]]) -> None:
    for column, (label, value) in zip(st.columns(len(items)), items):
        column.metric(label, value if isinstance(value, str) else fmt_number(value))


@st.cache_data(max_entries=256, show_spinner=False)
def cached_next_token(skill: float) -> dict:
    return next_token.next_token_summary(skill)


@st.cache_data(max_entries=256, show_spinner=False)
def cached_smoothing(eps: float) -> dict:
    margins = np.linspace(0.0, 12.0, 241)
    return {"curve": next_token.smoothing_curve(eps, SMOOTHING_VOCAB, margins),
            "target": next_token.smoothed_target(eps, SMOOTHING_VOCAB, SMOOTHING_TRUE),
            "floor": next_token.smoothing_floor(eps, SMOOTHING_VOCAB),
            "best": next_token.best_margin(eps, SMOOTHING_VOCAB)}


@st.cache_data(max_entries=256, show_spinner=False)
def cached_mlm(rate: float) -> dict:
    return next_token.mlm_summary(rate)


@st.cache_data(max_entries=256, show_spinner=False)
def cached_ctc(blank_weight: float, sharpness: float) -> dict:
    return ctc_example.ctc_summary(blank_weight, sharpness)


def _word(token_id: int) -> str:
    return next_token.VOCAB[token_id].replace("<", "‹").replace(">", "›")  # plotly text reads <…> as HTML


def _token_cells(per_token: np.ndarray, targets: list[list[int]]) -> list[list[str]]:
    return [[f"{_word(t)}<br>{v:.2f}" if np.isfinite(v) else _word(t) for t, v in zip(row_ids, row)]
            for row_ids, row in zip(targets, per_token)]


@st.fragment
def next_token_tab() -> None:
    st.markdown(tr("llm.lm.intro"))
    skill = slider("lm_skill")
    s = cached_next_token(skill)
    targets = next_token.batch_targets().tolist()
    rows = [tr("llm.lm.row", i=i + 1, n=n) for i, n in enumerate(s["lengths"])]
    positions = [f"t={t + 1}" for t in range(len(targets[0]))]
    chart(llm_plots.heatmap(s["per_token"], positions, rows, tr("llm.lm.colorbar"),
                            cell_text=_token_cells(s["per_token"], targets), height=270, text_size=14),
          "llm_lm_heat")
    metric_row([(tr("llm.lm.masked"), s["masked_mean"]), (tr("llm.lm.sequence"), s["sequence_average"]),
                (tr("llm.lm.unmasked"), s["unmasked_mean"]), (tr("llm.lm.ppl"), s["perplexity"]),
                (tr("llm.lm.uniform"), s["uniform_loss"])])
    st.markdown(tr("llm.lm.explain", means=", ".join(fmt_number(v, 3) for v in s["sequence_means"])))
    st.latex(r"\mathcal{L}_{\text{token}} = \frac{\sum_{n,t} m_{nt}\,\ell_{nt}}{\sum_{n,t} m_{nt}},\quad"
             r"\mathcal{L}_{\text{seq}} = \frac1N \sum_n \frac{\sum_t m_{nt}\,\ell_{nt}}{\sum_t m_{nt}},\quad"
             r"\mathrm{PPL} = e^{\mathcal{L}_{\text{token}}},\quad \ell_{nt} = -\log p_\theta(y_{nt} \mid y_{n,<t})")
    st.caption(tr("llm.lm.cite"))


@st.fragment
def smoothing_tab() -> None:
    st.markdown(tr("llm.ls.intro"))
    eps = slider("ls_eps")
    s = cached_smoothing(eps)
    left, right = st.columns(2)
    with left:
        words = [_word(i) for i in range(len(next_token.VOCAB))]
        chart(llm_plots.bars(words, [llm_plots.Series(tr("llm.ls.target"), words, s["target"])],
                             tr("llm.ls.prob"), height=330), "llm_ls_bars")
    with right:
        curve = s["curve"]
        series = [llm_plots.Series(tr("llm.ls.plain"), curve["x"], curve["plain"]),
                  llm_plots.Series(tr("llm.ls.smoothed", eps=f"{eps:g}"), curve["x"], curve["smoothed"])]
        chart(llm_plots.lines(series, tr("llm.ls.margin"), tr("llm.ls.loss"), height=330, vline=s["best"]),
              "llm_ls_curve")
    best = "∞" if not np.isfinite(s["best"]) else s["best"]
    metric_row([(tr("llm.ls.floor"), s["floor"]), (tr("llm.ls.best"), best),
                (tr("llm.ls.true_prob"), float(s["target"][SMOOTHING_TRUE]))])
    st.latex(r"\tilde y_k = (1 - \varepsilon)\,[k = y] + \frac{\varepsilon}{V},\qquad"
             r"\min_q \mathrm{CE}(\tilde y, q) = H(\tilde y),\qquad m^\star = \log\frac{1 - \varepsilon + \varepsilon/V}"
             r"{\varepsilon / V}")
    st.info(tr("llm.ls.note"), icon="📌")
    st.caption(tr("llm.ls.cite"))


@st.fragment
def mlm_tab() -> None:
    st.markdown(tr("llm.mlm.intro"))
    rate = slider("mlm_rate")
    s = cached_mlm(rate)
    shown = np.where(s["mask"], s["per_token"], np.nan)[None]
    # the words are the column labels; masked cells (coloured) carry their loss
    columns = [f"{i + 1}<br>{'▢' if m else w}" for i, (w, m) in enumerate(zip(s["tokens"], s["mask"]))]
    text = [[f"{v:.2f}" if m else "" for v, m in zip(s["per_token"], s["mask"])]]
    chart(llm_plots.heatmap(shown, columns, [""], tr("llm.lm.colorbar"), cell_text=text, height=170,
                            text_size=14, colorbar=False), "llm_mlm_heat")
    st.caption(tr("llm.mlm.legend", words=" ".join(s["tokens"])))
    metric_row([(tr("llm.mlm.count"), f"{s['masked_count']} / {len(s['tokens'])}"), (tr("llm.mlm.loss"), s["mlm_loss"]),
                (tr("llm.mlm.all"), s["all_positions_loss"])])
    st.latex(r"\mathcal{L}_{\text{MLM}} = -\frac{1}{|M|} \sum_{t \in M} \log p_\theta(x_t \mid x_{\setminus M})")
    st.caption(tr("llm.mlm.cite"))


@st.fragment
def ctc_tab() -> None:
    st.markdown(tr("llm.ctc.intro"))
    left, right = st.columns([1, 2])
    with left:
        blank_weight, sharpness = slider("ctc_blank"), slider("ctc_sharp")
    s = cached_ctc(blank_weight, sharpness)
    with right:
        frames = [tr("llm.ctc.frame", t=t + 1) for t in range(ctc_example.FRAMES)]
        text = [[f"{p:.2f}" for p in row] for row in s["probs"].T]
        chart(llm_plots.heatmap(s["probs"].T, frames, list(ctc_example.CLASSES), tr("llm.ctc.prob"), cell_text=text,
                                zmax=1.0, height=260, text_size=14), "llm_ctc_heat")
    metric_row([(tr("llm.ctc.loss"), s["loss"]), (tr("llm.ctc.aligned"), s["aligned"]),
                (tr("llm.ctc.blank_heavy"), s["blank_heavy"]), (tr("llm.ctc.uniform"), s["uniform"]),
                (tr("llm.ctc.greedy"), f"“{s['greedy']}”")])
    st.latex(r"\mathcal{L}_{\text{CTC}} = -\log \sum_{\pi \in \mathcal{B}^{-1}(\text{cat})} \prod_{t=1}^{T} p_t(\pi_t)")
    st.caption(tr("llm.ctc.cite"))
