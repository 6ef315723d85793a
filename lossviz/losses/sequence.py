r"""Sequence losses. Batch first, like the rest of lossviz; one loss per sequence (N,).

- ``token_cross_entropy``: ``pred`` logits (N, T, V) over a vocabulary of V tokens, ``target``
  token ids (N, T); positions equal to ``ignore_index`` (default −100, as torch) are padding
  and count for nothing. ``average`` says what ``per_sequence.mean()`` means:
  "sequence" (default): each sequence's loss is the mean over its own real tokens, so every
  sequence weighs the same; "token": each sequence's loss is scaled so that the batch mean is
  the mean over all real tokens of the batch, i.e. ``F.cross_entropy(..., ignore_index=...)``
  with its default 'mean' reduction, where long sequences weigh more.
  A sequence (or batch) that is all padding has loss 0, where torch's mean would be 0/0 = NaN.
- ``ctc``: ``pred`` logits (N, T, C) over T frames and C classes, class 0 the blank;
  ``target`` label ids (N, S) in 1..C−1, right-padded with 0 (the blank never appears in a
  label, so 0 is free to mark padding). Option ``input_lengths`` (N,) (default: all T).
  The loss is F.ctc_loss's per-sequence negative log-likelihood (reduction 'none': summed
  over the label, not divided by its length).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .base import Loss
from .params import LABEL_SMOOTHING

IGNORE_INDEX = -100  # torch's default ignore_index
AVERAGES = ("sequence", "token")


def token_losses(logits: torch.Tensor, targets: torch.Tensor, ignore_index: int = IGNORE_INDEX,
                 label_smoothing: float = 0.0) -> torch.Tensor:
    r"""Per-token cross-entropy (N, T): :math:`-\log \operatorname{softmax}(z_t)_{y_t}`, 0 at padding."""
    n, t, v = logits.shape
    flat = F.cross_entropy(logits.reshape(n * t, v), targets.reshape(n * t), ignore_index=ignore_index,
                           label_smoothing=label_smoothing, reduction="none")
    return flat.reshape(n, t)


def token_cross_entropy(logits: torch.Tensor, targets: torch.Tensor, label_smoothing: float,
                        ignore_index: int | None = None, average: str | None = None) -> torch.Tensor:
    r"""Next-token cross-entropy with a padding mask :math:`m_{nt} = [y_{nt} \ne \text{ignore}]`:

    .. math:: \ell_{nt} = -\log \operatorname{softmax}(z_{nt})_{y_{nt}},\quad
              \text{sequence: } \frac{\sum_t m_{nt}\ell_{nt}}{\sum_t m_{nt}},\quad
              \text{token: } N\,\frac{\sum_t m_{nt}\ell_{nt}}{\sum_{n,t} m_{nt}}

    With label smoothing ε the target is (1 − ε) on y plus ε/V everywhere, as torch does.
    PyTorch (token average): ``F.cross_entropy(logits.flatten(0, 1), targets.flatten(),
    ignore_index=-100)``. Use it to train any autoregressive language model.
    """
    ignore_index = IGNORE_INDEX if ignore_index is None else ignore_index
    targets = targets.long()  # token ids of any integer dtype; F.cross_entropy wants int64
    per_token = token_losses(logits, targets, ignore_index, label_smoothing)
    real = (targets != ignore_index).to(logits.dtype)
    summed = per_token.sum(1)
    if (average or "sequence") == "sequence":
        return summed / real.sum(1).clamp_min(1.0)
    return summed * (targets.shape[0] / real.sum().clamp_min(1.0))


def ctc_input_lengths(logits: torch.Tensor, input_lengths: torch.Tensor | None) -> torch.Tensor:
    return torch.full((logits.shape[0],), logits.shape[1], dtype=torch.long) if input_lengths is None \
        else input_lengths.long()


def ctc(logits: torch.Tensor, targets: torch.Tensor, input_lengths: torch.Tensor | None = None) -> torch.Tensor:
    r"""Connectionist temporal classification (Graves et al. 2006): the negative log of the
    total probability of all frame alignments π that collapse (merge repeats, drop blanks) to
    the label:

    .. math:: \ell = -\log \sum_{\pi \in \mathcal{B}^{-1}(y)} \prod_{t=1}^{T} p_t(\pi_t),
              \quad p_t = \operatorname{softmax}(z_t)

    PyTorch: ``F.ctc_loss(logits.log_softmax(-1).transpose(0, 1), targets, input_lengths,
    (targets != 0).sum(1), blank=0, reduction='none')``. Use it for speech and handwriting
    recognition, where the alignment of frames to labels is unknown.
    """
    log_probs = logits.log_softmax(-1).transpose(0, 1)  # (T, N, C), as F.ctc_loss wants
    targets = targets.long()
    target_lengths = (targets != 0).sum(1)
    return F.ctc_loss(log_probs, targets, ctc_input_lengths(logits, input_lengths), target_lengths,
                      blank=0, reduction="none")


SEQUENCE_LOSSES: tuple[Loss, ...] = (
    Loss(
        key="token_cross_entropy",
        family="sequence",
        fn=token_cross_entropy,
        formula=(
            r"\ell_n = \frac{\sum_t m_{nt}\,\big(-\log \operatorname{softmax}(z_{nt})_{y_{nt}}\big)}"
            r"{\sum_t m_{nt}},\quad m_{nt} = [\,y_{nt} \ne \text{pad}\,]"
        ),
        torch_equivalent=(
            "F.cross_entropy(pred.transpose(1, 2), target, ignore_index=-100, label_smoothing={label_smoothing},"
            " reduction='none').sum(1) / (target != -100).sum(1)"
        ),
        params=(LABEL_SMOOTHING,),
        options=("ignore_index", "average"),
        reference="torch.nn.functional.cross_entropy with ignore_index (mean and 'none' reductions)",
    ),
    Loss(
        key="ctc",
        family="sequence",
        fn=ctc,
        formula=r"\ell = -\log \sum_{\pi \in \mathcal{B}^{-1}(y)} \prod_{t=1}^{T} p_t(\pi_t)",
        torch_equivalent=(
            "F.ctc_loss(pred.log_softmax(-1).transpose(0, 1), target, torch.full((len(pred),), pred.shape[1]),"
            " (target != 0).sum(1), blank=0, reduction='none')"
        ),
        options=("input_lengths",),
        reference="torch.nn.functional.ctc_loss and a brute-force sum over every alignment",
    ),
)
