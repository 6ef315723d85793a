"""Play / Pause / Step / Reset for a live run kept in session state (/training, both modes).

A live run is any object with ``config_a``, ``config_b``, ``playing``, ``finished`` and
``advance(steps, budget_s=...)``, built by ``make_run(config_a, config_b)``: ``LiveRun`` or
``MultitaskLiveRun``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st

from ui.common import tr


@dataclass(frozen=True)
class Transport:
    run_key: str  # where the run lives in session state
    make_run: Callable  # (config_a, config_b) -> a fresh, paused run
    button_prefix: str  # the buttons' keys: <prefix>_play, _step, _reset

    def current_run(self, config_a, config_b):
        """The run in session state, or a fresh one (paused) when the settings changed."""
        run = st.session_state.get(self.run_key)
        if run is None or (run.config_a, run.config_b) != (config_a, config_b):
            run = self.make_run(config_a, config_b)
            st.session_state[self.run_key] = run
        return run

    def set_playing(self, playing: bool) -> None:
        """Idempotent (not a toggle): a click replayed on a coalesced rerun must not undo itself."""
        run = st.session_state[self.run_key]
        run.playing = playing and not run.finished

    def step_once(self, speed: int) -> None:
        run = st.session_state[self.run_key]
        run.playing = False
        run.advance(speed, budget_s=float("inf"))  # the button promises exactly +speed steps

    def reset(self) -> None:
        run = st.session_state[self.run_key]
        st.session_state[self.run_key] = self.make_run(run.config_a, run.config_b)

    def buttons(self, run, speed: int) -> None:
        play, step, again, _ = st.columns([1, 1, 1, 1.2])
        play.button(tr("training.pause") if run.playing else tr("training.play"), on_click=self.set_playing,
                    args=(not run.playing,), type="primary", disabled=run.finished,
                    key=f"{self.button_prefix}_play", width="stretch")
        step.button(tr("training.step", n=speed), on_click=self.step_once, args=(speed,), disabled=run.finished,
                    key=f"{self.button_prefix}_step", width="stretch")
        again.button(tr("training.reset"), on_click=self.reset, key=f"{self.button_prefix}_reset", width="stretch")
