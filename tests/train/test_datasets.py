"""Toy data sets: shapes, seeds, class balance, label noise, outliers."""

import pytest
import torch

from lossviz.train import DATASETS, make_dataset


@pytest.mark.parametrize("name", DATASETS)
def test_same_seed_same_tensors_and_another_seed_differs(name):
    a, b, c = make_dataset(name, seed=3), make_dataset(name, seed=3), make_dataset(name, seed=4)
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_val, b.y_val)
    assert not torch.equal(a.x_train, c.x_train)


@pytest.mark.parametrize("name", DATASETS)
def test_split_sizes_and_dtypes(name):
    data = make_dataset(name, n_points=200)
    assert len(data.x_train) == 150 and len(data.x_val) == 50
    assert data.x_train.dtype == torch.float32
    if name == "regression":
        assert data.x_train.shape[1] == 1 and data.y_train.dtype == torch.float32
    else:
        assert data.x_train.shape[1] == 2 and data.y_train.dtype == torch.int64


def test_blobs_and_spirals_have_k_balanced_classes():
    for name in ("blobs", "spirals"):
        data = make_dataset(name, n_points=600, n_classes=5)
        labels = torch.cat([data.y_train, data.y_val])
        assert data.n_classes == 5 and torch.bincount(labels).tolist() == [120] * 5


@pytest.mark.parametrize("ratio", [1.0, 10.0, 50.0])
def test_imbalanced_has_the_requested_ratio(ratio):
    data = make_dataset("imbalanced", n_points=1020, ratio=ratio)
    labels = torch.cat([data.y_train, data.y_val])
    positives = int(labels.sum())
    assert positives == round(1020 / (1 + ratio))


def test_label_noise_flips_about_that_fraction():
    clean = make_dataset("imbalanced", n_points=2000, ratio=1.0, label_noise=0.0, seed=1)
    noisy = make_dataset("imbalanced", n_points=2000, ratio=1.0, label_noise=0.3, seed=1)
    # same points (label noise draws after them), labels differ on ~30 %
    assert torch.equal(clean.x_train, noisy.x_train)
    flipped = (torch.cat([clean.y_train, clean.y_val]) != torch.cat([noisy.y_train, noisy.y_val])).float().mean()
    assert 0.25 < float(flipped) < 0.35


def test_outliers_sit_far_from_the_clean_curve():
    data = make_dataset("regression", n_points=2000, outliers=0.2, seed=2)
    x, y = torch.cat([data.x_train, data.x_val])[:, 0], torch.cat([data.y_train, data.y_val])
    residual = (y - (torch.sin(1.5 * x) + 0.5 * x)).abs()
    far = float((residual > 3.0).float().mean())
    assert 0.15 < far < 0.25
    clean = make_dataset("regression", n_points=2000, outliers=0.0, seed=2)
    xc, yc = clean.x_train[:, 0], clean.y_train
    assert float((yc - (torch.sin(1.5 * xc) + 0.5 * xc)).abs().max()) < 1.0


@pytest.mark.parametrize("kwargs", [{"name": "mnist"}, {"name": "moons", "n_points": 5},
                                    {"name": "moons", "noise": -1.0}, {"name": "imbalanced", "ratio": 51.0},
                                    {"name": "blobs", "n_classes": 7}, {"name": "regression", "outliers": 0.9}])
def test_out_of_range_arguments_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        make_dataset(**kwargs)
