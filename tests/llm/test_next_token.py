"""Next-token CE, perplexity, label smoothing and MLM numbers against torch and their formulas."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lossviz.llm import next_token as nt


@pytest.mark.parametrize("skill", [-1.0, 0.0, 2.0, 6.0])
def test_masked_mean_is_torch_cross_entropy_with_ignore_index(skill):
    logits, targets = nt.batch_logits(skill), nt.batch_targets(pad_id=-100)
    expected = F.cross_entropy(logits.reshape(-1, len(nt.VOCAB)), targets.reshape(-1), ignore_index=-100)
    summary = nt.next_token_summary(skill)
    assert summary["masked_mean"] == pytest.approx(float(expected), abs=1e-12)
    assert summary["perplexity"] == pytest.approx(math.exp(float(expected)), rel=1e-12)


def test_unmasked_mean_counts_padding_as_the_pad_class():
    logits, targets = nt.batch_logits(2.0), nt.batch_targets(pad_id=nt.PAD_ID)
    expected = F.cross_entropy(logits.reshape(-1, len(nt.VOCAB)), targets.reshape(-1))
    assert nt.next_token_summary(2.0)["unmasked_mean"] == pytest.approx(float(expected), abs=1e-12)


def test_sequence_average_weights_each_sequence_equally():
    summary = nt.next_token_summary(2.0)
    per_token = summary["per_token"]
    means = [np.nanmean(row) for row in per_token]
    np.testing.assert_allclose(summary["sequence_means"], means, rtol=1e-12)
    assert summary["sequence_average"] == pytest.approx(np.mean(means))
    assert summary["masked_mean"] == pytest.approx(np.nanmean(per_token))  # every token equally
    assert summary["lengths"] == [6, 3, 2]
    # the short sequences are the hard ones here, so averaging per sequence raises the loss
    assert summary["sequence_average"] > summary["masked_mean"]


def test_padding_shows_as_gaps_and_uniform_baseline_is_log_v():
    summary = nt.next_token_summary(0.0)
    assert np.isnan(summary["per_token"][2, 2:]).all() and np.isfinite(summary["per_token"][0]).all()
    assert summary["uniform_loss"] == pytest.approx(math.log(8))
    zero_logits = torch.zeros(3, len(nt.VOCAB), dtype=torch.float64)
    assert float(F.cross_entropy(zero_logits, torch.tensor([1, 2, 3]))) == pytest.approx(summary["uniform_loss"])


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.3])
@pytest.mark.parametrize("vocab", [2, 8, 1000])
def test_smoothing_floor_is_torch_loss_of_predicting_the_smoothed_target(eps, vocab):
    target = nt.smoothed_target(eps, vocab)
    assert target.sum() == pytest.approx(1.0)
    logits = torch.log(torch.tensor(target, dtype=torch.float64).clamp_min(1e-300))[None].requires_grad_(True)
    loss = F.cross_entropy(logits, torch.tensor([0]), label_smoothing=eps)
    (grad,) = torch.autograd.grad(loss, logits)
    assert float(loss.detach()) == pytest.approx(nt.smoothing_floor(eps, vocab), abs=1e-9)
    assert grad.abs().max() < 1e-9  # the minimum: the softmax equals the smoothed target


@pytest.mark.parametrize("eps", [0.05, 0.1, 0.4])
def test_smoothed_loss_turns_up_at_the_best_margin(eps):
    margins = np.linspace(0, 20, 2001)
    curve = nt.smoothing_curve(eps, 8, margins)
    assert margins[np.argmin(curve["smoothed"])] == pytest.approx(nt.best_margin(eps, 8), abs=0.011)
    assert np.all(np.diff(curve["plain"]) < 0)  # without smoothing: always falling
    assert nt.best_margin(0.0, 8) == math.inf


@pytest.mark.parametrize("rate", [0.05, 0.15, 0.5, 1.0])
def test_mlm_loss_is_cross_entropy_over_masked_positions_only(rate):
    summary = nt.mlm_summary(rate)
    mask = summary["mask"]
    assert summary["masked_count"] == mask.sum() == max(1, round(rate * nt.MLM_LENGTH))
    assert summary["mlm_loss"] == pytest.approx(summary["per_token"][mask].mean(), rel=1e-12)
    assert summary["all_positions_loss"] == pytest.approx(summary["per_token"].mean(), rel=1e-12)


def test_higher_mask_rate_masks_a_superset():
    assert np.all(nt.mlm_mask(0.5)[nt.mlm_mask(0.15)])


def test_best_margin_of_a_tiny_epsilon_is_finite():
    """A link's ε = 3e-324 (denormal): ε / V underflows to 0 in floats; the log form does not."""
    assert nt.best_margin(3e-324, 8) == pytest.approx(math.log(8) - math.log(3e-324) + math.log1p(-3e-324))
    assert nt.best_margin(0.1, 8) == pytest.approx(math.log((0.9 + 0.1 / 8) / (0.1 / 8)))
