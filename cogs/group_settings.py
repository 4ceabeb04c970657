"""/settings: the per-group settings every capability reads, shown and changed in one place.

Which settings exist and what a valid value is lives in bot/domain/settings.py;
this cog resolves the group, checks the caller (viewing: GROUP_INFO; changing:
GROUP_SETTINGS, leaders and co-leaders), writes the column the readers read
and, where a setting shapes planned timers or the Discord event, replans.
It also registers the lobby "Start the session" button and its timer
(cogs/_lobby_start.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.access import group_autocomplete, require, resolve_group
from bot.domain import settings as rules
from bot.domain.access import Action
from bot.domain.schedule_rules import lead_minutes
from bot.errors import UserError, reply
from bot.store import groups as group_store
from bot.store.groups import Group
from bot.texts import groups as group_texts
from bot.texts import settings as texts
from cogs import _lobby_start as lobby_start
from cogs import _schedule_events as events
from cogs import _schedule_plan as plan

if TYPE_CHECKING:
    from bot.app import BalintBot

SETTING_CHOICES = [app_commands.Choice(name=texts.NAMES[key], value=key) for key in rules.SETTINGS]
# Read when a session starts (stored in its state or its channels), not while it runs.
# Read when a session starts; phase lengths and max_cases are read at each phase change.
_AT_START = frozenset({"voice_enabled", "session_channel"})
DUE_GRACE = timedelta(minutes=30)


async def _groups(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return await group_autocomplete(interaction.client, interaction, current)  # type: ignore[arg-type]


class GroupSettings(commands.Cog):
    settings = app_commands.Group(
        name="settings", description="Your group's settings", guild_only=True
    )

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot
        self._missed_offered = False  # the start-up look for missed start buttons ran

    async def cog_load(self) -> None:
        self.bot.timers.register(
            plan.DUE,
            lambda t: lobby_start.on_due(self.bot, t),
            grace=DUE_GRACE,
            idempotent=True,  # retried after a passing failure; a re-run looks first
            members_facing=True,
        )
        self.bot.add_dynamic_items(lobby_start.StartNowButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(lobby_start.StartNowButton)

    @commands.Cog.listener("on_guild_join")
    async def offer_missed_start(self, guild: discord.Guild) -> None:
        """Invited back: a start button missed while the bot was out of the server."""
        await lobby_start.offer_missed(self.bot, guild.id)

    @commands.Cog.listener("on_ready")
    async def offer_missed_at_start(self) -> None:
        """Invited back while the bot was down: the server is only in READY, with no
        join event, so its missed start buttons are looked for once per process."""
        if self._missed_offered:
            return
        self._missed_offered = True
        for guild in self.bot.guilds:
            await lobby_start.offer_missed(self.bot, guild.id)

    @commands.Cog.listener("on_balint_session_ended")
    async def offer_held_back_start(self, session_id: int) -> None:
        await lobby_start.offer_held_back(self.bot, session_id, plan.DUE)

    # --- values as shown ---

    def _default(self, setting: rules.Setting) -> int | str | None:
        configured = self.bot.settings
        if setting.kind is rules.Kind.PHASE:
            assert setting.phase is not None
            return int(configured.phase_minutes.model_dump(by_alias=True)[setting.phase.value])
        by_config: dict[str, int | str] = {
            "silence_nudge_minutes": configured.silence_nudge_minutes,
            "max_cases": configured.max_cases,
            "quorum": configured.quorum,
            "guard_mode": configured.guard_mode.value,
            "purge_delay_minutes": configured.purge_delay_minutes,
            "reminder_lead_minutes": ",".join(
                str(v) for v in lead_minutes(None, configured.reminder_lead_minutes)
            ),
        }
        return by_config.get(setting.key, setting.reset_to)

    @staticmethod
    def _current(group: Group, setting: rules.Setting) -> int | str | None:
        if setting.kind is rules.Kind.PHASE:
            assert setting.phase is not None
            return rules.phase_value(group.phase_minutes, setting.phase)
        value = getattr(group, setting.column)
        return int(value) if isinstance(value, bool) else value

    @staticmethod
    def _shown(setting: rules.Setting, value: int | str | None) -> str:
        if value is None or value == "":
            return texts.LEADS_EMPTY
        if setting.kind is rules.Kind.FLAG:
            return texts.ON if value else texts.OFF
        if setting.kind is rules.Kind.PHASE or (
            setting.kind is rules.Kind.NUMBER and setting.key.endswith("_minutes")
        ):
            return texts.MINUTES.format(value=value)
        return str(value)

    def _line(self, group: Group, setting: rules.Setting) -> str:
        current, default = self._current(group, setting), self._default(setting)
        shown_default = self._shown(setting, default)
        if current is None or current == default:
            value = texts.SHOW_DEFAULT.format(value=shown_default)
        else:
            value = texts.SHOW_CUSTOM.format(
                value=self._shown(setting, current), default=shown_default
            )
        return texts.SHOW_LINE.format(name=texts.NAMES[setting.key], value=value)

    # --- writing ---

    async def _leader_group(self, interaction: discord.Interaction, name: str | None) -> Group:
        found = await resolve_group(self.bot, interaction, name)
        await require(self.bot, interaction, Action.GROUP_SETTINGS, found)
        if found.archived:
            raise UserError(group_texts.ARCHIVED.format(name=found.name))
        await interaction.response.defer(ephemeral=True, thinking=True)
        return found

    async def _store(
        self, group: Group, setting: rules.Setting, value: int | str | None
    ) -> events.Done | None:
        """Write one setting and follow it through; how a Discord event call failed, if one
        did (the answer says what happened)."""
        if setting.kind is rules.Kind.PHASE:
            assert setting.phase is not None
            minutes = int(value) if value is not None else None
            value = rules.phase_json(group.phase_minutes, setting.phase, minutes)
        db = self.bot.db
        await group_store.update_settings(db, group.id, **{setting.column: value})
        if setting.key == "voice_mode":
            self.bot.dispatch("balint_voice_mode_changed", group.id)
        if setting.key == "auto_advance" and value:
            self.bot.dispatch("balint_auto_advance_on", group.id)
        if setting.key == "case_prompts_enabled" and value:
            # A coming meeting's prompt missed while off goes out (cogs/_case_prompts.py).
            self.bot.dispatch("balint_case_prompts_on", group.id)
        if setting.key == "events_enabled":
            if value:
                return (await plan.replan(self.bot, group.id)).event_failed
            return await plan.drop_event(self.bot, group)
        if setting.key == "reminder_lead_minutes":
            # replan arms the new lead times and cancels the pending ones no longer used.
            return (await plan.replan(self.bot, group.id)).event_failed
        return None

    def _done(self, template: str, group: Group, setting: rules.Setting, value: object) -> str:
        shown = self._shown(setting, value)  # type: ignore[arg-type]
        text = template.format(group=group.name, name=texts.NAMES[setting.key], value=shown)
        if setting.key in _AT_START:
            text += texts.NEXT_SESSION
        elif setting.kind is rules.Kind.PHASE or setting.key == "max_cases":
            text += texts.NEXT_PHASE
        return text

    # --- commands ---

    @settings.command(name="show", description="Show the group's settings")
    @app_commands.describe(group="Which group (default: this channel's)")
    @app_commands.autocomplete(group=_groups)
    async def show(self, interaction: discord.Interaction, group: str | None = None) -> None:
        found = await resolve_group(self.bot, interaction, group)
        await require(self.bot, interaction, Action.GROUP_INFO, found)
        lines = [self._line(found, s) for s in rules.SETTINGS.values()]
        embed = discord.Embed(
            title=texts.SHOW_TITLE.format(group=found.name), description="\n".join(lines)
        )
        embed.set_footer(text=texts.SHOW_FOOTER)
        await reply(interaction, embed=embed)

    @settings.command(name="set", description="Change one of the group's settings (leaders)")
    @app_commands.describe(
        setting="Which setting",
        value="The new value (on/off, a number, a word, or e.g. 1440,60 for reminders)",
        group="Which group (default: this channel's)",
    )
    @app_commands.choices(setting=SETTING_CHOICES)
    @app_commands.autocomplete(group=_groups)
    async def set_(
        self,
        interaction: discord.Interaction,
        setting: str,
        value: app_commands.Range[str, 1, 100],
        group: str | None = None,
    ) -> None:
        found = await self._leader_group(interaction, group)
        chosen = rules.SETTINGS[setting]
        try:
            parsed = rules.parse(setting, value)
        except rules.SettingError as exc:
            raise UserError(texts.BAD_VALUE.get(exc.reason, texts.BAD_PHASE_MINUTES)) from exc
        failed = await self._store(found, chosen, parsed)
        text = self._done(texts.SET_DONE, found, chosen, parsed)
        await reply(interaction, text + events.failed_note(failed))

    @settings.command(name="reset", description="Put one setting back to its default (leaders)")
    @app_commands.describe(setting="Which setting", group="Which group (default: this channel's)")
    @app_commands.choices(setting=SETTING_CHOICES)
    @app_commands.autocomplete(group=_groups)
    async def reset(
        self, interaction: discord.Interaction, setting: str, group: str | None = None
    ) -> None:
        found = await self._leader_group(interaction, group)
        chosen = rules.SETTINGS[setting]
        value = chosen.reset_to
        if setting in rules.CONFIGURED_NOT_NULL:  # NOT NULL: back to the configured default
            value = self._default(chosen)
        failed = await self._store(found, chosen, value)
        text = self._done(texts.RESET_DONE, found, chosen, self._default(chosen))
        await reply(interaction, text + events.failed_note(failed))


async def setup(bot: BalintBot) -> None:
    await bot.add_cog(GroupSettings(bot))
