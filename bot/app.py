"""BalintBot: the discord.py client that wires store, clock and cogs together."""

from __future__ import annotations

import logging
import pkgutil
import time
from datetime import datetime

import discord
import yarl
from discord.ext import commands

import cogs
from bot import answer_lost, compat, deadline, log_redact, preflight, rest_slots, startup
from bot.clock import Clock, TimerService
from bot.config import Settings
from bot.errors import install_error_handler
from bot.heap import freeze_startup_heap
from bot.http_buckets import throttle_bucket_cleanup
from bot.http_json import accept_json_parameters
from bot.keyed_locks import KeyedLocks
from bot.store.database import Database

log = logging.getLogger(__name__)


def apply_endpoints(settings: Settings) -> None:
    """Point discord.py at Discord or at a self-hosted compatible server (Spacebar).

    The one place that changes discord.py's class-level endpoints: every REST
    route is built from Route.BASE, and the gateway falls back to DEFAULT_GATEWAY.
    """
    discord.http.Route.BASE = settings.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)
    accept_json_parameters()  # such a server's `application/json; charset=utf-8`


def build_intents(settings: Settings) -> discord.Intents:
    """The minimum the bot needs, each for a stated reason."""
    intents = discord.Intents.none()
    # Guilds: roles, channels and categories of each server arrive in the cache and
    # their deletion by hand is noticed (CHANNEL_DELETE, GUILD_ROLE_DELETE).
    intents.guilds = True
    # Members (privileged): group rosters, display names read at need (never stored),
    # the member list requested at start-up, so roles can be given and taken, and
    # GUILD_MEMBER_UPDATE, so a group's role given by hand is noticed (and taken back).
    intents.members = True
    # Voice states: joining the session's voice channel counts as being present, and
    # in enforced mode the bot lifts its server mutes when a member leaves.
    intents.voice_states = True
    # Guild messages: counting (never reading) posts in a session channel for
    # attendance and the silence nudge; the identifier guard reads them too.
    intents.guild_messages = True
    # Guild scheduled events: a session's event made twice (discord.py sends a create
    # that got a 502 again) is seen in the cache when the create returns, and deleted.
    intents.guild_scheduled_events = True
    # Message content (privileged): only the identifier guard needs it. Without it the
    # bot still works and says so in /balint about.
    intents.message_content = settings.message_content_intent
    return intents


class BalintBot(commands.Bot):
    """One process, asyncio all the way; the store is the single source of truth."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        freeze_heap: bool = True,
        check_commands: bool = False,
        check_gateway: bool = False,
    ) -> None:
        apply_endpoints(settings)
        # The bot never joins a voice channel (it reads voice states and server-mutes over
        # REST), so discord.py's "PyNaCl is not installed, voice will NOT be supported"
        # would only make an operator think the session's voice channel will not work.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=build_intents(settings),
            help_command=None,
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True),
            max_messages=None,  # no message cache: the bot keeps no message text in memory
            # Without the presences intent Discord's GUILD_CREATE holds only the bot and the
            # users in voice: members are requested at start-up (discord.py's default with the
            # members intent) so that roles can be given and taken after a restart.
            chunk_guilds_at_startup=True,
        )
        self.settings = settings
        throttle_bucket_cleanup(self.http, time.monotonic)
        deadline.defer_before_requests(self.http)  # "answered or deferred at once"
        rest_slots.bound_rest_requests(self.http)  # answers never wait behind REST work
        answer_lost.install()  # a 40060 after our own lost answer: the answer was made
        self.clock: Clock = clock or Clock()
        self.db = Database(settings.database_path)
        self.timers = TimerService(self.db, self.clock)
        self.timers.left_server = self.left_server
        self.timers.passing, self.timers.describe = compat.passing, compat.fault_code
        # Named locks for work that reads the store, awaits Discord, then writes back, so two
        # at once (co-leaders, a timer and a command) cannot both act: ("replan", group id),
        # ("session start", group id), ("group create", guild id), ("group add", group id).
        # A key's lock is kept only while held or waited for: the bot runs for months.
        self.locks: KeyedLocks[tuple[str, int]] = KeyedLocks()
        # Off in the simulator's test worlds: one test process starts hundreds of bots.
        self._freeze_heap_at_ready = freeze_heap
        # `balint-bot run` compares the commands with Discord's once (one GET); tests and the
        # demo, whose simulator syncs after READY, do not.
        self._check_commands_at_ready = check_commands
        self._check_gateway_first = check_gateway  # `run` only: the simulator has no gateway
        self._permissions_reported: set[int] = set()
        install_error_handler(self)
        log_redact.install()  # discord.py's DEBUG logs would otherwise hold members' text

    async def setup_hook(self) -> None:
        await self.db.open()
        applied = await self.db.migrate()
        if applied:
            log.info("database migrated to version %s", max(applied))
        for name in cog_modules():
            await self.load_extension(name)
        log.info(
            "balint-bot ready to connect: %d cogs, %d timer kinds",
            len(self.cogs),
            len(self.timers.kinds),
        )

    async def connect(self, *, reconnect: bool = True) -> None:
        """A gateway_url nothing answers at stops the start with one line (preflight)."""
        if self._check_gateway_first:
            self._check_gateway_first = False
            await preflight.reach_gateway(self.http, self.settings.gateway_url)
        await super().connect(reconnect=reconnect)

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: a mention of the bot is not parsed as one (discord.ext would
        log "Command "<the member's next word>" is not found" at ERROR). Cogs still listen."""
        return

    async def on_ready(self) -> None:
        """Once per process: timers start, and the start-up heap is frozen.

        Timers start here, not in setup_hook: one that fell due while the bot was down
        (an auto-end, a phase warning) needs the server's channels and members, which
        discord.py has only once it is ready; fired before, it would find no channel.
        """
        if not self.timers.started:
            await self.timers.start()
        for guild in self.guilds:
            await self._report_setup(guild)
        if self._check_commands_at_ready:
            self._check_commands_at_ready = False
            await startup.report_unsynced_commands(self)
        if self._freeze_heap_at_ready:
            self._freeze_heap_at_ready = False
            freeze_startup_heap()

    def left_server(self, guild_id: int) -> bool:
        """Whether the bot was removed from this server (an outage is not: discord.py then
        keeps the server, marked unavailable). Before the first READY nothing is known."""
        return self.is_ready() and self.get_guild(guild_id) is None

    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Invited to a new server: say at once if the invite left out a permission."""
        await self._report_setup(guild)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Removed (not an outage): a re-invite may grant less, so it is reported anew."""
        self._permissions_reported.discard(guild.id)

    async def _report_setup(self, guild: discord.Guild) -> None:
        """Once per server and process: the invite's permissions and the roles' order."""
        if guild.id not in self._permissions_reported:
            self._permissions_reported.add(guild.id)
            startup.report_permissions(guild)
            await startup.report_role_order(self, guild)

    async def close(self) -> None:
        try:
            await self.timers.stop()
        finally:
            try:
                await super().close()
            finally:
                await self.db.close()

    async def run_listeners(self, event: str, *args: object) -> None:
        """Await every cog listener of a bot event, one after another.

        Why: `dispatch` starts them as tasks and returns, so a timer that dispatched
        could not tell whether they ran. A timer that awaits them here is finished only
        when they are, and re-run by a restart if it was cut short. One listener's
        error is logged and does not stop the others.
        """
        for listener in list(self.extra_events.get(f"on_{event}", [])):
            try:
                await listener(*args)
            except Exception:
                log.exception(
                    "listener %s of %s failed", getattr(listener, "__qualname__", "?"), event
                )

    def now(self) -> datetime:
        """The bot's idea of now (tests and the demo inject a ManualClock)."""
        return self.clock.now()


def cog_modules() -> list[str]:
    """Every module in cogs/ except private helpers (leading underscore)."""
    return sorted(
        f"cogs.{info.name}"
        for info in pkgutil.iter_modules(cogs.__path__)
        if not info.name.startswith("_")
    )
