"""A phase's name inside a sentence, as a tired leader reads it.

Found by review: the phase "Who has a case?" is a question, so unquoted it broke the
sentences around it: "Tuesday group: Who has a case? ends in 2 minutes", "the meeting
stays in Who has a case?." (a question mark and a full stop). Each such sentence now puts
the name in quotes. And an auto-advance that Discord failed for a passing reason asked
the leaders to "please try again shortly", though they had run nothing and the bot
tries again by itself a minute later: the DM now says so. An auto-end failed the same way
said "once that is fixed": it now asks the leaders to end it themselves.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import RETRY_AFTER
from bot.store import groups as group_store
from tests.session_support import leader, phase, start_session
from tests.support import make_group

PERMISSION_ROUTE = "/channels/{channel_id}/permissions/{overwrite_id}"
CASE_CALL = "“Who has a case?”"


async def test_the_case_call_is_quoted_in_the_warning_the_extension_and_a_failure(
    allow_errors,
) -> None:
    world, sim = allow_errors, allow_errors.sim
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    extended = await leader(world, handle, "phase extend", channel, minutes=5)
    assert extended.text.startswith(f"{CASE_CALL} now ends"), extended.text
    await world.advance(minutes=8)  # the warning before the phase's end
    [warning] = [m.content for m in sim.dms_to(handle.leader) if " ends <t:" in m.content]
    assert f"{CASE_CALL} ends" in warning, warning

    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    sim.inject("PUT", PERMISSION_ROUTE, 403, 50013)
    failed = await leader(world, handle, "phase next", channel)
    assert f"stays in {CASE_CALL}." in failed.text, failed.text
    assert "?." not in failed.text


async def test_an_auto_advance_discord_failed_for_now_says_the_bot_tries_again(scenario) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    sim.inject_network("PUT", PERMISSION_ROUTE)
    await world.advance(minutes=5)
    [dm] = [m.content for m in sim.dms_to(handle.leader) if "could not move on" in m.content]
    assert "try again shortly" not in dm, dm  # the leaders ran nothing to try again
    assert "I will try again in a minute" in dm, dm
    assert "`/phase next`" in dm and CASE_CALL in dm, dm
    await world.advance(seconds=RETRY_AFTER[0].total_seconds())
    assert await phase(world, session) == "presentation"  # as the DM promised


async def test_an_auto_end_discord_failed_for_now_asks_to_end_it_not_to_fix_it(
    allow_errors,
) -> None:
    """The DM said "Discord did not answer properly: please try again shortly. Once that is
    fixed, end it with /session end": nothing was for the leaders to fix or wait for."""
    world, sim = allow_errors, allow_errors.sim
    world.clock.set(datetime(2027, 3, 1, 18, tzinfo=UTC))
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_end=1)
    await leader(world, handle, "schedule once", handle.lobby, date="2027-03-01", time="18:30")
    await world.advance(minutes=30)
    session, _ = await start_session(world, handle)
    sim.inject_network("PUT", PERMISSION_ROUTE)
    await world.advance(minutes=95)  # past the scheduled end (90 minutes)
    [dm] = [m.content for m in sim.dms_to(handle.leader) if "could not end" in m.content]
    assert "fixed" not in dm and "try again shortly" not in dm, dm
    assert "end it with `/session end`" in dm and "“Check-in”" in dm, dm
    assert await phase(world, session) == "check_in"
