"""How /stability's tables read: value text and a status per cell (no Streamlit, no torch).

A cell's status is what ``lossviz.numerics.classify`` found ("nan", "inf", "zero", "ok");
the page colours cells by it. Row and column labels are keys; the page translates them.
"""

from __future__ import annotations

import math
from collections import Counter

STATUS_ORDER = ("nan", "inf", "zero")  # the worst first: a cell's colour is its worst status


def fmt_value(value: float) -> str:
    """Up to 6 significant digits; NaN, inf and −inf spelled out so they cannot be missed."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "−inf"
    return f"{value:.6g}"


def worst(statuses: list[str]) -> str:
    for status in STATUS_ORDER:
        if status in statuses:
            return status
    return "ok"


def summary(statuses: list[str]) -> str:
    """ "✓" if every value is fine, else the counts: "NaN ×2 · inf ×1"."""
    counts = Counter(statuses)
    parts = [f"{name} ×{counts[status]}" for status, name in zip(STATUS_ORDER, ("NaN", "±inf", "0"))
             if counts[status]]
    return " · ".join(parts) if parts else "✓"


def overview(table: dict, methods, outputs, dtypes) -> list[dict]:
    """One row per (method, output): {"method", "output", dtype: (text, status) for each dtype}."""
    rows = []
    for method in methods:
        for output in outputs:
            row = {"method": method, "output": output}
            for dtype in dtypes:
                statuses = table["status"][(method, output, dtype)]
                row[dtype] = (summary(statuses), worst(statuses))
            rows.append(row)
    return rows


def detail(table: dict, dtype: str, methods, outputs) -> list[dict]:
    """The values in one dtype, one row per (method, output), then the float64 truth rows.

    Each row: {"method", "output", "cells": [(text, status) per logit]}; truth rows have
    method "truth" and status "truth" (the page shows them in bold).
    """
    rows = []
    for output in outputs:
        for method in methods:
            values = table["results"][(method, output, dtype)]
            statuses = table["status"][(method, output, dtype)]
            rows.append({"method": method, "output": output,
                         "cells": [(fmt_value(float(v)), s) for v, s in zip(values, statuses)]})
        rows.append({"method": "truth", "output": output,
                     "cells": [(fmt_value(float(v)), "truth") for v in table["truth"][output]]})
    return rows
