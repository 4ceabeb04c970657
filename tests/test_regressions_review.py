"""Regressions found by a review of this stop's own changes; each test failed before its fix:
the guard's dose-unit exclusion swallowing real phone numbers, and a deleted lobby's
cleared id turning reminder links into ".../None"."""

from __future__ import annotations

import pytest

from bot.sim.scenario import Scenario
from tests.test_guard_cog import WARNING, post, seed_group

# --- 1. guard: the new unit exclusion hides real phone numbers -------------------------------

PHONES_FOLLOWED_BY_A_UNIT_LOOKALIKE = [
    # An Australian address word ("unit 4") right after a mobile number.
    "Her mobile 0412 345 678 unit 4 of the flats behind the surgery.",
    # "g'" is read as grams: (?![A-Za-z]) lets the apostrophe through.
    "She picks up 0412 345 678 g'day-style, every single time.",
    # "L" (litres) followed by a full stop: an initial after the number.
    "Daughter's number 07700 900123 L. gave it to me herself.",
]


@pytest.mark.parametrize("text", PHONES_FOLLOWED_BY_A_UNIT_LOOKALIKE)
async def test_review_phone_followed_by_unit_lookalike_is_missed(
    scenario: Scenario, text: str
) -> None:
    """bot/domain/guard.py `_UNIT`: any phone match followed by ' unit', ' g<non-letter>',
    ' l<non-letter>' ... is discarded as a dose, so a real number passes the guard.
    Before 87d0ce1..HEAD these were flagged."""
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    message = await post(scenario, author, lobby, text)
    assert WARNING in message.reactions, f"phone number not flagged: {text!r}"


# --- 2. a lobby deleted by hand: its id is now cleared, and "None" goes into links ----------


async def test_review_reminder_after_lobby_deleted_links_to_none(scenario) -> None:
    """cogs/_groups_deletions.py `_tell` now sets the lobby id to None once the leaders are
    told; cogs/_schedule_events.py `lobby_url` formats it unguarded, so every reminder DM
    (and the Discord event's location, the .ics) until /group repair carries
    "https://discord.com/channels/<guild>/None"."""
    from tests.support import make_group
    from tests.test_schedule_reminders import reminders, weekly

    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    await world.sim.delete_channel(g.lobby)
    await world.sim.settle()
    await world.advance(hours=10)  # the 24 h reminder
    (dm,) = reminders(world, g.members[0])
    assert "/None" not in dm.content, dm.content
