"""Classification lab: K logits -> softmax(z/T) -> CE, smoothed CE, focal, weighted CE; and the whys.

Storyboard: settings from the URL -> controls (left) -> the chosen tab (right). Tabs are lazy
(``on_change="rerun"``): only the open tab is computed and sent. All maths is in
lossviz.classification / classification_curves; all drawing in lossviz.bar_plots / plots.
"""

import streamlit as st

from lossviz import bar_plots, classification, classification_curves, plots, state
from lossviz.bar_plots import BarPanel, BarSeries
from lossviz.display import fmt_number
from ui.charts import plotly_chart
from ui.common import PLOT_CONFIG, show_url_notices, tr
from ui.perf import freeze_import_time_objects
from ui.url_state import url_choice, url_slider

freeze_import_time_objects()  # torch is imported by now; see ui/perf.py

SETTINGS = {s.name: s for s in state.classification_settings()}
TABS = ("lab", "mse", "focal", "smoothing", "gradients", "margin")
COLORS = plots.OKABE_ITO


@st.cache_data(max_entries=1024, show_spinner=False)
def readout(logits: tuple, y: int, temperature: float, eps: float, gamma: float, alpha: float, weight: float) -> dict:
    return classification.classification_readout(logits, y, temperature, eps, gamma, alpha, weight)


@st.cache_data(max_entries=1024, show_spinner=False)
def margin(logits: tuple, y: int, temperature: float) -> dict:
    return classification.margin_readout(logits, y, temperature)


@st.cache_data(max_entries=64, show_spinner=False)
def curves(name: str, *args) -> dict:
    """The "why" curves by function name and arguments (arrays only, never figures)."""
    return getattr(classification_curves, name)(*args)


def class_index_notice(k: int) -> None:
    """Once per visit: a link's y that is a class index, but not one of its K classes."""
    flag = "_classification_y_checked"
    if st.session_state.get(flag):
        return
    st.session_state[flag] = True
    received = st.query_params.get("y")
    if received in state.CLASS_INDICES and int(received) >= k:
        st.warning(tr("classification.y_ignored", received=received, k=k, last=k - 1), icon="⚠️")


def controls() -> dict:
    """k, y, the K logit sliders and the loss knobs, in the left column."""
    left, right = st.columns(2)
    with left:
        k = int(url_choice(SETTINGS["k"], tr("classification.k"), format_func=str))
        class_index_notice(k)
    with right:
        y = int(url_choice(SETTINGS["y"], tr("classification.y"), format_func=str,
                           options=[str(i) for i in range(k)]))
    st.caption(tr("classification.logits"))
    columns = st.columns(2)
    logits = []
    for i in range(k):
        with columns[i % 2]:
            logits.append(url_slider(SETTINGS[f"z{i}"], f"z{i}" + (" ✓" if i == y else "")))
    knobs = {}
    columns = st.columns(2)
    for i, name in enumerate(("temperature", "label_smoothing", "gamma", "alpha", "weight")):
        with columns[i % 2]:
            knobs[name] = url_slider(SETTINGS[name], tr(f"classification.{name}"), tr(f"classification.{name}.help"))
    return {"k": k, "y": y, "logits": tuple(logits), **knobs}


def lab_tab(c: dict) -> None:
    r = readout(c["logits"], c["y"], c["temperature"], c["label_smoothing"], c["gamma"], c["alpha"], c["weight"])
    columns = st.columns(4)
    for column, name in zip(columns, classification.LOSS_KEYS):
        column.metric(tr(f"classification.metric.{name}", **c), fmt_number(r["losses"][name]),
                      help=tr(f"classification.metric.{name}.torch", **c))
    classes = [f"{i} ✓" if i == c["y"] else str(i) for i in range(c["k"])]
    grads = [BarSeries(tr(f"classification.short.{name}"), r["grads"][name], COLORS[i])
             for i, name in enumerate(classification.LOSS_KEYS)]
    figure = bar_plots.bar_panels_figure(classes, [
        BarPanel(tr("classification.panel.softmax", t=c["temperature"]),
                 [BarSeries("p", r["probs"], COLORS[5])], [0, 1.15]),
        BarPanel(tr("classification.panel.target"), [BarSeries(tr("classification.onehot"), r["onehot"], "#999999"),
                                                     BarSeries("ỹ", r["target"], COLORS[4])], [0, 1.15]),
        BarPanel(tr("classification.panel.grad"), grads, bar_plots.symmetric_range(*(g.values for g in grads))),
    ])
    st.plotly_chart(figure, config=PLOT_CONFIG, theme=None, key="classification_bars")
    st.latex(r"\mathrm{CE}(\tilde y, p) = H(\tilde y) + \mathrm{KL}(\tilde y \,\|\, p):\quad "
             f"{fmt_number(r['cross_entropy'])} = {fmt_number(r['entropy'])} + {fmt_number(r['kl'])}")
    st.caption(tr("classification.lab.caption"))


def two_panel(series: list[plots.CurveSeries], x: str, top: str, bottom: str, key: str,
              point: plots.CurrentPoint | None = None, height: int = 400) -> None:
    figure = plots.loss_and_gradient_figure(series, point, plots.AxisTitles(x=x, loss=top, grad=bottom), height)
    plotly_chart(figure, config=PLOT_CONFIG, theme=None, key=key)


def mse_tab(c: dict) -> None:
    left, right = st.columns(2)
    for column, (name, args) in zip((left, right), (("sigmoid_mse_vs_bce", ()), ("softmax_mse_vs_ce", (c["k"],)))):
        data = curves(name, *args)
        with column:
            st.markdown(f"**{tr('classification.mse.' + name, k=c['k'])}**")
            two_panel([plots.CurveSeries(tr("classification.mse.ce." + name), data["x"], data["ce"], data["ce_grad"]),
                       plots.CurveSeries(tr("classification.mse.mse"), data["x"], data["mse"], data["mse_grad"])],
                      tr("classification.axis.true_logit"), tr("chart.loss"), "∂L/∂z", key="mse_" + name)
    st.caption(tr("classification.mse.caption"))


def focal_tab(c: dict) -> None:
    gamma = c["gamma"]
    family = curves("focal_curves", (gamma,) + classification_curves.FOCAL_GAMMAS)
    series = [plots.CurveSeries(f"γ = {g:g}" + (" ◀" if i == 0 else ""), family["p_t"], family["factor"][g],
                                family["loss"][g]) for i, g in enumerate(family["factor"]) if i == 0 or g != gamma]
    ratio = classification.focal_weight_ratio(gamma)
    left, right = st.columns([2.2, 1])
    with left:
        two_panel(series, tr("classification.focal.p_t"), tr("classification.focal.factor"),
                  tr("classification.focal.loss"), key="focal_curves", height=420)
    with right:
        st.metric(tr("classification.focal.ratio", gamma=gamma), f"{ratio['factor']:.4g}×")
        st.metric(tr("classification.focal.loss_ratio", gamma=gamma), f"{ratio['loss']:.4g}×")
        st.caption(tr("classification.focal.caption"))


def smoothing_tab(c: dict) -> None:
    k, eps = c["k"], c["label_smoothing"]
    data = curves("label_smoothing_curves", k)
    gap, confidence = classification.optimal_logit_gap(k, eps), classification.optimal_confidence(k, eps)
    point = plots.CurrentPoint(eps, gap, confidence)
    left, right = st.columns([2.2, 1])
    with left:
        two_panel([plots.CurveSeries(f"K = {k}", data["eps"], data["gap"], data["confidence"])], "ε",
                  tr("classification.smoothing.gap"), tr("classification.smoothing.confidence"),
                  key="smoothing_curves", point=point, height=400)
        st.latex(r"z_y - z_k = \log\frac{1 - \varepsilon + \varepsilon/K}{\varepsilon/K}"
                 r" = \log\Big(\frac{K(1-\varepsilon)}{\varepsilon} + 1\Big),\quad p_{\max} = 1 - \varepsilon + \frac{\varepsilon}{K}")
    with right:
        st.metric(tr("classification.smoothing.gap.metric", eps=eps), fmt_number(gap) if eps > 0 else "∞")
        st.metric(tr("classification.smoothing.confidence.metric", eps=eps), fmt_number(confidence))
        st.caption(tr("classification.smoothing.caption"))


def gradients_tab(c: dict) -> None:
    data = curves("logit_vs_prob_gradients", c["k"])
    series = [plots.CurveSeries(tr("classification.grad.bce"), data["p"], data["bce_grad_z"], data["bce_grad_p"]),
              plots.CurveSeries(tr("classification.grad.ce", k=c["k"]), data["p"], data["ce_grad_z"],
                                data["ce_grad_p"])]
    two_panel(series, tr("classification.grad.p"), "∂L/∂z = p − 1", "∂L/∂p = −1/p", key="grad_curves")
    st.caption(tr("classification.grad.caption"))


def margin_tab(c: dict) -> None:
    r = readout(c["logits"], c["y"], c["temperature"], c["label_smoothing"], c["gamma"], c["alpha"], c["weight"])
    m = margin(c["logits"], c["y"], c["temperature"])
    columns = st.columns(2)
    columns[0].metric(tr("classification.margin.loss"), fmt_number(m["loss"]),
                      help="F.multi_margin_loss(z / T, y, p=1, margin=1, reduction='none')")
    columns[1].metric(tr("classification.metric.ce", **c), fmt_number(r["losses"]["ce"]))
    classes = [f"{i} ✓" if i == c["y"] else str(i) for i in range(c["k"])]
    grads = [BarSeries(tr("classification.margin.short"), m["grad"], COLORS[4]),
             BarSeries(tr("classification.short.ce"), r["grads"]["ce"], COLORS[0])]
    figure = bar_plots.bar_panels_figure(classes, [
        BarPanel(tr("classification.margin.violations"), [BarSeries("max(0, 1 − s_y + s_k)", m["violations"],
                                                                    COLORS[4])]),
        BarPanel(tr("classification.panel.grad"), grads, bar_plots.symmetric_range(*(g.values for g in grads))),
    ])
    st.plotly_chart(figure, config=PLOT_CONFIG, theme=None, key="margin_bars")
    st.caption(tr("classification.margin.caption"))


st.title(tr("classification.title"))
show_url_notices("classification", SETTINGS.values())


@st.fragment
def lab() -> None:
    left, right = st.columns([1, 2.3], gap="medium")
    with left:
        c = controls()
    with right:
        tabs = st.tabs([tr(f"classification.tab.{name}") for name in TABS], key="classification_tab",
                       on_change="rerun")
        for tab, draw in zip(tabs, (lab_tab, mse_tab, focal_tab, smoothing_tab, gradients_tab, margin_tab)):
            if tab.open:
                with tab:
                    draw(c)


lab()
