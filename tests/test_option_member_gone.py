"""A command naming someone who is no longer in the server gets a plain answer.

Why: Discord sends a user option for a person who left the server (between the
picker and Enter, or an id pasted) without member data; discord.py then cannot
make a Member of it (TransformerError). That answered "something went wrong on my
side" and logged an ERROR, though nothing is wrong and the user can be told why.
"""

from __future__ import annotations

from bot.texts import common as texts
from tests.session_support import start_session
from tests.support import make_group


async def test_naming_someone_who_left_the_server_says_so(scenario) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    _, channel = await start_session(world, handle)
    gone = handle.members[1]
    await sim.leave_server(gone)
    for command, options in (
        ("group add", {}),
        ("case pick", {}),
        ("attendance mark", {"status": "present"}),
    ):
        result = await sim.slash(
            handle.leader, command, channel=channel, options={"member": gone, **options}
        )
        assert result.ephemeral, command
        assert result.text == texts.NOT_IN_SERVER.format(who=gone.mention), (command, result.text)
    assert not world.problems(), world.problems()
