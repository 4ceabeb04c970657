"""A changed agreement: a new version, everyone asked again, reminded at the session."""

from __future__ import annotations

from bot.sim.interactions import InteractionResult
from bot.sim.scenario import Scenario
from bot.sim.world import Message, User
from bot.store import consents
from bot.store import groups as group_store
from bot.texts import agreement as texts
from tests.session_support import start_session
from tests.support import GroupHandle, make_group
from tests.test_agreement import agree_id, agreement_dms

NEW_TEXT = "1. What is said here stays here.\n2. No names, no notes, no pictures."


async def change(
    scenario: Scenario, handle: GroupHandle, text: str = NEW_TEXT
) -> tuple[InteractionResult, InteractionResult]:
    sim = scenario.sim
    opened = await sim.slash(handle.leader, "group agreement set", channel=handle.lobby)
    assert opened.modal is not None, opened.text
    custom_id = opened.modal["custom_id"]
    submitted = await sim.submit_modal(handle.leader, custom_id, {"text": text})
    await sim.settle()
    return opened, submitted


async def test_the_modal_is_prefilled_and_a_change_asks_everyone_again(
    scenario: Scenario,
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, co_leader=scenario.people[1], size=2)
    opened, submitted = await change(scenario, handle)
    [row] = opened.modal["components"]
    [field] = row["components"]
    assert field["value"] == scenario.bot.settings.agreement_text
    assert field["max_length"] == 4000
    assert submitted.ephemeral
    assert submitted.text == texts.SET_DONE.format(name=handle.name, version=2)
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and group.agreement_version == 2
    assert group.agreement_text == NEW_TEXT
    # The author agreed by writing it; everyone else is asked, and keeps access meanwhile.
    assert await consents.latest(scenario.bot.db, group.id, handle.leader.id) == 2
    assert not [m for m in agreement_dms(scenario, handle.leader) if agree_id(m).endswith(":2")]
    for person in [handle.co_leader, *handle.members]:
        assert person is not None
        assert sim.can(person, handle.lobby, "send_messages")
        newest = agreement_dms(scenario, person)[-1]
        assert agree_id(newest) == f"balint:agree:{group.id}:2"
        assert NEW_TEXT in newest.embeds[0]["description"]
    shown = await sim.slash(handle.members[0], "group agreement show", channel=handle.lobby)
    assert NEW_TEXT in shown.text


async def test_an_old_button_resends_the_new_version(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=1)
    member = handle.members[0]
    old = agreement_dms(scenario, member)[0]
    await change(scenario, handle)
    count = len(agreement_dms(scenario, member))
    pressed = await sim.click(member, old, agree_id(old))
    assert pressed.ephemeral
    assert pressed.text == texts.OUTDATED.format(name=handle.name)
    await sim.settle()
    dms = agreement_dms(scenario, member)
    assert len(dms) == count + 1 and agree_id(dms[-1]).endswith(":2")
    assert await consents.latest(scenario.bot.db, handle.group.id, member.id) == 1
    pressed = await sim.click(member, dms[-1], agree_id(dms[-1]))
    assert pressed.text == texts.AGREED.format(version=2, name=handle.name)
    assert await consents.latest(scenario.bot.db, handle.group.id, member.id) == 2


def reminder_dms(scenario: Scenario, user: User) -> list[Message]:
    prefix = texts.SESSION_REMINDER_DM.split("“")[0]
    return [m for m in agreement_dms(scenario, user) if m.content.startswith(prefix)]


async def test_those_who_have_not_agreed_again_are_reminded_at_the_session(
    scenario: Scenario,
) -> None:
    """Privately: the session channel says the agreement changed and names nobody
    (colleagues read it); each one who has not agreed yet gets it again by DM."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    agreed, late, also_late = handle.members
    await change(scenario, handle)
    newest = agreement_dms(scenario, agreed)[-1]
    await sim.click(agreed, newest, agree_id(newest))
    _, channel = await start_session(scenario, handle)
    await sim.settle()
    lines = [m.content for m in sim.messages_in(channel) if m.author.id == sim.bot_user.id]
    assert lines.count(texts.SESSION_REMINDER) == 1
    assert not any(f"<@{u.id}>" in line for line in lines for u in handle.members)
    for person in (late, also_late):
        [dm] = reminder_dms(scenario, person)
        assert dm.content == texts.SESSION_REMINDER_DM.format(name=handle.name)
        assert agree_id(dm) == f"balint:agree:{handle.group.id}:2"
        pressed = await sim.click(person, dm, agree_id(dm))
        assert pressed.text == texts.AGREED.format(version=2, name=handle.name)
    assert not reminder_dms(scenario, agreed)


async def test_a_member_with_closed_dms_still_reads_the_unnamed_line(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    await change(scenario, handle)
    closed = handle.members[0]
    closed.dms_closed = True
    _, channel = await start_session(scenario, handle)
    await sim.settle()
    assert not reminder_dms(scenario, closed)
    assert reminder_dms(scenario, handle.members[1])
    assert sim.can(closed, channel, "read_messages")
    lines = [m.content for m in sim.messages_in(channel) if m.author.id == sim.bot_user.id]
    assert lines.count(texts.SESSION_REMINDER) == 1


async def test_no_reminder_when_everyone_agreed(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    _, channel = await start_session(scenario, handle)
    await sim.settle()
    assert not any(texts.SESSION_REMINDER in m.content for m in sim.messages_in(channel))
    assert not any(reminder_dms(scenario, person) for person in handle.members)


async def test_an_unchanged_text_changes_nothing(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=1)
    _, same = await change(scenario, handle, scenario.bot.settings.agreement_text)
    assert same.text == texts.TEXT_PROBLEMS["unchanged"]
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and group.agreement_version == 1


async def test_the_longest_agreement_fits_discords_embed_limit(scenario: Scenario) -> None:
    """A modal allows 4,000 characters; Discord refuses an embed description over 4,096."""
    handle = await make_group(scenario, size=2)
    longest = ("No patient names or identifiers. " * 130)[:4000]
    _, submitted = await change(scenario, handle, longest)
    assert submitted.text.startswith(texts.SET_DONE.split("{")[0]), submitted.text
    for person in handle.members:
        newest = agreement_dms(scenario, person)[-1]
        embed = newest.embeds[0]
        assert embed["description"] == longest
        assert len(embed["description"]) <= 4096
        assert texts.DM_INTRO_CHANGED.split("{")[0] in newest.content
