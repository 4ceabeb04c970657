"""A 502 on a message the bot posts by the raw route (a phase line, the status message
posted again after a moderator deleted it): discord.py sends the request again, and if
Discord had posted it before its edge answered 502, the channel showed it twice (the
status with a second set of live-looking buttons). channel.send carries a nonce with
enforce_nonce (discord.py adds one); the raw posts did not.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from tests.session_support import leader, reload, start_session, status_message
from tests.support import make_group

MESSAGES = "/channels/{channel_id}/messages"


def _status_messages(scenario: Scenario, room, session_id: int) -> list[int]:  # noqa: ANN001
    mark = f"balint:s:{session_id}:"
    return [
        m.id
        for m in scenario.sim.messages_in(room)
        if not m.deleted and any(c.startswith(mark) for c in m.custom_ids())
    ]


async def test_a_502_on_a_phase_line_posts_it_once(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    session, room = await start_session(scenario, handle)
    before = {m.id for m in sim.messages_in(room)}
    sim.inject_lost("POST", MESSAGES, 502)
    await leader(scenario, handle, "phase next", room)
    await sim.settle()
    lines = [m.content for m in sim.messages_in(room) if m.id not in before and m.content]
    assert lines and len(lines) == len(set(lines)), f"a line posted twice: {lines}"


async def test_a_502_on_the_status_posted_again_leaves_one_status(scenario: Scenario) -> None:
    """A moderator deleted the status message; the bot posts it again, Discord posts it
    and answers 502, discord.py sends it again: two sets of the meeting's buttons."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    session, room = await start_session(scenario, handle)
    sim.inject_lost("POST", MESSAGES, 502)
    sim.delete_message(await status_message(scenario, session))
    await sim.settle()
    stored = (await reload(scenario, session)).status_message_id
    assert _status_messages(scenario, room, session.id) == [stored]
