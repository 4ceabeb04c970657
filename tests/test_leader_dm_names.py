"""A leader of two same-named groups on two servers: the notices they get by DM say which.

Why: a DM comes from the bot, not from a server. "Thursday Balint: Check-in ends in
2 minutes" means nothing to a GP who leads "Thursday Balint" on two servers; the name is
followed by its server for them, as in the members' DMs (cogs/_dm_names.py).
"""

from __future__ import annotations

from tests.case_helpers import call_message, case_call, start_meeting
from tests.multiserver_support import second_server, weekly
from tests.session_support import start_session
from tests.support import GroupHandle, make_group

HERE = "Thursday Balint (Rural GPs)"


async def _two_servers(world) -> GroupHandle:
    """p[0] leads "Thursday Balint" here and is a member of its namesake on Coastal GPs;
    p[11] co-leads only the one here."""
    p = world.people
    coastal = await second_server(world)
    here = await make_group(
        world, name="Thursday Balint", leader=p[0], co_leader=p[11], members=p[1:5]
    )
    await make_group(
        world, name="Thursday Balint", leader=p[6], members=[p[0], p[7]], guild=coastal
    )
    return here


def _dms(world, user, words: str) -> list[str]:
    return [m.content for m in world.sim.dms_to(user) if words in m.content]


async def test_phase_warning_dm_names_the_server_for_a_leader_of_namesakes(scenario) -> None:
    world = scenario
    here = await _two_servers(world)
    await start_session(world, here)
    await world.advance(minutes=3, seconds=30)  # two minutes before check-in ends
    (warning,) = _dms(world, here.leader, "“Check-in” ends")
    assert warning.startswith(f"{HERE}:"), warning
    (plain,) = _dms(world, here.co_leader, "“Check-in” ends")
    assert plain.startswith("Thursday Balint:"), plain


async def test_quorum_warning_dm_names_the_server_for_a_leader_of_namesakes(scenario) -> None:
    world = scenario
    here = await _two_servers(world)
    await weekly(world, here, weekday=1)  # Tuesday 19:00: the quorum check is Monday 19:00
    await world.advance(hours=10)
    (warning,) = _dms(world, here.leader, "Heads-up")
    assert HERE in warning, warning
    (plain,) = _dms(world, here.co_leader, "Heads-up")
    assert "Thursday Balint " in plain and "(Rural GPs)" not in plain, plain


async def test_a_notice_by_dm_for_want_of_a_leaders_channel_names_the_server(scenario) -> None:
    """tell_leaders falls back to DMs (here: the leaders' channel itself was deleted)."""
    world = scenario
    here = await _two_servers(world)
    await world.sim.delete_channel(world.sim.channel(here.group.leaders_channel_id))
    (notice,) = _dms(world, here.leader, "Someone deleted")
    assert f"“{HERE}”" in notice, notice
    (plain,) = _dms(world, here.co_leader, "Someone deleted")
    assert "“Thursday Balint”" in plain, plain


async def _without_leaders_channel(world) -> GroupHandle:
    """The two servers, with the leaders' channel of the one here deleted by hand."""
    here = await _two_servers(world)
    await world.sim.delete_channel(world.sim.channel(here.group.leaders_channel_id))
    return here


async def test_a_case_offered_by_dm_says_which_group(scenario) -> None:
    """ "<@member> offered a case." alone does not say which of two groups it is about."""
    world = scenario
    here = await _without_leaders_channel(world)
    session_id, channel = await start_meeting(world, here)
    await case_call(world, session_id)
    volunteer = here.members[0]
    call = call_message(world, channel)
    await world.sim.click(volunteer, call, f"balint:offer:{session_id}:case")
    (offered,) = _dms(world, here.leader, "offered a case")
    assert offered == f"{HERE}: <@{volunteer.id}> offered a case.", offered
    (plain,) = _dms(world, here.co_leader, "offered a case")
    assert plain == f"Thursday Balint: <@{volunteer.id}> offered a case.", plain


async def test_a_role_taken_back_by_dm_says_which_group(scenario) -> None:
    world = scenario
    here = await _without_leaders_channel(world)
    stranger = world.outsider
    assert await world.sim.give_role(world.admin, stranger, here.role)
    await world.sim.settle()
    (notice,) = _dms(world, here.leader, "by hand")
    assert notice.startswith(f"{HERE}: <@{stranger.id}> was given the role"), notice
    (plain,) = _dms(world, here.co_leader, "by hand")
    assert plain.startswith(f"Thursday Balint: <@{stranger.id}>"), plain


async def test_a_member_lost_connection_dm_names_the_server(scenario) -> None:
    """/away: "<@member> lost connection" reaches the leaders by DM, which says which group."""
    world = scenario
    here = await _two_servers(world)
    _, channel = await start_session(world, here)
    away = here.members[0]
    await world.sim.slash(away, "away", channel=channel)
    await world.sim.settle()
    (notice,) = _dms(world, here.leader, "lost connection")
    assert notice.startswith(f"{HERE}: <@{away.id}> lost connection"), notice
    (plain,) = _dms(world, here.co_leader, "lost connection")
    assert plain.startswith(f"Thursday Balint: <@{away.id}>"), plain


async def test_the_silence_nudge_dm_names_the_server(scenario) -> None:
    world = scenario
    here = await _two_servers(world)
    _, channel = await start_session(world, here)
    for command, options in (
        ("phase goto", {"phase": "case_call"}),
        ("case pick", {"member": here.members[0]}),
        ("phase goto", {"phase": "discussion"}),
    ):
        done = await world.sim.slash(here.leader, command, channel=channel, options=options)
        assert done.ephemeral or done.text, done
    await world.advance(minutes=3, seconds=10)  # the default nudge: 3 minutes of silence
    (nudge,) = _dms(world, here.leader, "no message in the discussion")
    assert nudge.startswith(f"{HERE}:"), nudge
    (plain,) = _dms(world, here.co_leader, "no message in the discussion")
    assert plain.startswith("Thursday Balint:"), plain
