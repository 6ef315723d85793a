"""How numbers are shown to people (metrics, legends)."""

from __future__ import annotations

import math


def fmt_number(value: float, digits: int = 4) -> str:
    """Fixed-point for everyday magnitudes, scientific for tiny/huge ones, "—" if not finite.

    >>> fmt_number(0.5), fmt_number(-2.0), fmt_number(1.5e-07), fmt_number(float("nan"))
    ('0.5000', '-2.0000', '1.500e-07', '—')
    """
    if value is None or not math.isfinite(value):
        return "—"
    if value == 0 or 1e-3 <= abs(value) < 1e5:
        return f"{value:.{digits}f}"
    return f"{value:.{digits - 1}e}"


def fmt_params(values: dict[str, float], symbols: dict[str, str]) -> str:
    """ "δ=1, τ=0.5" for a legend entry; empty when the loss has no parameters."""
    return ", ".join(f"{symbols.get(name, name)}={value:g}" for name, value in values.items())
