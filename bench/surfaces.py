"""Speed of a /surfaces view: a 100x100 surface (loss + gradient field) and four 200-step paths.

    .venv/bin/python bench/surfaces.py [--resolution 100] [--steps 200] [--repeats 5]

In one run, for each surface below: lossviz's vectorised code (``loss_grid``: one batched
forward and backward for the whole grid) against a plain Python loop over the grid points
(forward + backward per point, the same torch maths), each followed by the same four
``torch.optim`` paths (SGD, momentum, RMSprop, Adam; ``optimizer_paths``, which shares one
batched forward and backward per step among the four). Prints JSON: median seconds of
``--repeats`` runs for the vectorised case, one run of the loop, and loop / vectorised.
Target: vectorised under 0.3 s (1 s at most).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lossviz.optim_paths import optimizer_paths  # noqa: E402
from lossviz.surfaces import get_surface, grid_axes, loss_grid  # noqa: E402

CASES = {"rosenbrock": {}, "regression": {"loss": "huber", "outliers": 3}, "logistic": {"loss": "bce"}}
PATHS = (("sgd", {"lr": 0.001}), ("momentum", {"lr": 0.001}), ("rmsprop", {"lr": 0.01}), ("adam", {"lr": 0.05}))


def loop_grid(surface_key: str, params: dict, resolution: int) -> tuple[list, list]:
    """The baseline: one forward and one backward per grid point, in Python."""
    surface = get_surface(surface_key)
    xs, ys = grid_axes(surface, resolution)
    losses, grads = [], []
    for y in ys.tolist():
        for x in xs.tolist():
            theta = torch.tensor([x, y], dtype=torch.float64, requires_grad=True)
            loss = surface(theta, params)
            loss.backward()
            losses.append(float(loss.detach()))
            grads.append(theta.grad.tolist())
    return losses, grads


def four_paths(surface_key: str, params: dict, steps: int) -> None:
    optimizer_paths(surface_key, PATHS, get_surface(surface_key).start, steps, params)


def timed(fn) -> float:
    begin = time.perf_counter()
    fn()
    return time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--resolution", type=int, default=100)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)  # as each app session does (DESIGN.md)
    results = {}
    for key, params in CASES.items():
        loss_grid(key, params, 10)  # warm up imports and data
        vectorised = [timed(lambda: (loss_grid(key, params, args.resolution), four_paths(key, params, args.steps)))
                      for _ in range(args.repeats)]
        grid_only = [timed(lambda: loss_grid(key, params, args.resolution)) for _ in range(args.repeats)]
        paths_only = [timed(lambda: four_paths(key, params, args.steps)) for _ in range(args.repeats)]
        loop = timed(lambda: (loop_grid(key, params, args.resolution), four_paths(key, params, args.steps)))
        median = statistics.median(vectorised)
        results[key] = {"params": params, "vectorised_s": round(median, 4), "vectorised_grid_only_s": round(
            statistics.median(grid_only), 4), "paths_only_s": round(statistics.median(paths_only), 4), "python_loop_s": round(loop, 4), "ratio_loop_over_vectorised": round(
            loop / median, 1), "target_met": median < 0.3}
    print(json.dumps({"resolution": args.resolution, "paths": len(PATHS), "steps": args.steps,
                      "repeats": args.repeats, "torch": torch.__version__, "machine": platform.machine(),
                      "load_average_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
                      "results": results}, indent=2))


if __name__ == "__main__":
    main()
