"""lossviz.train.landscape: filter-normalised directions, the loss plane, the trajectory's PCA."""

import numpy as np
import pytest
import torch

from lossviz.train import TrainConfig, Trainer
from lossviz.train import landscape as L
from lossviz.train.session import LiveRun


def trained(config: TrainConfig = TrainConfig(lr=0.03), chunks: int = 8, per_chunk: int = 10) -> LiveRun:
    run = LiveRun(config)
    for _ in range(chunks):
        run.advance(per_chunk, budget_s=float("inf"))
    return run


def torch_loss(trainer: Trainer, idx: torch.Tensor) -> float:
    with torch.no_grad():
        out = trainer.outputs(trainer.data.x_train[idx])
        return float(trainer.loss.fn(out, trainer.y_train[idx], **trainer.loss_params).mean())


def test_every_row_of_a_direction_has_the_norm_of_its_weight_row_and_biases_are_zero():
    trainer = trained().runs["A"]
    weights = [p.detach() for p in trainer.model.parameters()]
    direction = L.filter_normalized_direction(weights, torch.Generator().manual_seed(3))
    matrices = 0
    for w, d in zip(weights, direction):
        assert d.shape == w.shape
        if w.dim() == 1:
            assert torch.count_nonzero(d) == 0
        else:
            matrices += 1
            torch.testing.assert_close(d.norm(dim=1), w.norm(dim=1), rtol=1e-5, atol=1e-7)
            assert not torch.allclose(d, w)  # a random direction, not the weights themselves
    assert matrices == 3  # the 16,16 MLP: three Linear weight matrices


@pytest.mark.parametrize("config", [
    TrainConfig(lr=0.03),
    TrainConfig(hidden=(), lr=0.1),
    TrainConfig(dataset="blobs", loss="cross_entropy", n_classes=3, lr=0.03),
    TrainConfig(dataset="regression", loss="huber", lr=0.03),
], ids=["moons-mlp", "moons-linear", "blobs-ce", "regression-huber"])
def test_centre_of_the_random_plane_is_the_torch_loss_at_the_current_weights(config):
    trainer = trained(config, chunks=3).runs["A"]
    plane = L.random_plane(trainer, seed=1, size=11)
    assert plane.loss.shape == (11, 11)
    assert plane.alphas[5] == 0.0 and plane.betas[5] == 0.0
    expected = torch_loss(trainer, L.eval_subset(trainer, seed=1))
    assert plane.loss[5, 5] == pytest.approx(expected, rel=1e-5)
    assert np.isfinite(plane.loss).all()
    assert plane.loss.max() > plane.loss[5, 5]  # moving away from trained weights costs loss somewhere


def test_a_grid_point_off_centre_matches_torch_with_the_weights_moved_by_hand():
    trainer = trained().runs["A"]
    center = [p.detach().clone() for p in trainer.model.parameters()]
    gen = torch.Generator().manual_seed(0)
    d1, d2 = L.filter_normalized_direction(center, gen), L.filter_normalized_direction(center, gen)
    plane = L.random_plane(trainer, seed=0, size=5, span=1.0)  # alphas -1, -0.5, 0, 0.5, 1
    idx = L.eval_subset(trainer, seed=0)
    with torch.no_grad():
        for p, c, u, v in zip(trainer.model.parameters(), center, d1, d2):
            p.copy_(c + 0.5 * u - 1.0 * v)  # α = 0.5 (column 3), β = −1 (row 0)
        moved = torch_loss(trainer, idx)
        for p, c in zip(trainer.model.parameters(), center):
            p.copy_(c)
    assert plane.loss[0, 3] == pytest.approx(moved, rel=1e-5)


def test_random_plane_is_deterministic_from_the_seed():
    trainer = trained().runs["A"]
    a, b = L.random_plane(trainer, seed=7, size=9), L.random_plane(trainer, seed=7, size=9)
    assert np.array_equal(a.loss, b.loss)
    assert not np.array_equal(a.loss, L.random_plane(trainer, seed=8, size=9).loss)


def test_trajectory_ends_at_the_origin_with_descending_explained_variance_in_0_1():
    run = trained(chunks=12)
    steps, vectors = zip(*run.weights["A"])
    trajectory, directions = L.trajectory_pca(steps, vectors)
    assert trajectory.coords.shape == (len(vectors), 2)
    assert np.array_equal(np.abs(trajectory.coords[-1]), [0.0, 0.0])
    share = trajectory.explained
    assert 0 <= share[1] <= share[0] <= 1 and share.sum() <= 1 + 1e-12
    np.testing.assert_allclose(directions @ directions.T, np.eye(2), atol=1e-10)  # orthonormal
    # Against the eigenvalues of the covariance of the centred rows θ_i − θ_n (i < n).
    m = torch.stack(list(vectors)).double().numpy()
    m = m[:-1] - m[-1]
    eig = np.sort(np.linalg.eigvalsh(np.cov(m, rowvar=False)))[::-1]
    np.testing.assert_allclose(share, eig[:2] / eig.sum(), rtol=1e-6)
    assert trajectory.coords[0, 0] >= 0 and trajectory.coords[0, 1] >= 0  # the fixed sign


def test_pca_plane_is_deterministic_and_centred_on_the_current_weights():
    run = trained(chunks=10)
    trainer = run.runs["A"]
    steps, vectors = zip(*run.weights["A"])
    (plane, trajectory), (again, _) = L.pca_plane(trainer, steps, vectors), L.pca_plane(trainer, steps, vectors)
    assert np.array_equal(plane.loss, again.loss)
    for k, axis in enumerate((plane.alphas, plane.betas)):  # the grid covers the whole path
        assert axis[0] < trajectory.coords[:, k].min() and axis[-1] > trajectory.coords[:, k].max()


def test_bad_states_raise_landscape_errors_a_page_can_name():
    run = trained(chunks=2)
    trainer = run.runs["A"]
    steps, vectors = zip(*run.weights["A"])
    with pytest.raises(L.LandscapeError) as few:
        L.trajectory_pca(steps[:2], vectors[:2])
    assert few.value.kind == "too_few"
    with pytest.raises(L.LandscapeError) as flat:
        L.trajectory_pca([0, 1, 2], [vectors[0]] * 3)
    assert flat.value.kind == "flat"
    with pytest.raises(ValueError, match="size"):
        L.random_plane(trainer, size=500)
    with torch.no_grad():
        next(trainer.model.parameters())[0, 0] = float("nan")
    with pytest.raises(L.LandscapeError) as diverged:
        L.random_plane(trainer)
    assert diverged.value.kind == "diverged"


def test_live_run_keeps_weight_snapshots_at_the_boundary_snapshots_steps_bounded():
    run = LiveRun(TrainConfig(lr=0.03, steps=2000))
    for _ in range(200):
        run.advance(5, budget_s=float("inf"))
    steps_w = [s for s, _ in run.weights["A"]]
    assert steps_w == [s for s, _ in run.snapshots["A"]]
    assert len(steps_w) <= 121 and steps_w[0] == 0 and steps_w[-1] == run.steps_done
    torch.testing.assert_close(run.weights["A"][-1][1], L.weight_vector(run.runs["A"].model))
