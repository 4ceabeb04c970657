"""Sentences shared by every capability: errors, refusals, /balint about."""

ABOUT_TITLE = "balint-bot {version}"
ABOUT_FIELD_DATA = "Data"
ABOUT_FIELD_GUARD = "Confidentiality"
ABOUT_FIELD_HELP = "Help"
ABOUT_BODY = (
    "I help remote Balint groups meet: I schedule sessions in each group's time zone, "
    "remind members, keep the frame of the meeting (phases, turns, time) in a private "
    "channel, and remind everyone that what is said stays in the group."
)
ABOUT_DATA = (
    "I keep metadata only: who is in which group and with which role, when sessions are, "
    "who came, who presented when, who accepted the group agreement and when, and when "
    "reminders are due. I never store what anyone writes. `/privacy` lists every kind of "
    "data in detail."
)
ABOUT_GUARD_ON = (
    "Identifier guard: on ({mode} by default; each group's leaders can change it with /settings)."
)
ABOUT_GUARD_OFF = (
    "Identifier guard: off (the Message Content intent is not enabled for this bot, "
    "so I cannot check messages for patient identifiers)."
)
ABOUT_HELP = "See the README that came with the bot ({url}): set-up, commands, settings."
HELP_URL = "https://github.com/balint-bot/balint-bot#readme"

# Refusals: who may run it, so the user knows whom to ask.
WHO_MAY = {
    "leaders": "Only the group's leaders can do this.",
    "leaders_or_organisers": "Only the group's leaders or a server organiser can do this.",
    "organisers": (
        "Only server organisers can do this: members with Manage Server or the "
        "“{organiser_role}” role."
    ),
    "group_members": "Only members of this group can do this.",
    "group_members_or_organisers": (
        "Only members of this group or a server organiser can do this."
    ),
    "anyone": "You cannot do this here.",
}
GUILD_ONLY = "This command works only in a server, not in direct messages."
# A user option naming someone who has left the server (Discord sends no member for them).
NOT_IN_SERVER = "{who} is not a member of this server (any more). Nothing was changed."
UNEXPECTED_ERROR = (
    "Something went wrong on my side and nothing was changed. Please try again; "
    "if it happens again, tell the server admin (the bot's log has the details)."
)
# What to give the bot's role when Discord refused a change (the README's invite has them all).
# What MISSING_PERMISSIONS says was refused.
MISSING_FOR_COMMAND = "this command"
MISSING_FOR_CHANGE = "the server refused a change"
INVITE_PERMISSIONS = "every permission of the invite link in the README (or re-invite me with it)"
MISSING_PERMISSIONS = (
    "I am missing a Discord permission for this ({what}). Nothing was left half-done. "
    "A server admin can fix it in Server Settings > Roles: give my role {permissions} and "
    "drag my role above the group roles."
)
# 403 Missing Access (50001): a channel the change needs is hidden from the bot.
MISSING_ACCESS = (
    "Discord says I can no longer see a channel this needs, so nothing was changed. A "
    "server admin can let me see it again: in that channel's permissions, allow View "
    "Channel for me (balint-bot's own entry) or my role; then try again."
)
RATE_LIMITED = (
    "Discord is asking me to slow down. Nothing was changed; please try again in a minute."
)
DISCORD_DOWN = "Discord did not answer properly. Nothing was changed; please try again shortly."
COOLDOWN = "Please wait {seconds:.0f} seconds before trying that again."

# Lists cut to fit Discord's 2,000 characters (bot/textfit.py).
AND_MORE = "… and {count} more"
# A group's name in a DM to someone who is also in a group of that name on another server.
GROUP_ON_SERVER = "{group} ({server})"
# A leaders' notice that names no group ("A member's record was erased."), by DM: the
# leaders' channel is the group's own, a DM is not.
DM_NOTICE = "{group}: {notice}"

# The audit log's reason for deleting a second copy Discord made of one create (a 502 after
# the work, then discord.py's retry): cogs/_lost_answers.py.
DOUBLE_AUDIT = "balint-bot: a second copy made when Discord lost an answer"
