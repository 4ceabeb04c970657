"""People's names in the bot's messages and files show as written: no markup, no pings.

A member's nickname is theirs to choose; the bot puts it into ephemeral replies
and the attendance certificate (a Markdown file a GP hands in). These tests give
members hostile names and read what the simulator recorded.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import names
from bot.sim.scenario import Scenario
from bot.sim.world import User
from bot.textfit import MESSAGE_LIMIT
from bot.texts import attendance as texts
from tests.support import make_group
from tests.test_attendance_support import add_session, files_of, present

TUESDAY = datetime(2026, 11, 17, 19, 0, tzinfo=UTC)
HOSTILE = "**Dr** _Smith_ <@123456789012345678> @everyone ||a|| `x` [y](http://evil)"
HEADING = "# Big"


async def _rename(world: Scenario, user: User, nick: str) -> None:
    """The member sets a server nickname; Discord tells the bot by GUILD_MEMBER_UPDATE."""
    member = world.member(user)
    member.nick = nick
    world.sim.dispatch_member_update(world.guild, member)
    await world.sim.settle()


def test_a_hostile_name_is_escaped_for_markdown_and_left_plain_elsewhere() -> None:
    assert names.markdown(HOSTILE) == (
        r"\*\*Dr\*\* \_Smith\_ \<@" + "\u200b" + r"123456789012345678\> @" + "\u200b"
        r"everyone \|\|a\|\| \`x\` \[y\](http\://evil)"
    )
    assert names.markdown(HEADING) == r"\# Big"
    assert names.markdown("1. Smith") == r"1\. Smith"
    assert names.markdown("-# small") == r"\-# small"
    assert names.markdown("Dr. O'Brien-Smith") == "Dr. O'Brien-Smith"  # ordinary names untouched
    assert names.code("a```b") == "a'''b"
    assert names.spreadsheet("=HYPERLINK()") == "'=HYPERLINK()"


def test_the_longest_escaped_name_still_fits_the_messages_it_goes_in() -> None:
    """Escaping lengthens a name: Discord's 32-character display name, every character
    markup, in the longest message that carries one, with the longest group name."""
    worst = names.markdown("<" * 32)
    assert len(worst) == 64
    group = "g" * 50
    for template in (texts.NOT_IN_GROUP, texts.CERT_DONE):
        assert len(template.format(member=worst, group=group)) <= MESSAGE_LIMIT


async def test_a_hostile_name_shows_as_written_in_replies_and_the_certificate(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=2)
    member = handle.members[0]
    await _rename(scenario, member, HOSTILE)
    await _rename(scenario, handle.leader, "[Dr Lead")  # with a co-named second leader, a link
    sid = await add_session(scenario, handle.group.id, TUESDAY - timedelta(weeks=1))
    await present(scenario, sid, member)
    scenario.bot.dispatch("balint_session_ended", sid)
    await scenario.sim.settle()

    result = await scenario.sim.slash(
        handle.leader, "attendance certificate", channel=handle.lobby, options={"member": member}
    )
    shown = names.markdown(HOSTILE)
    assert result.ephemeral
    assert result.messages[-1].content == texts.CERT_DONE.format(member=shown, group=handle.name)
    assert HOSTILE not in result.text and "<@123456789012345678>" not in result.text
    [(_, data)] = files_of(result)
    text = data.decode("utf-8")
    assert texts.CERT_MEMBER.format(name=shown) in text
    assert texts.CERT_LEADERS.format(names=r"\[Dr Lead") in text
    assert HOSTILE not in text

    await _rename(scenario, scenario.outsider, HEADING)
    refused = await scenario.sim.slash(
        handle.leader,
        "attendance mark",
        channel=handle.lobby,
        options={"member": scenario.outsider, "status": "present"},
    )
    assert refused.ephemeral
    assert refused.text == texts.NOT_IN_GROUP.format(member=r"\# Big", group=handle.name)


async def test_a_right_to_left_override_in_a_name_does_not_reverse_the_rest_of_the_line(
    scenario: Scenario,
) -> None:
    """A nickname holding U+202E (right-to-left override) with no closing U+202C: put into
    a line as it is, everything after it in that line shows reversed, so the certificate's
    '(led by ...)' and the reply's group name read backwards. Bidi controls are dropped;
    the name's letters stay."""
    handle = await make_group(scenario, size=2)
    member = handle.members[0]
    await _rename(scenario, member, "\u202eDr Smith")
    await _rename(scenario, handle.leader, "\u2067Lead\u202d")
    sid = await add_session(scenario, handle.group.id, TUESDAY - timedelta(weeks=1))
    await present(scenario, sid, member)
    scenario.bot.dispatch("balint_session_ended", sid)
    await scenario.sim.settle()
    result = await scenario.sim.slash(
        handle.leader, "attendance certificate", channel=handle.lobby, options={"member": member}
    )
    [(_, data)] = files_of(result)
    text = data.decode("utf-8")
    controls = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert not controls & set(result.text + text)
    assert texts.CERT_MEMBER.format(name="Dr Smith") in text
    assert texts.CERT_LEADERS.format(names="Lead") in text
    assert names.code("a\u202eb") == "ab"
