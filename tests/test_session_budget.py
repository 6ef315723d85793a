"""Per-session and per-process caps (lossviz/session_budget.py), on a fake clock."""

import threading

import pytest

from lossviz.session_budget import NEW_EXPRESSIONS_PER_MINUTE, SessionBudget, TickGate


def test_session_budget_allows_the_limit_per_window_and_repeats_for_free():
    budget = SessionBudget(limit=3, window_s=60)
    assert [budget.allow(f"e{i}", now=0.0) for i in range(4)] == [True, True, True, False]
    assert budget.allow("e1", now=1.0)  # already allowed: no cost
    assert not budget.allow("e9", now=59.0)
    assert budget.allow("e9", now=60.5)  # the first three left the window
    assert SessionBudget().limit == NEW_EXPRESSIONS_PER_MINUTE


def test_session_budget_memory_stays_bounded():
    budget = SessionBudget(limit=2, window_s=1)
    for i in range(1000):
        budget.allow(i, now=float(i))
    assert len(budget.seen) <= 4 * 2 + 1


class FakeClock:
    def __init__(self):
        self.now, self.sleeps = 100.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 9))
        self.now += seconds


def test_tick_gate_keeps_the_share_of_wall_time():
    clock = FakeClock()
    gate = TickGate(share=0.25, clock=clock, sleep=clock.sleep)
    with gate.turn():
        clock.now += 0.1  # a tick that took 100 ms
    with gate.turn():  # must wait 0.1 * (1/0.25 - 1) = 0.3 s
        clock.now += 0.2
    assert clock.sleeps == [0.3]
    clock.now += 1.0  # idle long enough: no wait
    with gate.turn():
        pass
    assert clock.sleeps == [0.3] and gate.turns == 3
    # busy share of the first two turns: 0.3 s of work in 0.1 + 0.3 + 0.2 s
    assert gate.waited_s == pytest.approx(0.3)


def test_tick_gate_with_share_one_only_serialises():
    clock = FakeClock()
    gate = TickGate(share=1.0, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        with gate.turn():
            clock.now += 0.1
    assert clock.sleeps == []


def test_tick_gate_turn_ends_on_an_exception_so_others_are_not_locked_out():
    clock = FakeClock()
    gate = TickGate(share=0.5, clock=clock, sleep=clock.sleep)
    with pytest.raises(RuntimeError):
        with gate.turn():
            clock.now += 0.1
            raise RuntimeError("st.rerun() raises through the fragment too")
    with gate.turn():
        pass
    assert gate.turns == 2 and clock.sleeps == [pytest.approx(0.1)]


def test_tick_gate_turns_never_overlap_and_are_served_in_order():
    gate = TickGate(share=1.0)
    inside, order, overlaps = [0], [], []
    first_in = threading.Event()
    release = threading.Event()

    def tick(name):
        with gate.turn():
            inside[0] += 1
            overlaps.append(inside[0] > 1)
            order.append(name)
            if name == 0:
                first_in.set()
                release.wait(5)
            inside[0] -= 1

    threads = [threading.Thread(target=tick, args=(0,))]
    threads[0].start()
    first_in.wait(5)
    for name in (1, 2, 3):  # queue up behind the first, one after another
        thread = threading.Thread(target=tick, args=(name,))
        thread.start()
        threads.append(thread)
        while gate._issued <= name:  # its ticket is drawn before the next thread starts
            threading.Event().wait(0.001)
    release.set()
    for thread in threads:
        thread.join(5)
    assert order == [0, 1, 2, 3] and not any(overlaps)


def test_gated_runs_in_a_turn_only_when_asked():
    clock = FakeClock()
    gate = TickGate(share=0.5, clock=clock, sleep=clock.sleep)
    playing = [False]

    @gate.gated(lambda: playing[0])
    def live_view():
        """doc"""
        clock.now += 0.1
        return "drawn"

    assert live_view() == "drawn" and gate.turns == 0
    playing[0] = True
    assert live_view() == "drawn" and live_view() == "drawn" and gate.turns == 2
    assert live_view.__name__ == "live_view" and live_view.__doc__ == "doc"
    with pytest.raises(ValueError):
        TickGate(share=0)


def test_trainer_registry_spreads_ticks_so_trainers_share_half_the_process():
    from lossviz.session_budget import TICK_COST_S, TICK_SECONDS, TrainerRegistry

    registry = TrainerRegistry(share=0.5, ttl_s=2.0)
    assert registry.interval(registry.active(0.0)) == TICK_SECONDS  # nobody: full rate
    for k in range(6):
        registry.beat(f"s{k}", now=10.0)
    assert registry.active(10.5) == 6
    interval = registry.interval(6)
    assert 6 * TICK_COST_S / interval == pytest.approx(0.5)  # all ticks together: half the process
    registry.beat("s0", now=12.4)
    assert registry.active(12.5) == 1  # the others stopped beating more than 2 s ago
    assert registry.interval(1) == TICK_SECONDS
    registry.leave("s0")
    assert registry.active(12.5) == 0
    with pytest.raises(ValueError):
        TrainerRegistry(share=0)


def test_paced_keeps_the_interval_until_it_is_off_by_a_quarter_and_respects_the_page_floor():
    from lossviz.session_budget import TICK_COST_S, TICK_SECONDS, TrainerRegistry

    registry = TrainerRegistry(share=0.5, ttl_s=2.0)
    assert registry.paced("gan", 0.0, playing=True, current=None, fastest=0.5) == 0.5  # /gan alone: its own floor
    assert registry.paced("tr", 0.0, playing=True, current=None) == round(2 * TICK_COST_S / 0.5, 2)  # two now
    for k in range(4):
        registry.beat(f"s{k}", now=0.1)
    six = round(6 * TICK_COST_S / 0.5, 2)
    assert registry.paced("tr", 0.2, playing=True, current=0.36) == six  # 0.36 is off by more than a quarter
    assert registry.paced("tr", 0.3, playing=True, current=six * 1.1) == six * 1.1  # jitter: kept, no rerun
    assert registry.paced("tr", 0.4, playing=False, current=six) is None  # paused: it leaves
    assert registry.active(0.4) == 5
    assert registry.paced("gan", 0.5, playing=True, current=0.5) == round(5 * TICK_COST_S / 0.5, 2)
