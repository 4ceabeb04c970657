"""The simulator's updates that are not edits match Discord's: a link preview, a pin.

Discord sends MESSAGE_UPDATE with the whole message for each, `edited_timestamp` left as
it was; a pin also sends CHANNEL_PINS_UPDATE and posts a "pinned a message" notice.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.sim.scenario import Scenario
from tests.test_guard_cog import post, seed_group


@pytest.fixture
def events(scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Every gateway event the simulator sends from now on."""
    seen: list[tuple[str, Any]] = []
    send = scenario.sim.dispatch

    def record(event: str, data: dict[str, Any]) -> None:
        seen.append((event, data))
        send(event, data)

    monkeypatch.setattr(scenario.sim, "dispatch", record)
    return seen


async def test_a_preview_is_a_full_update_that_is_not_an_edit(
    scenario: Scenario, events: list[tuple[str, Any]]
) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    message = await post(
        scenario, author, lobby, "the guideline: <https://a.example> https://b.example."
    )
    events.clear()
    assert await scenario.sim.unfurl(message)
    ((event, data),) = [e for e in events if e[0] == "MESSAGE_UPDATE"]
    assert data["content"] == message.content and data["author"]["id"] == str(author.id)
    assert data["edited_timestamp"] is None and data["member"] and data["guild_id"]
    assert [e["url"] for e in data["embeds"]] == ["https://b.example"]  # <...>: no preview
    assert not await scenario.sim.unfurl(message)  # previewed already
    assert await scenario.sim.edit(author, message, "now https://c.example")
    events.clear()
    assert await scenario.sim.unfurl(message)
    ((event, data),) = events
    assert data["edited_timestamp"] is not None  # the edit's, kept


async def test_a_pin_updates_the_message_and_posts_a_notice(
    scenario: Scenario, events: list[tuple[str, Any]]
) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    message = await post(scenario, author, lobby, "worth keeping")
    events.clear()
    assert not await scenario.sim.pin(scenario.people[2], message)  # no Pin Messages
    assert events == [] and not message.pinned
    assert await scenario.sim.pin(scenario.admin, message)
    kinds = [event for event, _ in events]
    assert kinds == ["MESSAGE_UPDATE", "CHANNEL_PINS_UPDATE", "MESSAGE_CREATE"]
    update, notice = events[0][1], events[2][1]
    assert update["pinned"] is True and update["edited_timestamp"] is None
    assert update["content"] == "worth keeping"
    assert notice["type"] == 6 and notice["author"]["id"] == str(scenario.admin.id)
    assert notice["message_reference"]["message_id"] == str(message.id)
    assert not await scenario.sim.pin(scenario.admin, message)  # pinned already
