from datetime import timedelta

from bot.engine.clock import ManualClock, Timers


async def test_manual_clock_wakes_timers_in_order_only_when_due() -> None:
    clock = ManualClock()
    timers = Timers(clock)
    fired: list[str] = []

    async def note(name: str) -> None:
        fired.append(name)

    start = clock()
    timers.schedule("b", start + timedelta(seconds=20), lambda: note("b"))
    timers.schedule("a", start + timedelta(seconds=10), lambda: note("a"))
    await clock.advance(9)
    assert fired == []
    await clock.advance(1)
    assert fired == ["a"]
    assert timers.pending == {"b"}
    await clock.advance(30)
    assert fired == ["a", "b"]
    assert timers.pending == set()


async def test_rescheduling_replaces_and_cancel_stops() -> None:
    clock = ManualClock()
    timers = Timers(clock)
    fired: list[int] = []

    async def note(n: int) -> None:
        fired.append(n)

    timers.schedule("k", clock() + timedelta(seconds=5), lambda: note(1))
    timers.schedule("k", clock() + timedelta(seconds=8), lambda: note(2))
    timers.schedule("gone", clock() + timedelta(seconds=5), lambda: note(3))
    timers.cancel("gone")
    await clock.advance(10)
    assert fired == [2]


async def test_a_past_moment_fires_at_once_and_a_callback_may_reschedule() -> None:
    clock = ManualClock()
    timers = Timers(clock)
    fired: list[str] = []

    async def first() -> None:
        fired.append("first")
        timers.schedule("k", clock() + timedelta(seconds=1), second)

    async def second() -> None:
        fired.append("second")

    timers.schedule("k", clock() - timedelta(seconds=1), first)
    await clock.advance(0)
    assert fired == ["first"] and timers.pending == {"k"}
    await clock.advance(1)
    assert fired == ["first", "second"]


async def test_close_cancels_everything() -> None:
    clock = ManualClock()
    timers = Timers(clock)
    fired: list[str] = []

    async def note() -> None:
        fired.append("late")

    timers.schedule("k", clock() + timedelta(seconds=5), note)
    await timers.close()
    await clock.advance(10)
    assert timers.pending == set() and fired == []
