"""One pace for every live view that ticks: /training (both modes) and /gan.

Every playing page of the process beats in ``lossviz.session_budget.TRAINERS``; this session's
ticks come at the interval that keeps all ticks together within half the process, so a class
where some train stays responsive for the rest. A session counts once, whichever page it trains
on. Nothing waits: when the interval should change, the live view reruns once to re-register
its ``run_every``.
"""

from __future__ import annotations

import time
import uuid

import streamlit as st

from lossviz.session_budget import TICK_SECONDS, TRAINERS

SESSION_KEY = "training_session_id"  # one id per browser session, shared by the ticking pages


def tick_interval(playing: bool, tick_key: str, fastest: float = TICK_SECONDS) -> float | None:
    """How often this session's live view ticks now (None: paused); ``tick_key`` remembers the
    interval its fragment was registered with. Call it when drawing the fragment and on each
    tick: a tick that gets another interval than ``st.session_state[tick_key]`` should
    ``st.rerun()`` so the fragment is registered again."""
    session = st.session_state.setdefault(SESSION_KEY, uuid.uuid4().hex)
    return TRAINERS.paced(session, time.monotonic(), playing, st.session_state.get(tick_key), fastest)
