"""Caps that keep one browser session from slowing down everyone else on the same server.

* ``SessionBudget``: how many *new* custom expressions one session may evaluate per minute.
  Evaluating one checked expression is cheap (well under 10 ms for the curve and the checks), but
  a script could submit thousands of distinct ones; the cache would churn and the 2-core server
  would serve other sessions late. Typing by hand stays far below the cap.
* ``TrainerRegistry``: who is training live right now, process-wide, and the tick interval
  that keeps all their ticks together within ``TRAINING_SHARE`` of the process. Nothing waits:
  a playing page asks for its ticks less often when others train too (WIRED into /training).
* ``TickGate``: process-wide turns for live-training ticks (first come, first served, together at
  most ``TRAINING_SHARE`` of the wall-clock time). One playing /training session costs about 90 ms
  of CPU per tick at up to 10 ticks a second, most of a core, and a Streamlit process runs on one
  core (the GIL). NOT WIRED into /training: with the live view run in a turn, 30 sessions of which
  6 trained stalled the whole server (README, "Classroom"); a waiting tick blocks its script
  thread, and a cap that never blocks is the next step.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

NEW_EXPRESSIONS_PER_MINUTE = 60
TRAINING_SHARE = 0.5  # of one process's wall-clock time, for all live-training ticks together


@dataclass
class SessionBudget:
    limit: int = NEW_EXPRESSIONS_PER_MINUTE
    window_s: float = 60.0
    seen: set = field(default_factory=set)  # (expression, declarations) already allowed
    times: deque = field(default_factory=deque)  # when each new one was allowed

    def allow(self, item: object, now: float) -> bool:
        """True if ``item`` was seen before or the session is under its cap (then it is counted)."""
        if item in self.seen:
            return True
        while self.times and now - self.times[0] > self.window_s:
            self.times.popleft()
        if len(self.times) >= self.limit:
            return False
        self.times.append(now)
        if len(self.seen) > 4 * self.limit:  # keep memory bounded
            self.seen.clear()
        self.seen.add(item)
        return True


class TickGate:
    """Process-wide turns for expensive periodic work (live-training ticks).

    ``with gate.turn(): ...`` waits for its turn (a ticket: first come, first served, so no
    session starves), then, if the previous turn ended less than ``cost * (1/share - 1)`` ago,
    sleeps the rest (a sleeping thread releases the GIL: other sessions run meanwhile). The
    work's own wall time is its cost. So turns never overlap and, back to back, take at most
    ``share`` of wall-clock time, however many sessions ask.
    """

    def __init__(self, share: float = TRAINING_SHARE, clock: Callable[[], float] = time.perf_counter,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if not 0 < share <= 1:
            raise ValueError(f"share must be in (0, 1], not {share}")
        self.share, self._clock, self._sleep = share, clock, sleep
        self._cond = threading.Condition()
        self._issued = self._serving = 0
        self._next_start = float("-inf")
        self.turns = 0
        self.waited_s = 0.0  # total time turns spent waiting for the share (not for the queue)

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._cond:
            ticket, self._issued = self._issued, self._issued + 1
            while ticket != self._serving:
                self._cond.wait()
        start = self._clock()
        try:
            pause = self._next_start - start
            if pause > 0:
                self._sleep(pause)
                self.waited_s += pause
                start = self._clock()
            yield
        finally:
            end = self._clock()
            with self._cond:
                self._next_start = end + (end - start) * (1 / self.share - 1)
                self.turns += 1
                self._serving += 1
                self._cond.notify_all()

    def gated(self, when: Callable[[], bool]) -> Callable:
        """Decorator: run the function in a turn whenever ``when()`` is true (else at once)."""
        def wrap(function: Callable) -> Callable:
            @functools.wraps(function)  # st.fragment names a fragment by module and qualname
            def inner(*args, **kwargs):
                if not when():
                    return function(*args, **kwargs)
                with self.turn():
                    return function(*args, **kwargs)
            return inner
        return wrap




TICK_SECONDS = 0.1  # a lone trainer's tick interval (the page's fastest)
TICK_COST_S = 0.09  # server time of one /training tick: up to 60 ms of steps, then the charts (measured)


class TrainerRegistry:
    """Sessions training live in this process, and how often each may tick.

    A playing /training page calls ``beat(session)`` on every tick; a session counts as
    training for ``ttl_s`` after its last beat. ``interval(n)``: a lone trainer ticks every
    ``TICK_SECONDS``; n > 1 trainers each every ``n * TICK_COST_S / share`` seconds, so their
    ticks together take at most ``share`` of the process (one core: the GIL) and the rest stays
    for everyone else: 6 trainers tick about once a second each instead of 60 ticks a second
    between them. Nothing blocks; a page applies a new interval by rerunning once.
    """

    def __init__(self, share: float = TRAINING_SHARE, ttl_s: float = 2.0) -> None:
        if not 0 < share <= 1:
            raise ValueError(f"share must be in (0, 1], not {share}")
        self.share, self.ttl_s = share, ttl_s
        self._last_beat: dict[str, tuple[float, float]] = {}  # session -> (when, its tick interval)
        self._lock = threading.Lock()

    def beat(self, session: str, now: float, interval: float = TICK_SECONDS) -> None:
        """``session`` ticked at ``now``; it ticks every ``interval`` (it stays counted for three)."""
        with self._lock:
            self._last_beat[session] = (now, interval)

    def leave(self, session: str) -> None:
        with self._lock:
            self._last_beat.pop(session, None)

    def active(self, now: float) -> int:
        with self._lock:
            for session in [s for s, (t, every) in self._last_beat.items() if now - t > max(self.ttl_s, 3 * every)]:
                del self._last_beat[session]
            return len(self._last_beat)

    def paced(self, session: str, now: float, playing: bool, current: float | None,
              fastest: float = TICK_SECONDS) -> float | None:
        """The tick interval ``session`` should run at now (None: not playing, and it leaves).

        ``current``: the interval its live view ticks at (None if not yet); it is kept unless
        the wanted one differs by more than a quarter (so jitter in the count costs no rerun).
        ``fastest``: the page's own shortest interval (a /gan tick is heavier: 0.5 s)."""
        if not playing:
            self.leave(session)
            return None
        self.beat(session, now, current or fastest)
        wanted = max(fastest, self.interval(self.active(now)))
        return current if current and abs(wanted - current) <= 0.25 * current else round(wanted, 2)

    def interval(self, trainers: int) -> float:
        if trainers <= 1:
            return TICK_SECONDS
        return max(TICK_SECONDS, trainers * TICK_COST_S / self.share)


TRAINERS = TrainerRegistry()  # one per process, shared by every session
