"""A member removed while a meeting change is on its way is not put back by it.

`/round start`, `/floor give` and the status buttons read who may take part; a removal
(`/group remove`, `/privacy forget`) that lands after that read and before the change
takes the session's lock must win. Each test lets the removal run to its end just as the
change asks for the lock (the last moment a read outside the lock could have been made),
and each failed before its fix.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.sim.scenario import Scenario
from bot.texts import cases as case_texts
from bot.texts import common as common_texts
from bot.texts import facilitation as texts
from cogs._session_engine import Engine
from tests.session_support import leader, press, reload, round_order, start_session, who_can_post
from tests.support import GroupHandle, make_group
from tests.test_privacy_completeness import forget, traces


def before_next_change(
    monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], Awaitable[object]]
) -> list[object]:
    """The next session change first waits for `meanwhile` to finish (then changes run as
    usual). Returns a list that holds what `meanwhile` returned, once it ran."""
    original = Engine.change
    ran: list[object] = []

    async def change(self: Engine, session_id: int, *args: Any, **kwargs: Any) -> Any:
        if not ran:
            ran.append(None)
            ran[0] = await meanwhile()
        return await original(self, session_id, *args, **kwargs)

    monkeypatch.setattr(Engine, "change", change)
    return ran


def removal(world: Scenario, handle: GroupHandle, member: Any) -> Callable[[], Awaitable[object]]:
    async def remove() -> object:
        return await world.sim.slash(
            handle.leader, "group remove", channel=handle.lobby, options={"member": member}
        )

    return remove


async def test_a_member_removed_as_a_round_starts_gets_no_turn(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/round start read the group's members before the session's lock: a member removed
    in between was called on first, with the floor and a permission to post."""
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    a, b, c = handle.members
    ran = before_next_change(monkeypatch, removal(world, handle, a))
    started = await leader(world, handle, "round start", channel)
    await world.sim.settle()
    assert ran, "the removal ran"
    assert await round_order(world, session.id) == [b.id, c.id], started.text
    assert (await reload(world, session)).floor_holder_id == b.id
    assert f"<@{a.id}>" not in started.text
    assert who_can_post(world, channel, [a, b, c]) == {b.name}


async def test_a_round_started_as_a_member_is_erased_does_not_store_them_again(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same with /privacy forget: the round stored the erased member's id again."""
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    a, b, c = handle.members

    async def erase() -> object:
        return await forget(world, a)

    ran = before_next_change(monkeypatch, erase)
    await leader(world, handle, "round start", channel)
    await world.sim.settle()
    assert "erased" in str(ran[0]).lower()
    assert traces(world, a) == {}, "the erased member's id is back in the store"
    assert await round_order(world, session.id) == [b.id, c.id]


async def test_the_floor_is_not_given_to_a_member_removed_meanwhile(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/floor give checked membership before the session's lock: the floor (and the
    right to post) went to a member removed in between."""
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a = handle.members[0]
    ran = before_next_change(monkeypatch, removal(world, handle, a))
    given = await leader(world, handle, "floor give", channel, member=a)
    await world.sim.settle()
    assert ran, "the removal ran"
    assert (await reload(world, session)).floor_holder_id is None
    assert given.text == texts.NOT_A_MEMBER.format(member=f"<@{a.id}>")
    assert who_can_post(world, channel, [a]) == set()


async def hand_queue(world: Scenario, session_id: int) -> list[int]:
    rows = await world.bot.db.fetchall(
        "SELECT user_id FROM session_queue WHERE session_id = ? AND kind = 'hand' "
        "ORDER BY position",
        (session_id,),
    )
    return [r["user_id"] for r in rows]


async def test_a_hand_raised_by_a_member_removed_meanwhile_is_not_queued(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Raise hand" checked the presser's membership before the session's lock: a member
    removed in between stood in the queue, to be given the floor by "Next speaker"."""
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    a = handle.members[0]
    ran = before_next_change(monkeypatch, removal(world, handle, a))
    raised = await press(world, a, session, "raise")
    await world.sim.settle()
    assert ran, "the removal ran"
    assert await hand_queue(world, session.id) == []
    # Deferred first (the removal held the meeting's lock), then answered in a followup.
    answered = [m for m in raised.messages if m.content]
    assert [m.content for m in answered] == [common_texts.WHO_MAY["group_members"]]
    assert all(m.ephemeral for m in answered)


async def test_a_member_removed_as_they_say_they_are_away_is_not_listed_away(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/away checked the caller before the session's lock: a member removed in between
    was stored in the meeting's away list (and, erased, their id stored again)."""
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    a = handle.members[0]
    ran = before_next_change(monkeypatch, removal(world, handle, a))
    away = await world.sim.slash(a, "away", channel=channel)
    await world.sim.settle()
    assert ran, "the removal ran"
    rows = await world.bot.db.fetchall(
        "SELECT user_id FROM session_away WHERE session_id = ?", (session.id,)
    )
    assert [r["user_id"] for r in rows] == []
    assert away.text == common_texts.WHO_MAY["group_members"]


@pytest.mark.parametrize("command", ["session presenter", "case pick"])
async def test_a_member_removed_as_they_are_made_presenter_is_not(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """/session presenter checked the member before the session's lock: one removed in
    between was made the presenter (and their id stored with the meeting's case). Both
    commands now choose by one function (cogs/_case_choose.py), which checks under it."""
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    a = handle.members[0]
    ran = before_choice_is_checked(monkeypatch, removal(world, handle, a))
    made = await leader(world, handle, command, channel, member=a)
    await world.sim.settle()
    assert ran, "the removal ran"
    live = await world.bot.get_cog("Facilitation").engine.fetch(session.id)
    assert live is not None and live.state.presenter_id is None, made.text
    # The same sentence as /case pick's (one rule for choosing the presenter).
    assert made.text == case_texts.NOT_MEMBER.format(member=f"<@{a.id}>", group=handle.name)


def before_choice_is_checked(
    monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], Awaitable[object]]
) -> list[object]:
    """The next choice of a presenter, as it asks for the meeting's lock, first waits for
    `meanwhile` (a removal landing just then); then locks work as usual."""
    original = Engine.lock
    ran: list[object] = []

    class Late:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def locked(self) -> bool:
            return self.inner.locked()

        async def __aenter__(self) -> None:
            if not ran:
                ran.append(None)
                ran[0] = await meanwhile()
            await self.inner.__aenter__()

        async def __aexit__(self, *exc: object) -> None:
            await self.inner.__aexit__(*exc)

    def lock(self: Engine, session_id: int) -> Any:
        return original(self, session_id) if ran else Late(original(self, session_id))

    monkeypatch.setattr(Engine, "lock", lock)
    return ran


async def test_a_member_removed_as_they_arrive_mid_round_gets_no_turn(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member seen at the meeting while a round runs without them gets a turn at its end;
    attendance checked they were in the group before the session's lock, so one removed in
    between was put at the end of the round."""
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    a, b, c = handle.members
    for member in (b, c):
        await press(world, member, session, "here")
    await leader(world, handle, "round start", channel)
    assert await round_order(world, session.id) == [b.id, c.id]
    ran = before_next_change(monkeypatch, removal(world, handle, a))
    await press(world, a, session, "here")
    await world.sim.settle()
    assert ran, "the removal ran"
    assert await round_order(world, session.id) == [b.id, c.id]
