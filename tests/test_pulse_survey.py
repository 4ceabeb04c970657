"""The anonymous pulse survey: DMs, counting, double answers, closing, /pulse."""

from __future__ import annotations

from datetime import timedelta

from bot.sim.scenario import Scenario
from bot.sim.world import Message, User
from bot.store import groups as group_store
from bot.store import pulse as pulse_store
from bot.texts import pulse as texts
from bot.texts.common import WHO_MAY
from tests.support import GroupHandle, make_group
from tests.test_attendance_support import (
    add_session,
    end_session,
    files_of,
    live_session,
    png_size,
    present,
)


def survey_dm(scenario: Scenario, user: User, sid: int | None = None) -> Message | None:
    prefix = "balint:pulse:" + (f"{sid}:" if sid is not None else "")
    found = [
        m for m in scenario.sim.dms_to(user) if any(c.startswith(prefix) for c in m.custom_ids())
    ]
    assert len(found) <= 1
    return found[0] if found else None


async def answer(scenario: Scenario, user: User, sid: int, question: str, value: int) -> str:
    message = survey_dm(scenario, user, sid)
    assert message is not None, f"{user.name} got no survey"
    result = await scenario.sim.click(user, message, f"balint:pulse:{sid}:{question}:{value}")
    assert result.ephemeral
    return result.text


async def session_with(scenario: Scenario, handle: GroupHandle, came: list[User]) -> int:
    sid = await live_session(scenario, handle.group.id)
    for user in came:
        await present(scenario, sid, user, "button")
    await end_session(scenario, sid)
    return sid


async def test_survey_goes_to_members_who_came_and_counts_anonymously(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=5)
    came = handle.members[:4]
    sid = await session_with(scenario, handle, [handle.leader, *came])
    dm = survey_dm(scenario, came[0])
    assert dm is not None
    assert len(dm.custom_ids()) == 15
    for question in texts.QUESTION_TEXT.values():
        assert question in dm.content
    assert survey_dm(scenario, handle.members[4]) is None  # absent: no survey
    assert survey_dm(scenario, handle.leader) is None  # leaders read the results
    # Each question says which buttons answer it, in words: "Row 1." read like a
    # spreadsheet, and its "1" was easily taken for the answer button "1".
    assert "Row" not in dm.content
    rows = [[c["custom_id"].split(":")[3] for c in row["components"]] for row in dm.components]
    for place, row in zip(("Top", "Middle", "Bottom"), rows, strict=True):
        (question,) = set(row)
        assert f"**{place} buttons:** {texts.QUESTION_TEXT[question]}" in dm.content

    for user, value in zip(came, (4, 5, 5, 2), strict=True):
        assert await answer(scenario, user, sid, "useful", value) == texts.THANKS
    assert await answer(scenario, came[0], sid, "safe", 3) == texts.THANKS
    # A second answer to the same question changes nothing and is refused politely.
    assert await answer(scenario, came[0], sid, "useful", 1) == texts.ALREADY
    counts = await pulse_store.counts(scenario.bot.db, [sid])
    assert counts[sid] == {"useful": {4: 1, 5: 2, 2: 1}, "safe": {3: 1}}

    # No pulse row holds any member's id, in any column.
    ids = {str(u.id) for u in handle.everyone}
    for table in ("pulse_counts", "pulse_surveys", "pulse_voters"):
        for row in await scenario.bot.db.fetchall(f"SELECT * FROM {table}"):
            for value in tuple(row):
                shown = value.hex() if isinstance(value, bytes) else str(value)
                assert not any(i in shown for i in ids), (table, tuple(row))
    voters = await scenario.bot.db.fetchall("SELECT * FROM pulse_voters")
    assert len(voters) == 5  # one token per question answered


async def test_closing_after_48_hours_destroys_the_salt_and_tokens(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=2)
    member = handle.members[0]
    sid = await session_with(scenario, handle, [member])
    assert await answer(scenario, member, sid, "useful", 4) == texts.THANKS
    survey = await pulse_store.survey(scenario.bot.db, sid)
    assert survey is not None and survey.salt is not None and len(survey.salt) == 32

    await scenario.advance(hours=47)
    assert (await pulse_store.survey(scenario.bot.db, sid)).salt is not None
    await scenario.advance(hours=1, minutes=1)
    closed = await pulse_store.survey(scenario.bot.db, sid)
    assert closed is not None and closed.salt is None
    assert await scenario.bot.db.fetchall("SELECT * FROM pulse_voters") == []
    assert await answer(scenario, member, sid, "safe", 5) == texts.CLOSED
    assert (await pulse_store.counts(scenario.bot.db, [sid]))[sid] == {"useful": {4: 1}}


async def test_buttons_still_work_after_a_restart(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=2)
    member = handle.members[0]
    sid = await session_with(scenario, handle, [member])
    await scenario.restart()
    assert await answer(scenario, member, sid, "leave_vs_arrive", 3) == texts.THANKS
    assert await answer(scenario, member, sid, "leave_vs_arrive", 3) == texts.ALREADY


async def test_ending_twice_sends_one_survey(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=1)
    member = handle.members[0]
    sid = await session_with(scenario, handle, [member])
    scenario.bot.dispatch("balint_session_ended", sid)
    await scenario.sim.settle()
    assert survey_dm(scenario, member) is not None  # asserts there is exactly one


async def test_closed_dms_do_not_stop_the_others(scenario: Scenario) -> None:
    closed = scenario.add_person("gp-closed-dms", dms_closed=True)
    handle = await make_group(scenario, members=[closed, scenario.people[1]])
    sid = await session_with(scenario, handle, handle.members)
    assert survey_dm(scenario, scenario.people[1]) is not None
    assert await answer(scenario, scenario.people[1], sid, "safe", 4) == texts.THANKS


async def test_pulse_hides_sessions_with_fewer_than_three_answers(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=4)
    few = await session_with(scenario, handle, handle.members)
    for user in handle.members[:2]:
        await answer(scenario, user, few, "useful", 5)
    await scenario.advance(days=7)
    enough = await session_with(scenario, handle, handle.members)
    for user, value in zip(handle.members[:3], (3, 4, 4), strict=True):
        await answer(scenario, user, enough, "useful", value)
        await answer(scenario, user, enough, "safe", 5)
    await answer(scenario, handle.members[0], enough, "leave_vs_arrive", 4)
    await scenario.advance(hours=48)  # figures are shown once the survey has closed

    result = await scenario.sim.slash(handle.leader, "pulse", channel=handle.lobby)
    assert result.ephemeral
    lines = result.text.splitlines()
    assert lines[1] == "**2026-11-23**: " + texts.VIEW_HIDDEN.format(minimum=3)
    assert lines[2] == "**2026-11-30**: useful 3.67 (n=3); safe 5.00 (n=3)"
    [(name, data)] = files_of(result)
    assert name == "pulse.png" and png_size(data) == (600, 300)

    only_last = await scenario.sim.slash(
        handle.leader, "pulse", channel=handle.lobby, options={"sessions": 1}
    )
    assert "2026-11-23" not in only_last.text and "useful 3.67" in only_last.text
    assert "last session" in only_last.text and "1 sessions" not in only_last.text


async def test_pulse_with_nothing_to_show(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=2)
    result = await scenario.sim.slash(handle.leader, "pulse", channel=handle.lobby)
    assert result.text == texts.VIEW_NONE.format(group=handle.name)
    await session_with(scenario, handle, handle.members)
    hidden = await scenario.sim.slash(handle.leader, "pulse", channel=handle.lobby)
    assert texts.VIEW_NO_CHART in hidden.text and not files_of(hidden)


async def test_someone_no_longer_in_the_group_cannot_answer(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=2)
    leaver = handle.members[0]
    sid = await session_with(scenario, handle, [leaver])
    await group_store.remove_member(
        scenario.bot.db, handle.group.id, leaver.id, scenario.clock.now()
    )
    assert await answer(scenario, leaver, sid, "useful", 5) == WHO_MAY["group_members"]
    assert await pulse_store.counts(scenario.bot.db, [sid]) == {}


async def test_a_session_processed_after_its_survey_would_close_sends_nothing(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=1)
    old = await add_session(scenario, handle.group.id, scenario.clock.now() - timedelta(days=3))
    await present(scenario, old, handle.members[0])
    scenario.bot.dispatch("balint_session_ended", old)
    await scenario.sim.settle()
    assert survey_dm(scenario, handle.members[0]) is None
    assert await pulse_store.survey(scenario.bot.db, old) is None


async def test_the_survey_reaches_members_the_bot_does_not_hold_in_memory(
    scenario: Scenario,
) -> None:
    """discord.py keeps users only while something refers to them: DMs go by id."""
    handle = await make_group(scenario, size=3)
    guild = scenario.bot.get_guild(scenario.guild.id)
    users = scenario.bot._connection._users  # noqa: SLF001 - a weak cache, emptied here
    assert guild is not None
    for user in handle.everyone:
        member = guild.get_member(user.id)
        assert member is not None
        guild._remove_member(member)  # noqa: SLF001
        users.pop(user.id, None)
    assert all(scenario.bot.get_user(u.id) is None for u in handle.members)
    sid = await session_with(scenario, handle, handle.members)
    assert all(survey_dm(scenario, user, sid) is not None for user in handle.members)


async def test_a_crash_in_the_middle_of_the_survey_dms_reaches_everyone_once(
    scenario: Scenario,
) -> None:
    """The bot dies at the 3rd survey DM; after the restart each member who came has one."""
    from tests.crash_support import crash_on

    handle = await make_group(scenario, size=5)
    sent = 0

    def third_survey(call) -> bool:  # type: ignore[no-untyped-def]
        nonlocal sent
        if "balint:pulse:" in str((call.json or {}).get("components")):
            sent += 1
        return sent == 3

    hit = crash_on(scenario.sim, "POST", "/channels/{channel_id}/messages", when=third_survey)
    await session_with(scenario, handle, handle.members)
    assert hit, "the crash point was not reached"
    await scenario.restart()
    await scenario.sim.settle()
    got = {
        user.name: sum(
            "balint:pulse:" in " ".join(m.custom_ids()) for m in scenario.sim.dms_to(user)
        )
        for user in handle.members
    }
    assert all(count == 1 for count in got.values()), got
