"""The /training inspector: per-sample loss and gradient, confidence and ECE, CSV and link.

Drawn on full reruns (pause, step, end of a run), not on every tick: it is the "look closer"
part of the page, and keeping it out of the ticking fragment keeps the live charts fast.
"""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
import streamlit as st

from lossviz import training_plots as tp
from lossviz.display import fmt_number
from lossviz.train import Trainer, views
from lossviz.train.history import metrics_csv
from lossviz.train.session import LiveRun
from ui.charts import plotly_chart
from ui.common import PLOT_CONFIG, tr
from ui.training_replay import landscape_tab, replay_tab

TOP_SHARE = 0.1  # "the top 10 % of points carry X % of the gradient"


def points_of(trainer: Trainer) -> tp.Points:
    data = trainer.data
    if data.task == "regress":
        return tp.Points(x=data.x_train[:, 0].numpy(), y=data.y_train.numpy())
    return tp.Points(x=data.x_train.numpy(), label=data.y_train.numpy())


def gradient_share(grad: np.ndarray, top: float = TOP_SHARE) -> float:
    """Fraction of the total output-gradient magnitude carried by the top ``top`` of points."""
    grad = np.where(np.isfinite(grad), grad, 0.0)
    total = float(np.sum(grad))
    if total <= 0:
        return 0.0
    k = max(1, int(round(top * grad.size)))
    return float(np.sort(grad)[::-1][:k].sum() / total)


@st.fragment
def inspector(run: LiveRun) -> None:
    st.subheader(tr("training.inspect"))
    names = list(run.runs)
    which = names[0]
    if len(names) > 1:
        which = st.radio(tr("training.inspect.run"), names, horizontal=True, key="training_inspect_run")
    trainer = run.runs[which]
    if run.playing:
        st.caption(tr("training.inspect.paused_only"))
    views_ = ("samples", "confidence", "replay", "landscape", "export")
    if trainer.divergence is not None:  # per-sample and confidence would be NaN; the replay shows the blow-up
        st.info(tr("training.inspect.diverged"))
        views_ = ("replay", "landscape", "export")
    # One view at a time (not st.tabs): a hidden tab would still build and send its chart.
    view = st.radio(tr("training.inspect.view"), views_, horizontal=True,
                    format_func=lambda v: tr("training.tab." + v), key="training_inspect_view",
                    label_visibility="collapsed")
    if view == "replay":
        replay_tab(run)
    elif view == "landscape":
        landscape_tab(run, which)
    else:
        {"samples": per_sample_tab, "confidence": confidence_tab}.get(view, lambda _: export_tab(run))(trainer)


def per_sample_tab(trainer: Trainer) -> None:
    view = views.per_sample(trainer)
    share = gradient_share(view["grad"])
    st.markdown(tr("training.samples.summary", share=f"{100 * share:.0f}", top=f"{100 * TOP_SHARE:.0f}",
                   step=trainer.steps_done))
    titles = {"loss": tr("training.samples.loss"), "hover": tr("training.samples.hover")}
    plotly_chart(tp.per_sample_figure(points_of(trainer), view["grad"], view["loss"], titles),
                    config=PLOT_CONFIG, theme=None, key="training_samples")
    st.caption(tr("training.samples.caption"))


def confidence_tab(trainer: Trainer) -> None:
    if trainer.data.task == "regress":
        st.info(tr("training.confidence.regression"))
        return
    calib = views.calibration(trainer)
    st.metric(tr("training.ece"), fmt_number(calib["ece"]), help=tr("training.ece.help"))
    if trainer.loss.key in ("hinge", "squared_hinge", "multi_margin"):
        st.caption(tr("training.confidence.margin"))
    titles = {"count": tr("training.confidence.count"), "ideal": tr("training.confidence.ideal"),
              "accuracy": tr("training.confidence.accuracy"), "confidence": tr("training.confidence.axis")}
    plotly_chart(tp.calibration_figure(calib, titles), config=PLOT_CONFIG, theme=None,
                    key="training_calibration")


def export_tab(run: LiveRun) -> None:
    st.download_button(tr("training.export.csv"), metrics_csv(run.histories), file_name="lossviz_training.csv",
                       mime="text/csv", on_click="ignore", key="training_csv")
    query = urlencode({k: st.query_params.get(k) for k in st.query_params.keys()})
    st.markdown(tr("training.export.link"))
    st.code("/training" + (f"?{query}" if query else ""), language=None)
