"""The bot freezes its start-up heap once, at its first READY, so gen-2 GC pauses stay short."""

from __future__ import annotations

import gc

import bot.app
from bot.app import BalintBot
from bot.heap import freeze_startup_heap
from bot.sim.scenario import Scenario


def test_freeze_moves_the_live_objects_out_of_the_collectors_sight():
    try:
        frozen = freeze_startup_heap()
        assert frozen == gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


async def test_the_bot_freezes_at_its_first_ready_only(tmp_path, monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(bot.app, "freeze_startup_heap", lambda: calls.append(1) or 0)
    world = Scenario(tmp_path / "balint.sqlite3")
    real = BalintBot(world.settings(), clock=world.clock)
    world.bot = real
    await world.sim.attach(real)
    try:
        assert calls == [1]
        real.dispatch("ready")  # a new session after a lost connection fires READY again
        await world.sim.settle()
        assert calls == [1]
    finally:
        await world.sim.detach(real)
    assert not world.problems()


async def test_simulated_worlds_do_not_freeze(scenario, monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(bot.app, "freeze_startup_heap", lambda: calls.append(1) or 0)
    scenario.bot.dispatch("ready")
    await scenario.sim.settle()
    assert calls == []
