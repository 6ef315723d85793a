"""Sequence losses against torch.nn.functional.cross_entropy / ctc_loss and a brute-force CTC."""

import itertools
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lossviz.losses import get_loss
from lossviz.losses.sequence import token_losses

F64 = torch.float64
PROPERTY = settings(max_examples=30, deadline=None)
PAD = -100


def padded_batch(lengths=(5, 2, 4), vocab=7, seed=5, dtype=F64):
    gen = torch.Generator().manual_seed(seed)
    t = max(lengths)
    logits = torch.randn(len(lengths), t, vocab, generator=gen, dtype=dtype)
    targets = torch.randint(0, vocab, (len(lengths), t), generator=gen)
    for row, length in enumerate(lengths):
        targets[row, length:] = PAD
    return logits, targets


def test_token_average_batch_mean_equals_torch_cross_entropy_with_ignore_index():
    logits, targets = padded_batch()
    expected = F.cross_entropy(logits.reshape(-1, 7), targets.reshape(-1), ignore_index=PAD)
    per_sequence = get_loss("token_cross_entropy")(logits, targets, average="token")
    torch.testing.assert_close(per_sequence.mean(), expected, rtol=0.0, atol=1e-6)


def test_sequence_average_is_each_sequences_own_token_mean():
    logits, targets = padded_batch()
    per_token = F.cross_entropy(logits.transpose(1, 2), targets, ignore_index=PAD, reduction="none")  # (N, T)
    expected = torch.stack([per_token[i, :n].mean() for i, n in enumerate((5, 2, 4))])
    torch.testing.assert_close(get_loss("token_cross_entropy")(logits, targets), expected, rtol=0.0, atol=1e-6)


def test_token_losses_are_minus_log_softmax_of_the_target_and_zero_at_padding():
    logits, targets = padded_batch()
    per_token = token_losses(logits, targets)
    log_p = logits.log_softmax(-1)
    for n, t in itertools.product(range(3), range(5)):
        expected = 0.0 if targets[n, t] == PAD else -float(log_p[n, t, targets[n, t]])
        assert float(per_token[n, t]) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("eps", [0.1, 0.3])
def test_label_smoothing_matches_torch_with_padding(eps):
    logits, targets = padded_batch()
    expected = F.cross_entropy(logits.reshape(-1, 7), targets.reshape(-1), ignore_index=PAD, label_smoothing=eps)
    actual = get_loss("token_cross_entropy")(logits, targets, label_smoothing=eps, average="token").mean()
    torch.testing.assert_close(actual, expected, rtol=0.0, atol=1e-6)


def test_custom_ignore_index_and_integer_dtypes():
    logits, targets = padded_batch()
    pad_as_zero = targets.clone()
    pad_as_zero[pad_as_zero == PAD] = 0
    pad_as_zero[targets == 0] = 1  # token 0 is now only padding
    kept = pad_as_zero != 0
    expected = F.cross_entropy(logits[kept], pad_as_zero[kept])
    for dtype in (torch.int64, torch.int32, torch.int16):
        actual = get_loss("token_cross_entropy")(logits, pad_as_zero.to(dtype), ignore_index=0, average="token")
        torch.testing.assert_close(actual.mean(), expected)


def test_all_padding_sequence_and_batch_give_zero_not_nan():
    logits, targets = padded_batch()
    targets[1] = PAD
    values = get_loss("token_cross_entropy")(logits, targets)
    assert float(values[1]) == 0.0 and torch.isfinite(values).all()
    everything_padded = torch.full_like(targets, PAD)
    for average in ("sequence", "token"):
        assert get_loss("token_cross_entropy")(logits, everything_padded, average=average).abs().max() == 0.0


@PROPERTY
@given(st.lists(st.integers(0, 6), min_size=1, max_size=4), st.integers(0, 1000))
def test_token_average_equals_torch_for_any_padding_pattern(lengths, seed):
    logits, targets = padded_batch(lengths=[*lengths, 6], seed=seed)
    expected = F.cross_entropy(logits.reshape(-1, 7), targets.reshape(-1), ignore_index=PAD)
    actual = get_loss("token_cross_entropy")(logits, targets, average="token").mean()
    torch.testing.assert_close(actual, expected, rtol=0.0, atol=1e-6)


def test_gradcheck_with_token_average_and_label_smoothing():
    logits, targets = padded_batch(lengths=(3, 1), vocab=4)
    logits.requires_grad_(True)
    loss = get_loss("token_cross_entropy")
    assert torch.autograd.gradcheck(lambda z: loss(z, targets, average="token", label_smoothing=0.2), (logits,))


# --- CTC ---------------------------------------------------------------------------------------


def ctc_by_enumeration(logits, label):
    """−log Σ over every frame path that collapses (merge repeats, drop blank 0) to ``label``."""
    probs = logits.softmax(-1)
    frames, classes = probs.shape
    total = 0.0
    for path in itertools.product(range(classes), repeat=frames):
        collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or c != path[i - 1])]
        if collapsed == label:
            total += math.prod(float(probs[t, c]) for t, c in enumerate(path))
    return -math.log(total)


@pytest.mark.parametrize("label", [[1], [1, 2], [2, 2], [1, 2, 1], []])
def test_ctc_matches_a_brute_force_sum_over_alignments(label):
    logits = torch.randn(1, 5, 3, generator=torch.Generator().manual_seed(len(label)), dtype=F64)
    target = torch.tensor([label + [0] * (3 - len(label))])
    assert float(get_loss("ctc")(logits, target)[0]) == pytest.approx(ctc_by_enumeration(logits[0], label), rel=1e-9)


def test_ctc_matches_torch_ctc_loss_with_padded_targets_and_input_lengths():
    gen = torch.Generator().manual_seed(6)
    logits = torch.randn(3, 8, 5, generator=gen, dtype=F64)
    targets = torch.tensor([[1, 2, 3], [4, 4, 0], [2, 0, 0]])
    input_lengths = torch.tensor([8, 6, 3])
    expected = F.ctc_loss(logits.log_softmax(-1).transpose(0, 1), targets, input_lengths, torch.tensor([3, 2, 1]),
                          blank=0, reduction="none")
    actual = get_loss("ctc")(logits, targets, input_lengths=input_lengths)
    torch.testing.assert_close(actual, expected, rtol=0.0, atol=1e-6)


def test_ctc_gradcheck_with_input_lengths():
    logits = torch.randn(2, 5, 3, generator=torch.Generator().manual_seed(7), dtype=F64, requires_grad=True)
    targets, lengths = torch.tensor([[1, 2], [2, 0]]), torch.tensor([5, 3])
    assert torch.autograd.gradcheck(lambda z: get_loss("ctc")(z, targets, input_lengths=lengths), (logits,))


def test_ctc_aligned_prediction_beats_blank_heavy_and_uniform():
    """Frames peaked on 1, 1, blank, 2, 2 spell [1, 2]; mostly-blank frames spell it only weakly."""
    aligned = torch.full((1, 5, 3), -4.0, dtype=F64)
    for t, c in enumerate([1, 1, 0, 2, 2]):
        aligned[0, t, c] = 4.0
    blank_heavy = torch.full((1, 5, 3), -1.0, dtype=F64)
    blank_heavy[..., 0] = 3.0
    uniform = torch.zeros(1, 5, 3, dtype=F64)
    target = torch.tensor([[1, 2]])
    values = [float(get_loss("ctc")(x, target)) for x in (aligned, blank_heavy, uniform)]
    assert values[0] < values[2] < values[1]
