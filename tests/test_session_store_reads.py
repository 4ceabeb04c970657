"""What one interaction of a meeting costs the store, and that reading less shows the same.

Issue #5 wants session commands fast at 1,000 interactions/s; store statements are a
large part of the bot's own work per interaction.  The status message is rendered from
the state the change stored rather than read back: it must show what the store holds.
"""

from __future__ import annotations

from bot.domain.phases import Phase
from cogs._session_status import render
from cogs._session_views import status_components, status_view
from tests.session_support import button, leader, start_session, status_message
from tests.support import make_group


async def test_the_status_shows_what_the_store_holds(scenario):
    world = scenario
    handle = await make_group(world, size=6)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a, b, c = handle.members[:3]
    for user, action in ((b, "raise"), (a, "raise"), (c, "raise"), (b, "lower")):
        message = await status_message(world, session)
        await world.sim.click(user, message, button(message, action))
    message = await status_message(world, session)
    await world.sim.click(handle.leader, message, button(message, "nextspk"))
    message = await status_message(world, session)
    live = await world.bot.get_cog("Facilitation").engine.fetch(session.id)
    assert live is not None and live.state.floor_holder == a.id
    embed, view = await render(world.bot, live)
    assert message.embeds == [embed.to_dict()]
    assert message.custom_ids() == {item.custom_id for item in view.children}  # type: ignore[attr-defined]


def test_the_status_buttons_payload_is_what_the_view_gives():
    """The edit sends a cached payload, not a View: it must be the very same buttons."""
    for phase in Phase:
        for holder in (None, 0, 1234):
            expected = status_view(77, phase, holder).to_components()
            sent = status_components(77, phase, holder).to_components()
            assert sent == expected
            sent[0]["components"][0]["label"] = "changed"  # one edit's payload is its own
            assert status_components(77, phase, holder).to_components() == expected
