"""Facilitated discussion: sessions, phases driven by the leaders, turn-taking, timers.

Thin shell: each command or button resolves the group, checks the caller with
`bot.access.require`, arms a deferral in case its answer is slow (bot/deadline.py), and
runs one domain transition through the session engine (cogs/_session_engine.py), which
applies the permission plan before storing it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import deadline
from bot.access import require, resolve_group
from bot.domain import session as domain
from bot.domain.access import Action
from bot.domain.phases import Phase, SessionState, TurnMode
from bot.errors import UserError, reply
from bot.store import cases as case_store
from bot.store import groups as group_store
from bot.store import session_group
from bot.store import sessions as session_store
from bot.store.attendance import PresenceFacts
from bot.store.groups import Group, Membership
from bot.store.sessions import Session
from bot.texts import facilitation as texts
from cogs import _lobby_start as lobby_start
from cogs import _session_rounds as rounds
from cogs._case_choose import choose_presenter
from cogs._facilitation_options import MODE_CHOICES, PHASE_CHOICES, options
from cogs._session_buttons import BUTTON_ACTIONS, PRESS_SOURCES, SessionButtons, still_allowed
from cogs._session_caller import group_live
from cogs._session_ended import EndNotice
from cogs._session_engine import Engine, Live, Transition, mention, phase_name
from cogs._session_hand_changes import HandChanges
from cogs._session_lifecycle import Lifecycle
from cogs._session_listeners import SessionListeners
from cogs._session_room import held_in_permanent
from cogs._session_status import StatusUpdater
from cogs._session_timers import SessionTimers
from cogs._session_views import DYNAMIC_ITEMS
from cogs._session_voice import VoiceKeeper

if TYPE_CHECKING:
    from bot.app import BalintBot


class Facilitation(SessionListeners, commands.Cog):
    session = app_commands.Group(name="session", description="Run a session", guild_only=True)
    phase = app_commands.Group(name="phase", description="Phases of the meeting", guild_only=True)
    round = app_commands.Group(name="round", description="Go-rounds", guild_only=True)
    floor = app_commands.Group(name="floor", description="Who has the floor", guild_only=True)

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot
        self.engine = Engine(bot)
        self.engine.status = StatusUpdater(bot, self.engine)
        self.engine.voice = VoiceKeeper(bot, self.engine)
        self.engine.on_ended = self._ended
        self.timers = SessionTimers(bot, self.engine)
        self.lifecycle = Lifecycle(bot, self.engine, self.timers)
        self.buttons = SessionButtons(bot, self.engine)
        self.end_notice = EndNotice(bot, self.engine)
        self.hand_changes = HandChanges(bot, self.engine, self.lifecycle)
        self.arrivals = rounds.RoundArrivals(bot, self.engine)
        self.engine.on_end_stored = self._end_stored

    async def cog_load(self) -> None:
        self.timers.register(self.lifecycle.purge, self.lifecycle.purger.on_failed)
        self.lifecycle.purger.register()  # a purge refused while out of a server: on return
        self.end_notice.register()
        self.hand_changes.register()
        self.arrivals.register()
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        await self.lifecycle.rebuild_index()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    # --- helpers ---

    async def _group_session(
        self, interaction: discord.Interaction, group_name: str | None, action: Action
    ) -> tuple[Group, int]:
        group, session = await self._group_live(interaction, group_name, action)
        return group, session.id

    async def _group_live(
        self, interaction: discord.Interaction, group_name: str | None, action: Action
    ) -> tuple[Group, Session]:
        """The group and its live session as they were when the command arrived (read before
        the defer), so `/phase next|extend` act on the phase the leader saw, not a later one."""
        group, session = await group_live(self.bot, interaction, group_name, action)
        deadline.arm(interaction)  # answered in one call, or deferred if the change is slow
        self._present(session.id, interaction)
        return group, session

    def _present(
        self,
        session_id: int,
        interaction: discord.Interaction,
        source: str = "command",
        facts: PresenceFacts | None = None,
    ) -> None:
        """Running the meeting is being at it: a leader who only drives it by command
        (and never writes or joins voice) is not recorded absent. `facts`: read with the
        press (session_group.get_for), so the signal does not read them again."""
        extra = () if facts is None else (facts,)
        self.bot.dispatch("balint_member_present", session_id, interaction.user.id, source, *extra)

    async def _end_stored(self, live: Live) -> None:
        """In the end's own transaction: the purge timer and the end's follow-up timer."""
        await self.lifecycle.after_end(live)
        await self.end_notice.store(live)

    async def _ended(self, live: Live) -> None:
        await self.end_notice.announce(live)

    async def end_session(self, session_id: int) -> SessionState:
        _, new, _ = await self.engine.change(session_id, lambda s: domain.end(s, self.bot.now()))
        return new

    async def _member_of(self, group: Group, user: discord.abc.User) -> Membership:
        membership = await group_store.membership(self.bot.db, group.id, user.id)
        if membership is None or membership.left_at is not None:
            raise UserError(texts.NOT_A_MEMBER.format(member=user.mention))
        return membership

    def _ended_answer(self, group: Group, session: Session) -> str:
        minutes = group.purge_delay_minutes
        if minutes is None:
            minutes = self.bot.settings.purge_delay_minutes
        when = discord.utils.format_dt(self.bot.now() + timedelta(minutes=minutes), "R")
        kept = held_in_permanent(group, session)  # messages deleted, channel kept
        return (texts.ENDED_PERMANENT if kept else texts.ENDED).format(when=when)

    # --- /session ---

    @session.command(name="start", description="Open the group's session channel (leaders)")
    @options()
    async def session_start(
        self, interaction: discord.Interaction, group: str | None = None
    ) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.SESSION_START, found)
        await deadline.defer(interaction)
        assert interaction.guild is not None
        sid, answer = await self.lifecycle.start(interaction.guild, found)
        self._present(sid, interaction)
        await reply(interaction, answer)
        await lobby_start.announce(self.bot, found, sid)

    @session.command(name="end", description="End the session; the channel becomes read-only")
    @options()
    async def session_end(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.SESSION_END, found)
        await deadline.defer(interaction)
        session = await session_store.live_for_group(self.bot.db, found.id)
        if session is None:
            raise UserError(texts.ALREADY_ENDED)
        self._present(session.id, interaction)
        await self.end_session(session.id)
        await reply(interaction, self._ended_answer(found, session))

    @session.command(
        name="presenter",
        description="Choose who presents the next case (leaders; the same as /case pick)",
    )
    @options(member=texts.OPTION_PRESENTER)
    async def session_presenter(
        self, interaction: discord.Interaction, member: discord.Member, group: str | None = None
    ) -> None:
        """/case pick by another name: one function (cogs/_case_choose.py), so the answer,
        the line in the channel and the case recorded (new or follow-up) are the same."""
        found, session = await self._group_live(interaction, group, Action.CASE_PICK)
        seen = await case_store.session(self.bot.db, session.id)
        if seen is None:
            raise UserError(texts.ALREADY_ENDED)
        lock = self.engine.lock(session.id)
        await choose_presenter(self.bot, interaction, found, seen, member.id, lock)

    # --- /phase ---

    @phase.command(name="next", description="Move to the next phase (leaders)")
    @options()
    async def phase_next(self, interaction: discord.Interaction, group: str | None = None) -> None:
        _, session = await self._group_live(interaction, group, Action.PHASE_NEXT)
        await self.buttons.advance(interaction, session.id, session.phase)

    @phase.command(name="goto", description="Jump to a phase (leaders)")
    @app_commands.choices(phase=PHASE_CHOICES)
    @options(phase=texts.OPTION_GOTO_PHASE)
    async def phase_goto(
        self, interaction: discord.Interaction, phase: str, group: str | None = None
    ) -> None:
        _, sid = await self._group_session(interaction, group, Action.PHASE_GOTO)
        target = Phase(phase)
        _, new, _ = await self.engine.change(sid, lambda s: domain.goto(s, target, self.bot.now()))
        await reply(interaction, texts.PHASE_NOW.format(phase=phase_name(new.phase)))

    @phase.command(name="extend", description="Give the current phase more minutes (leaders)")
    @options(minutes=texts.OPTION_EXTEND_MINUTES)
    async def phase_extend(
        self,
        interaction: discord.Interaction,
        minutes: app_commands.Range[int, 1, 60],
        group: str | None = None,
    ) -> None:
        _, session = await self._group_live(interaction, group, Action.PHASE_EXTEND)
        await self.buttons.extend(interaction, session.id, minutes, seen=session.phase)

    # --- turns ---

    @app_commands.command(
        name="turns", description="How turns are kept: open, raised hands or strict turns"
    )
    @app_commands.guild_only()
    @app_commands.choices(mode=MODE_CHOICES)
    @options(mode=texts.OPTION_TURNS_MODE)
    async def turns(
        self, interaction: discord.Interaction, mode: str, group: str | None = None
    ) -> None:
        _, sid = await self._group_session(interaction, group, Action.TURNS_MODE)
        turn_mode = TurnMode(mode)
        await self.engine.change(sid, lambda s: domain.set_mode(s, turn_mode))
        await reply(interaction, texts.MODE_SET.format(mode=texts.MODE_NAMES[mode]))

    @round.command(name="start", description="A go-round: each member speaks in turn (leaders)")
    @app_commands.choices(phase=PHASE_CHOICES)
    @options(phase=texts.OPTION_ROUND_PHASE, turn_minutes=texts.OPTION_TURN_MINUTES)
    async def round_start(
        self,
        interaction: discord.Interaction,
        phase: str | None = None,
        turn_minutes: app_commands.Range[int, 1, 15] | None = None,
        group: str | None = None,
    ) -> None:
        _, sid = await self._group_session(interaction, group, Action.ROUND_START)
        if phase is not None:
            target = Phase(phase)
            session = await session_store.get(self.bot.db, sid)
            if session is not None and session.phase != target.value:
                await self.engine.change(sid, lambda s: domain.goto(s, target, self.bot.now()))
        await session_store.set_round_turn(self.bot.db, sid, turn_minutes, None)
        # The phase asked for, checked under the lock: moved on meanwhile, no round there.
        _, new, _ = await self.engine.change(
            sid, read=rounds.round_starter(self.bot), seen_phase=phase
        )
        first = new.round_order[0]
        await reply(interaction, texts.ROUND_STARTED_ANSWER.format(member=mention(first)))

    @floor.command(name="give", description="Give the floor to a member (leaders)")
    @options(member=texts.OPTION_FLOOR_MEMBER)
    async def floor_give(
        self, interaction: discord.Interaction, member: discord.Member, group: str | None = None
    ) -> None:
        _, sid = await self._group_session(interaction, group, Action.FLOOR_GIVE)

        async def read(live: Live) -> Transition:
            """A member still, under the lock: one removed meanwhile is not given the floor."""
            await self._member_of(live.group, member)
            return lambda s: domain.give_floor(s, member.id)

        await self.engine.change(sid, read=read)
        await reply(interaction, texts.FLOOR_GIVEN.format(member=member.mention))

    @app_commands.command(name="away", description="Tell the group you lost connection")
    @app_commands.guild_only()
    @options()
    async def away(self, interaction: discord.Interaction, group: str | None = None) -> None:
        _, sid = await self._group_session(interaction, group, Action.AWAY)
        uid = interaction.user.id
        away = still_allowed(
            self.bot, interaction, Action.AWAY, lambda s: domain.go_away(s, uid, self.bot.now())
        )
        await self.engine.change(sid, read=away, caller=uid)
        await reply(interaction, texts.AWAY_SET)

    @app_commands.command(name="back", description="Tell the group you are back")
    @app_commands.guild_only()
    @options()
    async def back(self, interaction: discord.Interaction, group: str | None = None) -> None:
        _, sid = await self._group_session(interaction, group, Action.BACK)
        uid = interaction.user.id
        _, _, effects = await self.engine.change(
            sid, lambda s: domain.come_back(s, uid, self.bot.now())
        )
        await reply(interaction, texts.BACK_SET if effects else texts.NOT_AWAY)

    # --- buttons ---

    async def on_session_button(
        self,
        interaction: discord.Interaction,
        kind: str,
        *,
        session_id: int,
        action: str,
        arg: str | None,
    ) -> None:
        """Every status/frame button: check the caller, arm the deferral, run the transition."""
        found = await session_group.get_for(self.bot.db, session_id, interaction.user.id)
        if found is None:
            raise UserError(texts.ALREADY_ENDED)
        session, group, membership, facts = found
        await require(self.bot, interaction, BUTTON_ACTIONS[action], group, known=membership)
        if group is None:
            raise UserError(texts.ALREADY_ENDED)
        deadline.arm(interaction)  # answered in one call, or deferred if the change is slow
        if session.live and action != "ack":  # an ack is a signal once it is stored (_ack)
            # A leader driving by buttons is there; "I'm here" is the member's own signal.
            self._present(session.id, interaction, PRESS_SOURCES.get(action, "command"), facts)
        await self.buttons.press(interaction, session, group, action, arg)


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(Facilitation(bot))
