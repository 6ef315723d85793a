"""How numbers are shown to people (metrics, legends)."""

from __future__ import annotations

import math


def fmt_number(value: float, digits: int = 4) -> str:
    """Fixed-point for everyday magnitudes, scientific for tiny/huge ones, "—" if not finite.

    Whole numbers: at most 11 characters ("-2981.0000" and "-1.677e-04" fit a readout card),
    and never "-0.0000": a value that rounds to zero is shown as 0.

    >>> fmt_number(0.5), fmt_number(-2.0), fmt_number(1.5e-07), fmt_number(float("nan"))
    ('0.5000', '-2.0000', '1.500e-07', '—')
    >>> fmt_number(-0.0), fmt_number(-1e-12), fmt_number(2980.96)
    ('0', '-1.000e-12', '2980.9600')
    """
    if value is None or not math.isfinite(value):
        return "—"
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.{digits}f}"
    return f"{value:.{digits - 1}e}"


def fmt_params(values: dict[str, float], symbols: dict[str, str]) -> str:
    """ "δ=1, τ=0.5" for a legend entry; empty when the loss has no parameters."""
    return ", ".join(f"{symbols.get(name, name)}={value:g}" for name, value in values.items())
