"""The Discord permissions the bot's own code uses, and why; the invite URL comes from here."""

from __future__ import annotations

import discord

WHY = {
    "manage_roles": "create each group's role, grant it, and set channel overwrites per phase",
    "manage_channels": "create the group's category, lobby and per-session channels; delete them",
    "view_channel": "see the channels it manages",
    "send_messages": "post the frame, the status message and the case call",
    "embed_links": "show the status and info embeds",
    "attach_files": "send the calendar (.ics), attendance CSV and charts",
    "read_message_history": "edit its status message and purge a session's messages",
    "manage_messages": "remove a message with an identifier (guard mode remove) and purge",
    "add_reactions": "mark a message that looks like it contains an identifier",
    # Discord refuses an overwrite that allows a permission the bot does not hold itself.
    "connect": "let the group (and itself) into the session's voice channel, nobody else",
    "speak": "let the group speak in the session's voice channel",
    "mute_members": "enforced voice turn-taking (only if a group turns it on)",
    # Losing Connect does not disconnect a member already in the channel.
    "move_members": "take someone removed from a group out of its session's voice channel",
    # Create Events also edits and deletes the events the bot made; Manage Events (everyone's
    # events) is not needed: the bot never touches an event it did not make.
    "create_events": "create, move and cancel the group's Discord scheduled events",
    # Discord refuses an overwrite that denies a permission the bot does not hold itself.
    "create_public_threads": "deny threads in the session channel (no talk beside the turns)",
    "create_private_threads": "deny private threads in the session channel",
    "send_messages_in_threads": "deny writing in threads of the session channel",
    # Private threads reach only their members and moderators (Manage Threads).
    "manage_threads": "see private threads in a group's channels, which the identifier guard "
    "reads, rename a thread whose title holds an identifier (guard mode remove), and delete "
    "the threads left in a permanent session channel when its session is purged",
}

REQUIRED = discord.Permissions(**dict.fromkeys(WHY, True))


def invite_url(application_id: int | str = "YOUR_APPLICATION_ID") -> str:
    """The OAuth2 URL that adds the bot with exactly these permissions and slash commands."""
    return (
        "https://discord.com/oauth2/authorize?client_id="
        f"{application_id}&scope=bot+applications.commands&permissions={REQUIRED.value}"
    )


# The names Discord's Server Settings > Roles shows, where they differ from the flag's.
LABELS = {"view_channel": "View Channels", "send_messages_in_threads": "Send Messages in Threads"}


def label(flag: str) -> str:
    return LABELS.get(flag, flag.replace("_", " ").title())


def missing(have: discord.Permissions) -> list[str]:
    """The invite's permissions the bot's roles do not give it, as the server admin sees them.

    Why: a bot invited by hand, or whose role was edited, fails later and far from the
    cause (a session that will not start); naming the gap at start and at /group create
    tells the admin what to give.
    """
    if have.administrator:
        return []
    return [label(flag) for flag in WHY if not getattr(have, flag)]
