"""explorer_view reads an /explorer deep link the way the Explorer does; registered_pages reads app.py."""

import pytest

from lossviz.link_chart import explorer_view
from lossviz.question_bank import load_questions
from ui.registered_pages import registered_url_paths


def test_defaults_fill_what_the_link_leaves_out():
    view = explorer_view((("loss", "huber"),))
    assert view.loss == "huber" and view.compare == () and view.axis == "logit"
    assert dict(view.params) == {"delta": 1.0} and view.x == 1.5 and view.label == 0.0  # state defaults


def test_link_values_are_used():
    view = explorer_view((("loss", "focal"), ("compare", "bce"), ("gamma", "4"), ("use_alpha", "0"),
                          ("axis", "prob"), ("logit", "2.2"), ("label", "0")))
    assert view.compare == ("bce",) and view.axis == "prob"
    assert dict(view.params) == {"gamma": 4.0, "alpha": -1.0} and view.x == 2.2 and view.label == 0.0


def test_class_index_losses_use_class_zero():
    assert explorer_view((("loss", "focal_multiclass"), ("label", "0.2"))).label == 1.0


@pytest.mark.parametrize("query", [
    (("loss", "nope"),),
    (("loss", "huber"), ("compare", "bce")),
    (("loss", "huber"), ("delta", "99")),
    (("loss", "bce"), ("logit", "abc")),
    (("loss", "bce"), ("axis", "sideways")),
    (("loss", "focal"), ("alpha", "-1")),  # "off" is use_alpha=0 since the α switch
])
def test_links_the_explorer_would_ignore_are_rejected(query):
    with pytest.raises((ValueError, KeyError)):
        explorer_view(query)


def test_every_bank_picture_is_readable():
    for question in load_questions():
        if question.link:
            assert explorer_view(question.link.query).loss


def test_registered_pages_reads_app_py():
    pages = registered_url_paths()
    assert {"explorer", "interview"} <= pages
    assert "app_pages" not in pages
