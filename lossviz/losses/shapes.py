"""Input checks for the families whose samples are more than one number: segmentation,
embedding and sequence. Every message says what is expected and what was received.
(The one-number families are checked in base.py.)"""

from __future__ import annotations

import torch

from .sequence import AVERAGES

# Embedding losses: how many vectors each sample stacks, and whether it takes a target.
_EMBEDDING_LAYOUT = {"cosine_embedding": (2, True), "contrastive": (2, True), "triplet": (3, False),
                     "info_nce": (2, False)}


def _shape(t: object) -> str:
    return str(tuple(t.shape)) if isinstance(t, torch.Tensor) else type(t).__name__


def _fail(loss, message: str) -> None:
    raise ValueError(f"{loss.key}: {message}")


def check_structured_inputs(loss, pred: object, target: object, params: dict) -> None:
    if not isinstance(pred, torch.Tensor) or not pred.is_floating_point():
        _fail(loss, f"pred must be a float torch tensor. Received {_shape(pred)} "
                    f"{getattr(pred, 'dtype', '')}".rstrip())
    if not bool(torch.isfinite(pred).all()):
        _fail(loss, "pred must be finite (no NaN or inf).")
    {"segmentation": _segmentation, "embedding": _embedding, "sequence": _sequence}[loss.family](
        loss, pred, target, params)


def _float_target_like(loss, pred: torch.Tensor, target: object, shape: tuple, what: str) -> None:
    if not isinstance(target, torch.Tensor) or not target.is_floating_point() or tuple(target.shape) != shape:
        _fail(loss, f"target must be {what}, a float tensor of shape {shape}. "
                    f"Received {_shape(target)} {getattr(target, 'dtype', '')}".rstrip())
    if not bool(torch.isfinite(target).all()) or bool(((target < 0) | (target > 1)).any()):
        _fail(loss, "target values must lie in [0, 1].")


def _segmentation(loss, pred: torch.Tensor, target: object, params: dict) -> None:
    if pred.dim() != 2:
        _fail(loss, f"pred must be logits of shape (N, P): N images of P pixels. Received {_shape(pred)}")
    _float_target_like(loss, pred, target, tuple(pred.shape), "a mask in [0, 1]")


def _embedding(loss, pred: torch.Tensor, target: object, params: dict) -> None:
    stacked, takes_target = _EMBEDDING_LAYOUT[loss.key]
    names = "(anchor, positive, negative)" if stacked == 3 else "pairs (x1, x2)"
    if pred.dim() != 3 or pred.shape[1] != stacked or pred.shape[2] < 1 or pred.shape[0] < 1:
        _fail(loss, f"pred must have shape (N, {stacked}, D): {names} of D-dim embeddings. "
                    f"Received {_shape(pred)}")
    if not takes_target:
        if target is not None:
            _fail(loss, f"takes no target (the layout of pred pairs the samples). Received {_shape(target)}")
        return
    _float_target_like(loss, pred, target, (pred.shape[0],), "1 for a similar pair and 0 for a dissimilar one")


def _int_target(loss, target: object, shape: tuple, what: str) -> torch.Tensor:
    if not isinstance(target, torch.Tensor) or target.is_floating_point() or target.dtype == torch.bool \
            or tuple(target.shape) != shape:
        _fail(loss, f"target must be {what}, an integer tensor of shape {shape}. "
                    f"Received {_shape(target)} {getattr(target, 'dtype', '')}".rstrip())
    return target


def _sequence(loss, pred: torch.Tensor, target: object, params: dict) -> None:
    if pred.dim() != 3 or pred.shape[2] < 2 or pred.shape[1] < 1:
        _fail(loss, f"pred must be logits of shape (N, T, V) with V >= 2. Received {_shape(pred)}")
    n, t, v = pred.shape
    if loss.key == "token_cross_entropy":
        ignore = -100 if params.get("ignore_index") is None else params["ignore_index"]
        if isinstance(ignore, bool) or not isinstance(ignore, int):
            _fail(loss, f"ignore_index must be an int. Received {ignore!r}")
        if params.get("average") not in (None, *AVERAGES):
            _fail(loss, f"average must be one of {AVERAGES}. Received {params.get('average')!r}")
        target = _int_target(loss, target, (n, t), "token ids")
        bad = (target != ignore) & ((target < 0) | (target >= v))
        if bool(bad.any()):
            _fail(loss, f"token ids must lie in [0, {v - 1}] (or be the padding id {ignore}).")
        return
    columns = target.shape[1] if isinstance(target, torch.Tensor) and target.dim() == 2 else 0
    labels = _int_target(loss, target, (n, columns), "labels (N, S) right-padded with 0")
    _check_ctc(loss, pred, labels, params.get("input_lengths"))


def _check_ctc(loss, pred: torch.Tensor, target: torch.Tensor, input_lengths: object) -> None:
    n, t, c = pred.shape
    if bool(((target < 0) | (target >= c)).any()):
        _fail(loss, f"labels must lie in [1, {c - 1}] (0 is the blank, used only as right padding).")
    if input_lengths is None:
        lengths = [t] * n
    else:
        if not isinstance(input_lengths, torch.Tensor) or input_lengths.is_floating_point() \
                or tuple(input_lengths.shape) != (n,):
            _fail(loss, f"input_lengths must be an integer tensor of shape ({n},). Received {_shape(input_lengths)}")
        lengths = input_lengths.tolist()
    for i, (row, frames) in enumerate(zip(target.tolist(), lengths)):
        label = [x for x in row if x != 0]
        if row[: len(label)] != label:
            _fail(loss, f"label {i} has a 0 (blank) inside it; 0 may only pad the end.")
        if not 1 <= frames <= t:
            _fail(loss, f"input length {frames} of sequence {i} is outside [1, {t}].")
        repeats = sum(a == b for a, b in zip(label, label[1:]))
        if len(label) + repeats > frames:
            _fail(loss, f"sequence {i}: {frames} frames cannot spell a label of length {len(label)} with "
                        f"{repeats} repeated neighbours (CTC needs a blank between repeats: "
                        f"at least {len(label) + repeats} frames).")
