"""/explorer and the new loss families (issue 11): it offers exactly the losses with a
one-dimensional view (``explorer_keys()``), and draws the counts family like regression."""

from pathlib import Path

import json

import pytest
from streamlit.testing.v1 import AppTest

from ui.scrub_readouts import component_data

from lossviz.losses import explorer_keys

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_explorer(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/explorer.py")
    return at.run()


def test_explorer_menu_offers_only_losses_with_a_one_dimensional_view():
    at = open_explorer()
    assert len(at.selectbox(key="w.explorer.loss.en").options) == len(explorer_keys())  # options are translated labels
    at = open_explorer(loss="dice")  # a loss without a 1-D view: ignored with a notice, not a traceback
    assert not at.exception and at.warning


@pytest.mark.parametrize("key", ["poisson_nll", "msle", "mape"])
def test_counts_losses_render_in_the_explorer(key):
    at = open_explorer(loss=key)
    assert not at.exception
    (readouts,) = at.get("bidi_component")
    data = component_data(readouts.proto.json)
    assert len(data["labels"]) == 2 and all(v != "—" for v in data["values"][data["active"]])
