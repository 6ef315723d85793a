"""The stability tables' text and status cells, from a real numerics table."""

from lossviz import numerics, stability_display as display


def test_fmt_value_spells_out_non_finite_values():
    assert [display.fmt_value(v) for v in (float("nan"), float("inf"), -float("inf"), 0.73105858, -900.3132617)] == [
        "NaN", "inf", "−inf", "0.731059", "-900.313"]


def test_summary_counts_problems_worst_first():
    assert display.summary(["ok", "ok"]) == "✓"
    assert display.summary(["nan", "nan", "inf"]) == "NaN ×2 · ±inf ×1"
    assert display.worst(["zero", "inf", "ok"]) == "inf"


def test_overview_and_detail_of_the_default_logits():
    table = numerics.stability_table([100.0, 99.0, -800.0])
    rows = display.overview(table, numerics.METHODS, numerics.OUTPUTS, list(numerics.DTYPES))
    by_key = {(r["method"], r["output"]): r for r in rows}
    assert by_key[("naive", "softmax")]["float32"] == ("NaN ×2", "nan")  # e^100 = inf in float32
    assert by_key[("naive", "softmax")]["float64"] == ("✓", "ok")
    assert by_key[("max_subtraction", "log_softmax")]["float64"] == ("±inf ×1", "inf")  # log(e^-900) = log 0
    assert by_key[("log_sum_exp", "log_softmax")]["float16"] == ("✓", "ok")
    detail = display.detail(table, "float64", numerics.METHODS, numerics.OUTPUTS)
    truth = [r for r in detail if r["method"] == "truth" and r["output"] == "log_softmax"][0]
    assert truth["cells"][2] == ("-900.313", "truth")
