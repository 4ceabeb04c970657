"""The bot starts against the simulator and answers /balint about."""

from __future__ import annotations

from bot.sim.scenario import Scenario

CALLBACK = "/interactions/{interaction_id}/{token}/callback"


async def test_bot_starts_syncs_and_answers_about_ephemerally(scenario: Scenario) -> None:
    uploaded = scenario.sim.commands
    assert uploaded, "the simulator received the bot's command schema"
    result = await scenario.sim.slash(scenario.people[0], "balint about")
    assert result.ephemeral
    assert "balint-bot" in result.text
    assert "never store what anyone writes" in result.text
    assert "Identifier guard: on" in result.text
    assert scenario.sim.calls_matching("POST", CALLBACK)


async def test_about_says_guard_is_off_without_message_content(tmp_path) -> None:
    world = Scenario(tmp_path / "db.sqlite3", message_content_intent=False)
    await world.start()
    try:
        result = await world.sim.slash(world.people[0], "balint about")
        assert "Identifier guard: off" in result.text
    finally:
        await world.stop()
    assert not world.problems()


async def test_a_403_on_the_answer_is_logged_and_the_bot_keeps_going(scenario: Scenario) -> None:
    scenario.sim.inject("POST", CALLBACK, 403, code=50013)
    await scenario.sim.slash(scenario.people[0], "balint about")
    await scenario.sim.settle()
    logged = [e.getMessage() for e in scenario.sim.errors if hasattr(e, "getMessage")]
    assert any("balint about" in line and "50013" in line for line in logged), logged
    scenario.sim.errors.clear()
    again = await scenario.sim.slash(scenario.people[0], "balint about")
    assert again.ephemeral and "balint-bot" in again.text
