"""The inline chart of an interview answer, read from its /explorer deep link.

A link such as ``/explorer?loss=focal&compare=bce&gamma=2&logit=2.2`` says everything the
Explorer would draw; ``explorer_view`` turns its query into the loss, the losses to compare,
the axis, the label, the loss's parameters and the slider position, with the Explorer's own
defaults for anything the link leaves out (``lossviz.state`` holds those defaults).
No Streamlit here; the page caches the curves and builds the figure with ``lossviz.plots``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import state
from .losses import LOSSES, get_loss


@dataclass(frozen=True)
class ExplorerView:
    loss: str
    compare: tuple[str, ...]
    axis: str
    label: float
    params: tuple[tuple[str, float], ...]
    x: float  # prediction (regression) or logit (classification)


def explorer_view(query: tuple[tuple[str, str], ...]) -> ExplorerView:
    """What the Explorer shows for ``query``; ``ValueError`` for a value the Explorer would ignore."""
    values = dict(query)
    loss = get_loss(values.get("loss", state.DEFAULT_LOSS))
    compare = tuple(k for k in values.get("compare", "").split(",") if k)
    if any(LOSSES[k].family != loss.family for k in compare):
        raise ValueError("compare must stay within the loss's family")
    x_setting, label_setting = state.INPUT_SETTINGS[loss.family]
    settings = {s.name: s for s in (x_setting, label_setting)}
    settings_by_name = {s.name: s for s in state.explorer_settings(tuple(LOSSES), loss.params)}
    raw = {p.name: settings_by_name[p.name].parse(values[p.name]) if p.name in values
           else settings_by_name[p.name].default for p in loss.params}
    switches = {flag: settings_by_name[flag].parse(values[flag]) for flag in state.OFF_SWITCHES.values()
                if flag in values and flag in settings_by_name}
    params = tuple(state.loss_param_values(raw, switches).items())  # α switched off -> −1

    def number(name: str) -> float:
        setting = settings[name]
        return float(setting.parse(values[name])) if name in values else float(setting.default)

    label = number(label_setting.name)
    if loss.family == "multiclass" and not loss.accepts_soft_targets:
        label = 1.0  # class-index losses: the true class is class 0, as in the Explorer
    axis = values.get("axis", "logit")
    if axis not in state.AXES:
        raise ValueError(f"axis must be one of {state.AXES}")
    return ExplorerView(loss.key, compare, axis, label, params, number(x_setting.name))
