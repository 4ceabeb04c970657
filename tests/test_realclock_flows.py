"""The commands that store a timer due now and go on, on the real clock end to end.

Why: the tests drive timers with a ManualClock, where nothing runs before the command
fires it. In production APScheduler runs such a timer as soon as the write that stored
it commits, concurrently with the command. Here the same flows run that way: each DM
is sent exactly once, nothing is lost, nothing is logged as an error.
"""

from __future__ import annotations

from collections import Counter

from bot.sim.world import User
from bot.texts import privacy as privacy_texts
from tests.realclock_support import real_clock_world, timers_done
from tests.session_support import start_session
from tests.support import accept_agreements, make_group
from tests.test_agreement_changes import change


def dms(world, user: User) -> Counter[str]:
    return Counter(m.content.split(".")[0] for m in world.sim.dms_to(user))


async def test_membership_agreement_end_and_forget_flows(tmp_path) -> None:
    async with real_clock_world(tmp_path) as world:
        sim, p = world.sim, world.people
        first = await make_group(world, co_leader=p[1], members=p[2:6])
        second = await make_group(world, name="Second", leader=p[7], members=[p[2], p[8]])
        await timers_done(world)
        lobby = first.lobby
        named = await sim.slash(
            first.leader,
            "group leaders",
            channel=lobby,
            options={"leader": p[0], "co_leader": p[2]},
        )
        assert named.text.startswith("Leaders of"), named.text
        await timers_done(world)
        for command, who in (("group remove", p[3]), ("group add", p[3]), ("group add", p[9])):
            answer = await sim.slash(first.leader, command, channel=lobby, options={"member": who})
            assert " has left " in answer.text or " is now a member " in answer.text, answer.text
            await timers_done(world)
        await accept_agreements(world, [p[9]])
        _, submitted = await change(world, first)
        assert "version 2" in submitted.text, submitted.text
        await timers_done(world)
        await accept_agreements(world, [*first.everyone, p[9]])
        session, room = await start_session(world, first)
        for person in p[2:5]:
            await sim.post(person, room, "thinking")
        await sim.slash(first.leader, "session end", channel=room)
        await timers_done(world)
        asked = await sim.slash(p[2], "privacy forget", channel=lobby)
        pressed = await sim.click(p[2], asked.original, f"balint:forget:{p[2].id}")
        assert pressed.text.startswith("Done"), pressed.text
        await timers_done(world)

        for person in p[:10]:
            doubled = [text for text, n in dms(world, person).items() if n > 1]
            assert doubled == [], f"{person.name} got twice: {doubled}"
        for person in [*first.everyone, p[9]]:  # each asked again once, after the change
            again = [t for t in dms(world, person) if "agreement of “Tuesday group” again" in t]
            assert len(again) == 1, (person.name, dms(world, person))
        for person in (p[3], p[4]):  # they came and spoke (p[2] too, then erased themselves)
            assert any("Thank you for coming" in t for t in dms(world, person)), person.name
        assert any("added to the Balint group “Tuesday group”" in t for t in dms(world, p[9]))
        for handle in (first, second):
            told = [
                m.content for m in sim.messages_in(sim.channel(handle.group.leaders_channel_id))
            ]
            assert told.count(privacy_texts.LEADERS_ERASED) == 1, told
