"""The /llm tabs about training objectives: contrastive (InfoNCE/CLIP), forward vs reverse KL,
RLHF (PPO, DPO) and mixture-of-experts router losses. Each tab is a fragment."""

from __future__ import annotations

import streamlit as st

from lossviz import llm_plots
from lossviz.display import fmt_number
from lossviz.llm import contrastive, kl_fit, moe, rlhf
from ui.common import tr
from ui.llm_text_tabs import chart, metric_row, slider


@st.cache_data(max_entries=256, show_spinner=False)
def cached_contrastive(spread: float, offset: float, text0: float, tau: float, margin: float) -> dict:
    return contrastive.contrastive_summary(spread, offset, text0, tau, margin)


@st.cache_data(max_entries=256, show_spinner=False)
def cached_kl(separation: float, weight: float) -> dict:
    return kl_fit.kl_fit_summary(separation, weight)


@st.cache_data(max_entries=256, show_spinner=False)
def cached_ppo(clip_eps: float, kl_beta: float) -> dict:
    return rlhf.ppo_curves(clip_eps, kl_beta)


@st.cache_data(max_entries=8, show_spinner=False)
def cached_dpo() -> dict:
    return {str(k): v for k, v in rlhf.dpo_curves().items()}


@st.cache_data(max_entries=256, show_spinner=False)
def cached_moe(collapse: float, scale: float) -> dict:
    return moe.moe_summary(collapse, scale)


@st.fragment
def contrastive_tab() -> None:
    st.markdown(tr("llm.nce.intro"))
    columns = st.columns(5)
    with columns[0]:
        tau = slider("nce_tau")
    with columns[1]:
        spread = slider("nce_spread")
    with columns[2]:
        offset = slider("nce_offset")
    with columns[3]:
        text0 = slider("nce_text0")
    with columns[4]:
        margin = slider("nce_margin")
    s = cached_contrastive(spread, offset, text0, tau, margin)
    left, right = st.columns(2)
    with left:
        chart(llm_plots.embedding_points(s["points"], tr("llm.nce.image"), tr("llm.nce.text"), height=340),
              "llm_nce_points")
    with right:
        names = [str(i + 1) for i in range(contrastive.PAIRS)]
        text = [[f"{v:.2f}" for v in row] for row in s["similarity"]]
        figure = llm_plots.heatmap(s["similarity"], [tr("llm.nce.text_n", i=n) for n in names],
                                   [tr("llm.nce.image_n", i=n) for n in names], tr("llm.nce.cos"), cell_text=text,
                                   zmin=-1.0, zmax=1.0, height=340, diverging=True)
        chart(figure, "llm_nce_heat")
    metric_row([(tr("llm.nce.info_nce"), float(s["info_nce"].mean())), (tr("llm.nce.clip"), float(s["clip"].mean())),
                (tr("llm.nce.chance"), s["chance"]), (tr("llm.nce.triplet"), s["triplet"]),
                (tr("llm.nce.pair_similar"), s["contrastive_similar"]),
                (tr("llm.nce.pair_dissimilar"), s["contrastive_dissimilar"])])
    st.latex(r"\ell_i = -\log \frac{e^{s_{ii}/\tau}}{\sum_j e^{s_{ij}/\tau}},\quad"
             r"\mathcal{L}_{\text{CLIP}} = \tfrac12\big(\mathcal{L}_{\text{image}\to\text{text}} + "
             r"\mathcal{L}_{\text{text}\to\text{image}}\big),\quad \ell_{\text{triplet}} = \max(0, d_{ap} - d_{an} + m)")
    st.caption(tr("llm.nce.cite"))


@st.fragment
def kl_tab() -> None:
    st.markdown(tr("llm.kl.intro"))
    left, right = st.columns([1, 2.2])
    with left:
        separation, weight = slider("kl_sep"), slider("kl_weight")
    s = cached_kl(separation, weight)
    with right:
        series = [llm_plots.Series(tr("llm.kl.p"), s["x"], s["p"]),
                  llm_plots.Series(tr("llm.kl.forward"), s["x"], s["q_forward"]),
                  llm_plots.Series(tr("llm.kl.reverse"), s["x"], s["q_reverse"])]
        figure = llm_plots.lines(series, "x", tr("llm.kl.density"), height=340)
        figure["layout"]["xaxis"]["range"] = [-9, 9]
        chart(figure, "llm_kl_lines")
    (mu_f, sigma_f), (mu_r, sigma_r) = s["forward"], s["reverse"]
    fits = [(tr(f"llm.kl.{name}_fit") + f" {symbol}", fmt_number(value, 2))
            for name, (mu, sigma) in (("forward", (mu_f, sigma_f)), ("reverse", (mu_r, sigma_r)))
            for symbol, value in (("μ", mu), ("σ", sigma))]
    metric_row([*fits,
                (tr("llm.kl.forward_value"), s["forward_kl_at_forward"]),
                (tr("llm.kl.reverse_value"), s["reverse_kl_at_reverse"])])
    st.latex(r"\mathrm{KL}(p\,\|\,q) = \int p \log\frac{p}{q}\ \text{(mode covering)},\qquad"
             r"\mathrm{KL}(q\,\|\,p) = \int q \log\frac{q}{p}\ \text{(mode seeking)}")
    st.caption(tr("llm.kl.cite"))


@st.fragment
def rlhf_tab() -> None:
    st.markdown(tr("llm.ppo.intro"))
    left, right = st.columns([1, 2.2])
    with left:
        clip_eps, kl_beta, ratio = slider("ppo_eps"), slider("ppo_beta"), slider("ppo_ratio")
    curves = cached_ppo(clip_eps, kl_beta)
    points = {a: rlhf.ppo_point(ratio, a, clip_eps, kl_beta) for a in (1.0, -1.0)}
    with right:
        series = [llm_plots.Series(tr("llm.ppo.positive"), curves["ratio"], curves["positive"]),
                  llm_plots.Series(tr("llm.ppo.negative"), curves["ratio"], curves["negative"])]
        chart(llm_plots.lines(series, tr("llm.ppo.ratio"), tr("llm.ppo.objective"), height=330, vline=ratio,
                              band=(1 - clip_eps, 1 + clip_eps),
                              points=[(ratio, points[1.0]["objective"]), (ratio, points[-1.0]["objective"])]),
              "llm_ppo_lines")
    clipped = {a: tr("llm.ppo.clipped") if p["clipped"] else tr("llm.ppo.active") for a, p in points.items()}
    metric_row([(tr("llm.ppo.value_pos"), points[1.0]["objective"]), (tr("llm.ppo.grad_pos"), points[1.0]["grad"]),
                (tr("llm.ppo.state_pos"), clipped[1.0]), (tr("llm.ppo.value_neg"), points[-1.0]["objective"]),
                (tr("llm.ppo.grad_neg"), points[-1.0]["grad"]), (tr("llm.ppo.state_neg"), clipped[-1.0])])
    st.latex(r"L^{\text{CLIP}}(r) = \min\big(rA,\ \operatorname{clip}(r, 1-\varepsilon, 1+\varepsilon)A\big)"
             r" - \beta\big((r - 1) - \log r\big),\quad r = \frac{\pi_\theta(a\mid s)}{\pi_{\text{old}}(a\mid s)}")
    st.caption(tr("llm.ppo.cite"))
    st.divider()
    st.markdown(tr("llm.dpo.intro"))
    left, right = st.columns([1, 2.2])
    with left:
        margin = slider("dpo_margin")
    dpo = cached_dpo()
    with right:
        series = [llm_plots.Series(f"β = {beta:g}", dpo["margin"], dpo[str(beta)]) for beta in rlhf.DPO_BETAS]
        chart(llm_plots.lines(series, tr("llm.dpo.margin"), tr("llm.dpo.loss"), height=300, vline=margin),
              "llm_dpo_lines")
    metric_row([(f"L (β = {beta:g})", rlhf.dpo_point(margin, beta)["loss"]) for beta in rlhf.DPO_BETAS])
    st.latex(r"\mathcal{L}_{\text{DPO}} = -\log\sigma(\beta h),\quad h = \log\frac{\pi_\theta(y_w)}{\pi_{\text{ref}}(y_w)}"
             r" - \log\frac{\pi_\theta(y_l)}{\pi_{\text{ref}}(y_l)},\quad \frac{\partial \mathcal{L}}{\partial h} = "
             r"-\beta\,\sigma(-\beta h)")
    st.caption(tr("llm.dpo.cite"))


@st.fragment
def moe_tab() -> None:
    st.markdown(tr("llm.moe.intro"))
    left, right = st.columns([1, 2.2])
    with left:
        collapse, scale = slider("moe_collapse"), slider("moe_scale")
    s = cached_moe(collapse, scale)
    with right:
        experts = [tr("llm.moe.expert", i=i + 1) for i in range(moe.EXPERTS)]
        groups = [llm_plots.Series(tr("llm.moe.f"), experts, s["f"]),
                  llm_plots.Series(tr("llm.moe.P"), experts, s["P"])]
        chart(llm_plots.bars(experts, groups, tr("llm.moe.share"), height=320, hline=1 / moe.EXPERTS), "llm_moe_bars")
    metric_row([(tr("llm.moe.balance"), s["balance"]), (tr("llm.moe.z"), s["z_loss"]),
                (tr("llm.moe.max_logit"), s["max_abs_logit"])])
    st.latex(r"\mathcal{L}_{\text{balance}} = N \sum_{i=1}^{N} f_i P_i \in [1, N],\qquad"
             r"\mathcal{L}_z = \frac1T \sum_{x} \Big(\log \sum_{i} e^{z_i(x)}\Big)^2")
    st.caption(tr("llm.moe.cite"))
