"""The mini training core behind /training and ``python -m lossviz train`` (no Streamlit).

``Trainer(TrainConfig(dataset="moons", loss="focal", loss_params=(("gamma", 2.0),)))`` builds
the data set, model and optimizer from a seed; ``trainer.step(n)`` advances the run in chunks
and returns ``StepRecord``s; ``trainer.evaluate()`` gives train/validation loss and accuracy
(or MAE); ``views`` turns a trainer into arrays to draw.
"""

from .datasets import DATASETS, Dataset, make_dataset
from .loop import (MAX_BATCH, MAX_STEPS, Divergence, StepRecord, TrainConfig, Trainer, check_config,
                   compatible_losses)
from .models import ACTIVATIONS, build_model
from .optim import OPTIMIZERS, build_optimizer

__all__ = ["ACTIVATIONS", "DATASETS", "Dataset", "Divergence", "MAX_BATCH", "MAX_STEPS", "OPTIMIZERS",
           "StepRecord", "TrainConfig", "Trainer", "build_model", "build_optimizer", "check_config",
           "compatible_losses", "make_dataset"]
