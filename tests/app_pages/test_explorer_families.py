"""What /explorer needs for the new loss families (issue 11). Strict xfails: they flip to
failures (XPASS) once app_pages/explorer.py offers only ``explorer_keys()`` and
lossviz/grads.py treats the counts family as 1-D; then drop the markers."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lossviz.losses import explorer_keys

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_explorer(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("app_pages/explorer.py")
    return at.run()


@pytest.mark.xfail(strict=True, reason="explorer.py: LOSS_KEYS = explorer_keys() (lead is rewriting explorer.py)")
def test_explorer_menu_offers_only_losses_with_a_one_dimensional_view():
    at = open_explorer()
    assert len(at.selectbox(key="url_loss").options) == len(explorer_keys())  # options are translated labels
    at = open_explorer(loss="dice")  # a loss without a 1-D view: ignored with a notice, not a traceback
    assert not at.exception and at.warning


@pytest.mark.xfail(strict=True, reason="grads.explorer_inputs: pass the counts family as (N,) inputs")
@pytest.mark.parametrize("key", ["poisson_nll", "msle", "mape"])
def test_counts_losses_render_in_the_explorer(key):
    at = open_explorer(loss=key)
    assert not at.exception
    assert len(at.metric) >= 2
