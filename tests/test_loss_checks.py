"""lossviz.loss_checks on library losses whose properties are known from their formulas."""

import numpy as np
import pytest
import torch

from lossviz.custom_loss import custom_loss, parse_param_declarations
from lossviz.loss_checks import CHECKS, nonfinite_intervals, run_checks
from lossviz.losses import get_loss

pytestmark = pytest.mark.timeout(60)

X = np.linspace(-5, 5, 161)


def results(loss, target=0.5, params=None):
    params = loss.defaults() if params is None else params
    return {r.name: r.passed for r in run_checks(loss, target, params, X)}


# Known from the formulas: MSE grows its gradient without bound; MAE, Huber, smooth L1 and
# log-cosh cap it; quantile with tau != 0.5 is asymmetric; all are zero at y, >= 0 and convex.
@pytest.mark.parametrize("key, params, expected", [
    ("mse", {}, dict(zero_at_target=True, non_negative=True, symmetric=True, convex=True, bounded_gradient=False)),
    ("mae", {}, dict(zero_at_target=True, non_negative=True, symmetric=True, convex=True, bounded_gradient=True)),
    ("huber", {"delta": 1.0}, dict(zero_at_target=True, non_negative=True, symmetric=True, convex=True,
                                   bounded_gradient=True)),
    ("smooth_l1", {"beta": 2.0}, dict(zero_at_target=True, non_negative=True, symmetric=True, convex=True,
                                      bounded_gradient=True)),
    ("log_cosh", {}, dict(zero_at_target=True, non_negative=True, symmetric=True, convex=True,
                          bounded_gradient=True)),
    ("quantile", {"tau": 0.2}, dict(zero_at_target=True, non_negative=True, symmetric=False, convex=True,
                                    bounded_gradient=True)),
])
def test_library_losses_have_their_known_properties(key, params, expected):
    assert results(get_loss(key), params=params) == expected


def test_cauchy_loss_is_not_convex_but_robust():
    loss = custom_loss("log(1 + (y - p)**2 / c)", parse_param_declarations("c:1:0.1:10"))
    got = results(loss)
    assert got["convex"] is False and got["bounded_gradient"] is True and got["symmetric"] is True


def test_negative_and_shifted_losses_fail_the_right_checks():
    assert results(custom_loss("-(y - p)**2"))["non_negative"] is False
    assert results(custom_loss("(y - p)**2 + 1"))["zero_at_target"] is False
    assert results(custom_loss("exp(p - y)"))["symmetric"] is False


def test_nan_at_the_target_is_undecided_not_passed():
    got = results(custom_loss("log(p - y)"))
    assert got["zero_at_target"] is None
    assert got["symmetric"] is False  # NaN on one side only
    symmetric = run_checks(custom_loss("log(p - y)"), 0.5, {}, X)[2]
    assert symmetric.reason == "one_sided"


def test_checks_come_in_a_fixed_order():
    assert [r.name for r in run_checks(get_loss("mse"), 0.0, {}, X)] == list(CHECKS)


def test_nonfinite_intervals_cover_the_bad_runs():
    x = np.linspace(0, 10, 11)
    curve = np.array([1, np.nan, np.nan, 1, 1, np.inf, 1, 1, 1, 1, -np.inf])
    assert nonfinite_intervals(x, curve) == [(0.5, 2.5), (4.5, 5.5), (9.5, 10.0)]
    assert nonfinite_intervals(x, np.ones(11)) == []
    assert nonfinite_intervals(x, np.ones(11), curve) == nonfinite_intervals(x, curve)


def test_log_loss_has_a_nan_region_left_of_the_target():
    loss = custom_loss("log(1 + p - y)")
    values = loss(torch.tensor(X), torch.full((X.size,), 0.5, dtype=torch.float64))
    intervals = nonfinite_intervals(X, values.numpy())
    assert len(intervals) == 1 and intervals[0][0] == -5.0 and -0.6 < intervals[0][1] < -0.4
