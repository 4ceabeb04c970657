"""The identifier guard reads a member's poll: its question and its answers.

A poll is a message whose content is empty: what the member wrote is in the
question and the answers (`written` in cogs/confidentiality.py), and everyone who
sees the channel reads them. Posted through the simulator as Discord sends it
(bot/sim/polls.py).
"""

from __future__ import annotations

import pytest

from bot.sim.scenario import Scenario
from tests.test_guard_cog import WARNING, seed_group, without_mentions

# (question, answers, the identifier that must never be quoted back, the kind told)
FLAGGED = [
    ("Who saw Mrs K, NHS 943 476 5919, last?", ["Me", "Not me"], "943 476 5919", "an NHS number"),
    ("Which date is right?", ["12/03/1956", "Not sure"], "12/03/1956", "a full date"),
    ("Ring her back?", ["Yes", "on 07700 900123"], "07700 900123", "a phone number"),
]


@pytest.mark.parametrize(("question", "answers", "identifier", "kind"), FLAGGED)
async def test_warn_mode_flags_a_poll_and_quotes_nothing(
    scenario: Scenario, question: str, answers: list[str], identifier: str, kind: str
) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    poll = await scenario.sim.post_poll(author, lobby, question, answers)
    assert poll is not None
    await scenario.sim.settle()
    assert WARNING in poll.reactions and not poll.deleted
    (dm,) = scenario.sim.dms_to(author)
    assert kind in dm.content and f"<#{lobby.id}>" in dm.content
    words = without_mentions(dm.content)
    assert identifier not in words and question not in words
    assert not any(answer in words for answer in answers)


@pytest.mark.parametrize(("question", "answers", "identifier", "kind"), FLAGGED)
async def test_remove_mode_removes_a_poll_and_quotes_nothing(
    scenario: Scenario, question: str, answers: list[str], identifier: str, kind: str
) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[2]
    poll = await scenario.sim.post_poll(author, lobby, question, answers)
    assert poll is not None
    await scenario.sim.settle()
    assert poll.deleted and poll not in scenario.sim.messages_in(lobby)
    (dm,) = scenario.sim.dms_to(author)
    assert "removed" in dm.content and kind in dm.content
    assert identifier not in without_mentions(dm.content)


async def test_an_ordinary_poll_passes(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[1]
    poll = await scenario.sim.post_poll(
        author, lobby, "Next meeting: 10:30 or 14:00?", ["10:30", "14:00", "Either, 2 h max"]
    )
    assert poll is not None
    await scenario.sim.settle()
    assert not poll.deleted and not poll.reactions
    assert scenario.sim.dms_to(author) == []
