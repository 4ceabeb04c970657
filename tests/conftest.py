"""Fixtures: a real BalintBot on a fresh database against a fresh simulated server.

At teardown the test fails if the bot logged an error, raised in a task, or
called a route the simulated Discord does not have; and any test fails if the bot
made a REST call inside one of its store transactions (`no_rest_in_transaction`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from bot.sim.scenario import Scenario
from bot.sim.simulator import Simulator
from tests.sim_bot import SimBot


@pytest.fixture(autouse=True)
def no_rest_in_transaction(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every simulator the test makes records the REST calls its bot made with a store
    transaction open (bot/sim/tracking.py `held_lock`): the write lock is held for the
    round trip, so other interactions' first answers wait behind it. None is allowed:
    call Discord before the transaction or after it (see bot/store/database.py)."""
    made: list[Simulator] = []
    init = Simulator.__init__

    def recording(self: Simulator, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(Simulator, "__init__", recording)
    yield
    found = [call for sim in made for call in sim.calls_in_transaction]
    assert not found, "REST calls inside a store transaction:\n" + "\n".join(found)


@pytest.fixture
async def scenario(tmp_path) -> AsyncIterator[Scenario]:
    world = Scenario(tmp_path / "balint.sqlite3")
    await world.start()
    yield world
    problems = world.problems()
    await world.stop()
    assert not problems, "\n".join(problems)


@pytest.fixture
def allow_errors(scenario: Scenario) -> Scenario:
    """For fault-injection tests: clear recorded errors the test has already asserted on."""
    return scenario


@pytest.fixture
async def big(tmp_path) -> AsyncIterator[Scenario]:
    """A server where one group has the largest size the configuration allows (100
    members, leaders not counted, and two leaders: 102 people)."""
    world = Scenario(tmp_path / "big.sqlite3", people=102, max_group_size=100)
    await world.start()
    try:
        yield world
    finally:
        await world.stop()


@pytest.fixture
async def bare_sim() -> AsyncIterator[tuple]:
    """The simulator alone with a minimal bot (tests/sim_bot.py), for its conformance
    tests: (simulator, the server "Rural GPs", its member alice, the bot)."""
    sim = Simulator()
    guild = sim.add_guild("Rural GPs")
    alice = sim.add_user("alice")
    sim.add_member(guild, alice)
    bot = SimBot()
    await sim.attach(bot)
    yield sim, guild, alice, bot
    if sim.bot is not None:
        await sim.detach()
