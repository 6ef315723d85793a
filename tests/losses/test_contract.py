"""The loss contract (DESIGN.md): registry, metadata, validation errors, gradients, strings."""

import math
import types

import pytest
import torch
import torch.nn.functional as F

from lossviz import i18n
from lossviz.losses import LOSSES, get_loss
from lossviz.losses.base import FAMILIES
from tests.reference.torchvision_focal_loss import sigmoid_focal_loss

F64 = torch.float64
REQUIRED = {
    "regression": ["mse", "mae", "huber", "smooth_l1", "log_cosh", "quantile"],
    "binary": ["bce", "focal", "hinge", "squared_hinge"],
    "multiclass": ["cross_entropy", "focal_multiclass", "multi_margin", "kl_div"],
    "counts": ["poisson_nll", "msle", "mape"],
    "segmentation": ["dice", "tversky", "focal_tversky"],
    "embedding": ["cosine_embedding", "triplet", "contrastive", "info_nce"],
    "sequence": ["token_cross_entropy", "ctc"],
}


def inputs_away_from_kinks(loss, soft=False):
    """Small float64 inputs where every loss is smooth (no |r| = 0, no hinge or margin corner),
    in the input layout of the loss's family (see each family module's docstring)."""
    gen = torch.Generator().manual_seed(3)
    if loss.family == "counts":  # predictions > 0 (MSLE floors at 0), targets > 0 and ≠ predictions
        return torch.tensor([0.3, 1.2, 2.0, 0.7, 4.0], dtype=F64), torch.tensor([1.0, 0.5, 3.0, 2.0, 1.5], dtype=F64)
    if loss.family == "segmentation":  # 3 images of 6 pixels, hard and soft masks
        mask = torch.tensor([[1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [1, 0.5, 0.2, 1, 0, 1]], dtype=F64)
        return torch.randn(3, 6, generator=gen, dtype=F64), mask
    if loss.family == "embedding":
        stacked = 3 if loss.key == "triplet" else 2
        pred = torch.randn(4, stacked, 3, generator=gen, dtype=F64)
        takes_target = loss.key in ("cosine_embedding", "contrastive")
        return pred, torch.tensor([1.0, 0.0, 1.0, 0.0], dtype=F64) if takes_target else None
    if loss.family == "sequence":  # 2 sequences of 4 steps over 5 symbols; padded targets
        logits = torch.randn(2, 4, 5, generator=gen, dtype=F64)
        if loss.key == "ctc":
            return logits, torch.tensor([[1, 2], [3, 0]])
        return logits, torch.tensor([[1, 4, -100, -100], [3, 0, 2, 1]])
    if loss.family == "regression":
        target = torch.tensor([0.3, -1.2, 2.0, 0.0, -0.4, 1.1], dtype=F64)
        residual = torch.tensor([-2.3, -0.7, -0.25, 0.4, 1.3, 2.9], dtype=F64)
        return target + residual, target
    if loss.family == "binary":
        # hinge margin terms m − t·z at m = 1: 3.3, 0.3, 1.16, −0.6, 2.2: none at 0
        return torch.tensor([-2.3, -0.7, 0.4, 1.6, 1.2], dtype=F64), torch.tensor([1.0, 0.0, 0.3, 1.0, 1.0], dtype=F64)
    logits = torch.randn(4, 3, generator=gen, dtype=F64)
    if soft:
        return logits, torch.softmax(torch.randn(4, 3, generator=gen, dtype=F64), -1)
    return logits, torch.tensor([0, 2, 1, 2])


def non_default_params(loss):
    """Every parameter moved off its default, to a value inside its range."""
    return {p.name: p.low + 0.37 * (p.high - p.low) for p in loss.params}


# --- registry and metadata ---------------------------------------------------------------


def test_unknown_loss_key_raises_key_error_listing_valid_keys():
    with pytest.raises(KeyError) as info:
        get_loss("nope")
    assert "nope" in str(info.value) and all(key in str(info.value) for key in LOSSES)


@pytest.mark.parametrize("family, keys", REQUIRED.items())
def test_required_keys_exist_in_their_family(family, keys):
    for key in keys:
        assert get_loss(key).family == family


def test_losses_are_grouped_by_family_in_family_order():
    families = [loss.family for loss in LOSSES.values()]
    assert families == sorted(families, key=FAMILIES.index)
    assert list(dict.fromkeys(families)) == list(FAMILIES)


def test_explorer_keys_are_the_one_number_per_sample_families_in_menu_order():
    from lossviz.losses import explorer_keys

    keys = explorer_keys()
    assert list(keys) == [k for k in LOSSES if k in keys]
    assert {LOSSES[k].family for k in keys} == {"regression", "binary", "multiclass", "counts"}
    assert not {"dice", "triplet", "info_nce", "token_cross_entropy", "ctc"} & set(keys)


@pytest.mark.parametrize("key", list(LOSSES))
def test_every_loss_has_family_formula_torch_equivalent_and_reference(key):
    loss = LOSSES[key]
    assert loss.key == key and loss.family in FAMILIES
    assert loss.formula.strip() and loss.torch_equivalent.strip() and loss.reference.strip()
    assert loss.torch_code() and loss.torch_code(**non_default_params(loss))
    for p in loss.params:
        assert p.low <= p.default <= p.high and p.step > 0 and p.symbol
        assert p.help_key == f"param.{p.name}"


@pytest.mark.parametrize("key", list(LOSSES))
def test_every_loss_and_param_has_strings_in_both_languages(key):
    loss = LOSSES[key]
    keys = [loss.name_key, f"loss.{key}.when", *(p.help_key for p in loss.params)]
    for lang in i18n.LANGS:
        missing = [k for k in keys if not i18n.catalog(lang).get(k, "").strip()]
        assert missing == [], lang


def _run_torch_code(loss, pred, target, params):
    """Evaluate the one-liner the UI shows, with the names a user would have in scope."""
    torchvision = types.SimpleNamespace(ops=types.SimpleNamespace(sigmoid_focal_loss=sigmoid_focal_loss))
    names = {"torch": torch, "F": F, "torchvision": torchvision, "pred": pred, "logits": pred, "target": target}
    return eval(loss.torch_code(**params), names)  # noqa: S307 - our own fixed templates


@pytest.mark.parametrize("key", list(LOSSES))
@pytest.mark.parametrize("which", ["defaults", "moved"])
def test_shown_torch_code_computes_the_same_values(key, which):
    loss = LOSSES[key]
    params = loss.defaults() if which == "defaults" else non_default_params(loss)
    pred, target = inputs_away_from_kinks(loss, soft=key == "kl_div")
    torch.testing.assert_close(_run_torch_code(loss, pred, target, params), loss(pred, target, **params))


def test_focal_code_for_negative_alpha_runs_in_torchvision():
    """Any α < 0 means 'off'; torchvision accepts only α = -1 for that, so the code shows -1."""
    assert "alpha=-1," in get_loss("focal").torch_code(alpha=-0.5)
    loss = get_loss("focal")
    pred, target = inputs_away_from_kinks(loss)
    torch.testing.assert_close(_run_torch_code(loss, pred, target, {"alpha": -0.5}), loss(pred, target, alpha=-0.5))


# --- validation: everything a learner can get wrong is a ValueError ------------------------

REG = (torch.tensor([0.5, 1.0], dtype=F64), torch.tensor([0.0, 1.0], dtype=F64))
LOGITS = torch.zeros(2, 3, dtype=F64)


@pytest.mark.parametrize(
    "key, pred, target, params, message",
    [
        ("huber", *REG, {"deltaa": 1.0}, "does not take"),
        ("mse", *REG, {"delta": 1.0}, "does not take"),
        ("huber", *REG, {"delta": 50.0}, r"\[0.1, 5.0\]"),
        ("huber", *REG, {"delta": 0.0}, r"\[0.1, 5.0\]"),
        ("huber", *REG, {"delta": math.nan}, "delta"),
        ("quantile", *REG, {"tau": math.inf}, "tau"),
        ("bce", *REG, {"label_smoothing": "0.1"}, "label_smoothing"),
        ("mse", REG[0], torch.zeros(3, dtype=F64), {}, "shape"),
        ("mse", REG[0][:, None], REG[1][:, None], {}, "shape"),
        ("mse", torch.tensor([1, 2]), REG[1], {}, "float"),
        ("mse", REG[0], torch.tensor([1, 2]), {}, "float"),
        ("bce", *REG, {}, None),  # valid: control row
        ("bce", REG[0], torch.tensor([0.0, 1.5], dtype=F64), {}, r"\[0, 1\]"),
        ("cross_entropy", LOGITS, torch.tensor([0, 3]), {}, r"\[0, 2\]"),
        ("cross_entropy", LOGITS, torch.tensor([-1, 0]), {}, r"\[0, 2\]"),
        ("cross_entropy", LOGITS, torch.tensor([0.0, 1.0]), {}, "integer"),
        ("cross_entropy", LOGITS, torch.tensor([0, 1, 2]), {}, r"\(2,\)"),
        ("cross_entropy", LOGITS[:, :1], torch.tensor([0, 0]), {}, "K >= 2"),
        ("cross_entropy", LOGITS.long(), torch.tensor([0, 1]), {}, "float"),
        ("cross_entropy", LOGITS, torch.full((2, 4), 0.25, dtype=F64), {}, "shape"),
        ("focal_multiclass", LOGITS, torch.full((2, 3), 1 / 3, dtype=F64), {}, "class-index"),
        ("multi_margin", LOGITS, torch.full((2, 3), 1 / 3, dtype=F64), {}, "class-index"),
        ("poisson_nll", *REG, {}, None),
        ("poisson_nll", REG[0], torch.tensor([1.0, -1.0], dtype=F64), {}, "non-negative"),
        ("mape", REG[0], torch.tensor([1.0, math.inf], dtype=F64), {}, "finite"),
        ("dice", LOGITS, torch.ones(2, 3, dtype=F64), {}, None),
        ("dice", LOGITS, torch.ones(2, 4, dtype=F64), {}, r"\(2, 3\)"),
        ("dice", LOGITS, torch.full((2, 3), 2.0, dtype=F64), {}, r"\[0, 1\]"),
        ("dice", LOGITS[0], torch.ones(3, dtype=F64), {}, r"\(N, P\)"),
        ("dice", LOGITS, torch.ones(2, 3, dtype=F64), {"smooth": -1.0}, "smooth"),
        ("tversky", LOGITS, torch.ones(2, 3, dtype=F64), {"tversky_alpha": 2.0}, "tversky_alpha"),
        ("dice", torch.full((2, 3), math.nan, dtype=F64), torch.ones(2, 3, dtype=F64), {}, "finite"),
        ("triplet", torch.zeros(2, 3, 4, dtype=F64), None, {}, None),
        ("triplet", torch.zeros(2, 2, 4, dtype=F64), None, {}, r"\(N, 3, D\)"),
        ("triplet", torch.zeros(2, 3, 4, dtype=F64), torch.ones(2, dtype=F64), {}, "no target"),
        ("contrastive", torch.zeros(2, 2, 4, dtype=F64), None, {}, "similar pair"),
        ("cosine_embedding", torch.zeros(2, 2, 4, dtype=F64), torch.tensor([1.0, -1.0], dtype=F64), {}, r"\[0, 1\]"),
        ("info_nce", torch.zeros(2, 2, 4, dtype=F64), None, {"temperature": 0.0}, "temperature"),
        ("token_cross_entropy", torch.zeros(1, 2, 3, dtype=F64), torch.tensor([[0, 3]]), {}, r"\[0, 2\]"),
        ("token_cross_entropy", torch.zeros(1, 2, 3, dtype=F64), torch.tensor([[0, -100]]), {}, None),
        ("token_cross_entropy", torch.zeros(1, 2, 3, dtype=F64), torch.tensor([[0.0, 1.0]]), {}, "integer"),
        ("token_cross_entropy", torch.zeros(2, 3, dtype=F64), torch.tensor([[0, 1]]), {}, r"\(N, T, V\)"),
        ("token_cross_entropy", torch.zeros(1, 2, 3, dtype=F64), torch.tensor([[0, 1]]), {"average": "word"},
         "average"),
        ("ctc", torch.zeros(1, 3, 4, dtype=F64), torch.tensor([[1, 2]]), {}, None),
        ("ctc", torch.zeros(1, 3, 4, dtype=F64), torch.tensor([[1, 1, 1]]), {}, "at least 5 frames"),
        ("ctc", torch.zeros(1, 3, 4, dtype=F64), torch.tensor([[0, 1]]), {}, "only pad the end"),
        ("ctc", torch.zeros(1, 3, 4, dtype=F64), torch.tensor([[4]]), {}, r"\[1, 3\]"),
        ("ctc", torch.zeros(1, 3, 4, dtype=F64), torch.tensor([[1]]), {"input_lengths": torch.tensor([7])},
         r"outside \[1, 3\]"),
    ],
)
def test_invalid_input_raises_value_error_that_names_the_problem(key, pred, target, params, message):
    loss = get_loss(key)
    if message is None:
        assert torch.isfinite(loss(pred, target, **params)).all()  # control rows: valid input runs
        return
    with pytest.raises(ValueError, match=message):
        loss(pred, target, **params)


# --- gradients -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(LOSSES))
@pytest.mark.parametrize("which", ["defaults", "moved"])
def test_gradcheck_passes_in_float64(key, which):
    loss = LOSSES[key]
    params = loss.defaults() if which == "defaults" else non_default_params(loss)
    for soft in [False, True] if loss.accepts_soft_targets else [False]:
        pred, target = inputs_away_from_kinks(loss, soft)
        pred.requires_grad_(True)
        assert torch.autograd.gradcheck(lambda p: loss(p, target, **params), (pred,))


@pytest.mark.parametrize("key, option", [("cross_entropy", "weight"), ("focal_multiclass", "alpha")])
def test_gradcheck_passes_with_class_weights(key, option):
    loss = get_loss(key)
    pred, target = inputs_away_from_kinks(loss)
    pred.requires_grad_(True)
    weights = torch.tensor([0.5, 2.0, 1.0], dtype=F64)
    assert torch.autograd.gradcheck(lambda p: loss(p, target, **{option: weights}), (pred,))


def test_probability_targets_must_sum_to_one():
    logits = torch.zeros(2, 3, dtype=F64)
    with pytest.raises(ValueError, match="sum to 1"):
        get_loss("kl_div")(logits, torch.tensor([[0.1, 0.1, 0.0], [0.2, 0.3, 0.5]], dtype=F64))


def test_nan_binary_target_is_rejected():
    with pytest.raises(ValueError, match="finite"):
        get_loss("bce")(torch.zeros(2, dtype=F64), torch.tensor([0.0, float("nan")], dtype=F64))


def test_numpy_scalar_parameters_are_accepted():
    import numpy as np

    pred, target = torch.tensor([2.0], dtype=F64), torch.tensor([0.0], dtype=F64)
    expected = get_loss("huber")(pred, target, delta=0.5)
    torch.testing.assert_close(get_loss("huber")(pred, target, delta=np.float32(0.5)), expected)


@pytest.mark.parametrize("key", [k for k, loss in LOSSES.items() if loss.family == "multiclass"])
def test_class_indices_of_any_integer_dtype_give_the_same_loss(key):
    logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]], dtype=F64)
    int64 = get_loss(key)(logits, torch.tensor([0, 2]))
    for dtype in (torch.int32, torch.int16, torch.uint8):
        torch.testing.assert_close(get_loss(key)(logits, torch.tensor([0, 2], dtype=dtype)), int64)
