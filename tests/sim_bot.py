"""A tiny stand-in bot used only by the simulator's own tests."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

log = logging.getLogger("bot.sim_bot")


class HelloView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Hello", custom_id="probe:hello")
    async def hello(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message(f"hello {interaction.user.name}", ephemeral=True)


class Feedback(discord.ui.Modal, title="Feedback"):
    text = discord.ui.TextInput(label="Your words", custom_id="feedback:text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class Probe(app_commands.Group):
    def __init__(self) -> None:
        super().__init__(name="probe", description="Simulator probes")

    @app_commands.command(name="ping", description="Answer ephemerally")
    async def ping(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)

    @app_commands.command(name="button", description="Post the hello button")
    async def button(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("press it", view=HelloView())

    @app_commands.command(name="setup", description="Create a role and a private channel")
    @app_commands.describe(name="Name of the group")
    async def setup(self, interaction: discord.Interaction, name: str, size: int = 6) -> None:
        await interaction.response.defer(ephemeral=True)
        guild = interaction.guild
        assert guild is not None
        role = await guild.create_role(name=name, reason="probe setup")
        overwrites = {
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            role: discord.PermissionOverwrite(view_channel=True, send_messages=True),
        }
        channel = await guild.create_text_channel(name, overwrites=overwrites)
        await interaction.followup.send(f"created {role.mention} {channel.mention} ({size})")

    @app_commands.command(name="dm", description="DM the caller")
    async def dm(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        try:
            await interaction.user.send("a private word")
        except discord.Forbidden as exc:
            await interaction.followup.send(f"cannot DM you ({exc.code})", ephemeral=True)
            return
        await interaction.followup.send("sent", ephemeral=True)

    @app_commands.command(name="deferred", description="Think, then follow up twice")
    async def deferred(self, interaction: discord.Interaction, ephemeral: bool) -> None:
        """Each followup asks for the opposite visibility of the deferral."""
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        await interaction.followup.send("first", ephemeral=not ephemeral)
        await interaction.followup.send("second", ephemeral=not ephemeral)

    @app_commands.command(name="report", description="Send a CSV file")
    async def report(self, interaction: discord.Interaction) -> None:
        import io

        file = discord.File(io.BytesIO(b"a,b\n1,2\n"), filename="report.csv")
        await interaction.response.send_message("report", file=file, ephemeral=True)

    @app_commands.command(name="tz", description="Pick a time zone")
    async def tz(self, interaction: discord.Interaction, timezone: str) -> None:
        await interaction.response.send_message(f"zone {timezone}", ephemeral=True)

    @tz.autocomplete("timezone")
    async def tz_complete(self, interaction: discord.Interaction, current: str):
        zones = ["Europe/Budapest", "Europe/London", "America/New_York"]
        return [app_commands.Choice(name=z, value=z) for z in zones if current in z]

    @app_commands.command(name="feedback", description="Open a modal")
    async def feedback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback())

    @app_commands.command(name="long", description="Try content over Discord's 2,000 chars")
    async def long(self, interaction: discord.Interaction) -> None:
        codes: list[str] = []
        try:
            await interaction.response.send_message("x" * 2001, ephemeral=True)
        except discord.HTTPException as exc:
            codes.append(f"callback {exc.status}/{exc.code}")
        await interaction.response.defer(ephemeral=True)
        try:
            await interaction.followup.send("x" * 2001, ephemeral=True)
        except discord.HTTPException as exc:
            codes.append(f"followup {exc.status}/{exc.code}")
        try:
            await interaction.edit_original_response(content="x" * 2001)
        except discord.HTTPException as exc:
            codes.append(f"edit {exc.status}/{exc.code}")
        answer = " ".join(codes) + " "
        await interaction.followup.send(answer + "y" * (2000 - len(answer)), ephemeral=True)

    @app_commands.command(name="embeds", description="Try an embed over Discord's limits")
    async def embeds(self, interaction: discord.Interaction) -> None:
        big = discord.Embed(title="t" * 257)
        codes: list[str] = []
        try:
            await interaction.response.send_message(embed=big, ephemeral=True)
        except discord.HTTPException as exc:
            codes.append(f"callback {exc.status}/{exc.code}")
        await interaction.response.defer(ephemeral=True)
        try:
            await interaction.followup.send(embed=big, ephemeral=True)
        except discord.HTTPException as exc:
            codes.append(f"followup {exc.status}/{exc.code}")
        try:
            await interaction.edit_original_response(embed=big)
        except discord.HTTPException as exc:
            codes.append(f"edit {exc.status}/{exc.code}")
        await interaction.followup.send(" ".join(codes), embed=discord.Embed(title="t" * 256))

    @app_commands.command(name="bigmodal", description="Try modals over Discord's limits")
    async def bigmodal(self, interaction: discord.Interaction) -> None:
        codes: list[str] = []
        too_long_title = discord.ui.Modal(title="t" * 46)
        too_long_title.add_item(discord.ui.TextInput(label="Words", custom_id="w"))
        too_long_value = discord.ui.Modal(title="t" * 45)
        too_long_value.add_item(discord.ui.TextInput(label="l" * 45, default="v" * 4001))
        too_high_max = discord.ui.Modal(title="Max")
        too_high_max.add_item(discord.ui.TextInput(label="Words", max_length=4001))
        modals = (("title", too_long_title), ("value", too_long_value), ("max", too_high_max))
        for name, modal in modals:
            try:
                await interaction.response.send_modal(modal)
            except discord.HTTPException as exc:
                codes.append(f"{name} {exc.status}/{exc.code}")
        await interaction.response.send_message(" ".join(codes), ephemeral=True)

    @app_commands.command(name="mute", description="Server-mute a member")
    async def mute(self, interaction: discord.Interaction, member: discord.Member) -> None:
        await member.edit(mute=True)
        await interaction.response.send_message(f"muted {member.name}", ephemeral=True)


class SimBot(commands.Bot):
    def __init__(self, intents: discord.Intents | None = None) -> None:
        if intents is None:
            intents = discord.Intents.default()
            intents.members = True
        super().__init__(command_prefix=commands.when_mentioned, intents=intents)
        self.seen_messages: list[str] = []

    async def setup_hook(self) -> None:
        self.tree.add_command(Probe())
        self.add_view(HelloView())

    async def on_message(self, message: discord.Message) -> None:
        if not message.author.bot:
            self.seen_messages.append(message.content)
