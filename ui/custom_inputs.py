"""The loss typed on /custom, used on other pages: /explorer's compare list and /training's menu.

The expression and its parameter declarations have the URL names /custom uses (``?expr=``,
``?params=``) and the same session values (``ui.url_text`` keeps one value per name), so a link
from /custom opens the same loss here, typing it here changes it on /custom, and vice versa.
Parameters take their declared defaults on these pages (as every compared loss in the explorer
does); /custom's "Compare in the explorer" link writes the current slider values as the defaults.

A link's hostile or invalid expression gets a notice in the page's language and the session's
last valid text stays; a typed one that does not parse gets a warning and no custom curve or run,
and the rest of the page (other compared losses) is unaffected. Never a traceback.
"""

from __future__ import annotations

import time

import streamlit as st

from lossviz import state
from lossviz.custom_loss import custom_loss, format_param_declarations, parse_param_declarations, with_defaults
from lossviz.expr import MAX_LENGTH, ExprError, parse_expression
from lossviz.losses import Loss
from lossviz.session_budget import SessionBudget
from ui import url_state
from ui.common import lang, tr
from ui.url_text import url_text_input

TEXT_NAMES = ("expr", "params")
BUDGET_KEY = "custom_budget"  # the same per-session cap on new expressions as /custom's


def error_text(err: ValueError) -> str:
    return tr(err.key, **err.values) if isinstance(err, ExprError) else str(err)


def _link_notice(name: str, received: str, err: ValueError) -> None:
    st.warning(tr("custom.url.ignored", name=name, received=received, reason=error_text(err)), icon="⚠️")


def typed_loss(prefix: str) -> tuple[Loss, str, str] | None:
    """Draw the expression and parameter inputs (widget keys ``<prefix>_expr``, ``<prefix>_params``)
    and return (loss, expression, declarations), or None after saying why not."""
    text = url_text_input("expr", state.CUSTOM_DEFAULT_EXPR, tr("custom.expr"),
                          validate=lambda raw: parse_expression(raw, None), notice=_link_notice,
                          max_chars=MAX_LENGTH, key=f"{prefix}_expr", help=tr("custom.expr.help"))
    declared = url_text_input("params", state.CUSTOM_DEFAULT_PARAMS, tr("custom.params"),
                              validate=lambda raw: parse_param_declarations(raw, state.CUSTOM_RESERVED),
                              notice=_link_notice, max_chars=200, key=f"{prefix}_params",
                              help=tr("custom.params.help"), placeholder="c:1:0.1:10, q:2:0.5:4")
    try:
        loss = custom_loss(text, parse_param_declarations(declared, state.CUSTOM_RESERVED))
    except ExprError as err:
        st.warning(tr("custom.elsewhere.invalid", reason=error_text(err)), icon="✋")
        return None
    budget = st.session_state.setdefault(BUDGET_KEY, SessionBudget())
    if not budget.allow((loss.formula, loss.params), time.monotonic()):
        st.warning(tr("custom.budget"), icon="⏳")
        return None
    st.caption(tr("custom.elsewhere.defaults"))
    st.page_link("app_pages/custom.py", label=tr("custom.elsewhere.open"), icon="✏️",
                 query_params=link_query({"expr": text, "params": declared}))
    return loss, text, declared


def links_from_custom(loss: Loss, expr: str, values: dict[str, float], overlay: str) -> None:
    """/custom's "Compare in the explorer" and "Train with it": the expression, its declarations
    with the current slider values as defaults, and (explorer) the prediction and target."""
    declared = format_param_declarations(with_defaults(loss.params, values))
    view = url_state.view("custom")
    explorer = {"loss": overlay if overlay != state.CUSTOM_NO_OVERLAY else "mse", "compare": state.CUSTOM_KEY,
                "pred": f"{view['pred']:g}", "target": f"{view['target']:g}", "expr": expr, "params": declared}
    training = {"dataset": "regression", "loss": state.CUSTOM_KEY, "expr": expr, "params": declared}
    left, right = st.columns(2)
    left.page_link("app_pages/explorer.py", label=tr("custom.compare_in_explorer"), icon="📈",
                   help=tr("custom.compare_in_explorer.help"), query_params=link_query(explorer))
    right.page_link("app_pages/training.py", label=tr("custom.train_with_it"), icon="🏋️",
                    help=tr("custom.train_with_it.help"), query_params=link_query(training))


def link_query(query: dict[str, str]) -> dict[str, str]:
    """A link's query with the current language (links between pages keep it)."""
    return {**query, "lang": lang()} if lang() != "en" else dict(query)


def leave() -> None:
    """The custom loss is not on screen: keep the page's link free of its text."""
    if any(name in st.query_params for name in TEXT_NAMES):
        url_state.drop_from_url(TEXT_NAMES)


def failed(err: ExprError) -> None:
    """A typed loss that could not be evaluated here (ran out of time): say so, draw the rest."""
    st.warning(tr("custom.elsewhere.failed", reason=error_text(err)), icon="⏳")


def loss_label(key: str) -> str:
    """A loss menu's label for ``key``, the typed loss included."""
    from lossviz.losses import LOSSES

    return tr("loss.custom.name") if key == state.CUSTOM_KEY else tr(LOSSES[key].name_key)


def training_fields(prefix: str) -> dict | None:
    """/training's typed loss as TrainConfig fields {"custom_expr", "custom_params"}, or None."""
    typed = typed_loss(prefix)
    if typed is None:
        return None
    _, text, declared = typed
    return {"custom_expr": text, "custom_params": declared}


def stopped_text(run: str, divergence) -> str:
    """Why a run with a typed loss stopped: its evaluation ran out of time (``Divergence.what == "time"``)."""
    from lossviz.expr import EVAL_BUDGET_S

    return tr("training.stopped.time", run=run, step=divergence.step, budget=f"{EVAL_BUDGET_S:g}")
