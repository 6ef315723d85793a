"""Training speed: lossviz's Trainer against a bare hand-written torch loop, in one run.

Same model (the 16,16 ReLU MLP, same initial weights), same data (two moons, 300 training
points), same batch order (a seeded permutation per epoch, batch 64), same loss (BCE on logits)
and optimizer (Adam, lr 0.01, foreach). The bare loop does only what any training loop must:
forward, mean loss, zero_grad, backward, step, and ``loss.item()`` to log the loss. lossviz
also computes the gradient norm for its chart and checks loss, gradient and weights for NaN/inf.

Rounds alternate between the two loops so machine noise hits both alike; steps/s is the median
over rounds. Prints JSON. Run: ``.venv/bin/python bench/train_speed.py [--steps 2000 --rounds 5]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from lossviz.train import TrainConfig, Trainer, build_model, build_optimizer  # noqa: E402

CONFIG = TrainConfig(dataset="moons", loss="bce", optimizer="adam", lr=0.01, batch_size=64,
                     hidden=(16, 16), activation="relu", steps=5000, seed=0)


def bare_loop(steps: int) -> float:
    """Steps per second of a plain torch loop on the same data, weights and optimizer."""
    data = Trainer(CONFIG).data  # the same tensors, built outside the timed part
    x, y = data.x_train, data.y_train.float()
    model = build_model(2, 1, (16, 16), "relu", seed=CONFIG.seed)
    opt = build_optimizer("adam", model.parameters(), CONFIG.lr)
    order = torch.Generator().manual_seed(CONFIG.seed + 1)
    perm, cursor = torch.randperm(len(x), generator=order), 0
    start = time.perf_counter()
    for _ in range(steps):
        if cursor + 64 > len(perm):
            perm, cursor = torch.randperm(len(x), generator=order), 0
        idx = perm[cursor:cursor + 64]
        cursor += 64
        loss = F.binary_cross_entropy_with_logits(model(x[idx])[:, 0], y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loss.item()
    return steps / (time.perf_counter() - start)


def lossviz_loop(steps: int) -> float:
    trainer = Trainer(CONFIG)
    start = time.perf_counter()
    trainer.step(steps)
    return steps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000, help="steps per round (max 1000, one chunk)")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)
    bare_loop(200), lossviz_loop(200)  # warm up both paths
    bare, ours = [], []
    for _ in range(args.rounds):
        bare.append(bare_loop(args.steps))
        ours.append(lossviz_loop(args.steps))
    bare_rate, our_rate = statistics.median(bare), statistics.median(ours)
    print(json.dumps({
        "model": "MLP 2-16-16-1 ReLU", "batch_size": 64, "optimizer": "adam", "loss": "bce",
        "steps_per_round": args.steps, "rounds": args.rounds,
        "bare_steps_per_s": round(bare_rate, 1), "lossviz_steps_per_s": round(our_rate, 1),
        "ratio": round(our_rate / bare_rate, 3),
        "ratio_per_round": [round(o / b, 3) for o, b in zip(ours, bare)],
        "target_ratio": 0.95, "least_accepted_ratio": 0.8,
    }, indent=2))


if __name__ == "__main__":
    main()
