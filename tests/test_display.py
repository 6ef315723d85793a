import math

from lossviz.display import fmt_number, fmt_params


def test_fmt_number_fixed_scientific_and_missing():
    assert fmt_number(0.5) == "0.5000"
    assert fmt_number(-2.0) == "-2.0000"
    assert fmt_number(0.0) == "0"
    assert fmt_number(-0.0) == "0"  # never "-0.0000" (hinge's gradient at the hinge)
    assert fmt_number(1.5e-7) == "1.500e-07"
    assert fmt_number(2.5e6) == "2.500e+06"
    assert fmt_number(math.nan) == "—"
    assert fmt_number(math.inf) == "—"


def test_fmt_params_uses_symbols():
    assert fmt_params({"delta": 1.0, "tau": 0.25}, {"delta": "δ", "tau": "τ"}) == "δ=1, τ=0.25"
    assert fmt_params({}, {}) == ""


def test_fmt_number_never_exceeds_eleven_characters():
    """Readout cards are sized for eleven characters (-1.000e+300); a longer number would be cut."""
    for value in (-2980.957987, 9999.99, -1.677e-4, 1e-300, -1e300, 12345.678, -0.00099999, 0.001):
        assert len(fmt_number(value)) <= 11, (value, fmt_number(value))
