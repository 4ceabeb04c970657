"""Sentences of the groups capability."""

NO_SUCH_GROUP = "There is no group called “{name}” on this server. `/group list` shows the groups."
WHICH_GROUP = (
    "Which group? Run this in the group's channel, or pick the group in the `group` option."
)

# Names of the Discord objects a group gets (not user-facing sentences, but kept here).
LOBBY_SUFFIX = "lobby"
LEADERS_SUFFIX = "leaders"
AUDIT_REASON = "balint-bot: /group {command}"
AUDIT_REASON_REJOINED = "balint-bot: a member of the group came back to the server"
AUDIT_REASON_HAND_GIVEN = (
    "balint-bot: the group's role is only for its members who agreed to the group agreement"
)

# /group create
NAME_PROBLEMS = {
    "empty": "Please give the group a name.",
    "too_long": "Please use a group name of at most {limit} characters.",
    "bad_character": (
        "Please use a group name without @ # : ` * _ ~ | < > \\ or invisible characters."
    ),
}
DUPLICATE_NAME = (
    "There is already a group called “{name}” on this server. Please choose another name."
)
ZONE_PROBLEMS = {
    "offset_not_zone": (
        "Please pick a time zone name such as Europe/London, not an offset like “{zone}”: "
        "offsets change with daylight saving, so sessions would move by an hour twice a year."
    ),
    "unknown_zone": (
        "I do not know the time zone “{zone}”. Please pick one from the list, "
        "such as Europe/London or America/New_York."
    ),
}
SAME_LEADER_TWICE = "The leader and the co-leader must be two different people."
NO_BOTS_AS_LEADER = "A bot cannot lead a group. Please pick a person."
NO_BOTS_AS_MEMBER = "A bot cannot be a member of a group. Please pick a person."
NOT_ON_SERVER = "{user} is not a member of this server."
CREATED = (
    "Group “{name}” is ready: {lobby} is its private lobby and {leaders} the leaders' channel. "
    "Leaders: {leader_list}. Time zone: {zone}. "
    "Add members with `/group add` in the lobby."
)
CREATED_LACKS = (
    "\nNote: my role lacks {permissions}, so parts of the meetings will fail (a session "
    "may not start). A server admin can give them to my role in Server Settings > Roles, "
    "or invite me again with the link in the README."
)

# /group timezone (the zone's problems: ZONE_PROBLEMS above)
ZONE_SET = (
    "{name} now meets in {zone}: every coming session keeps its local time there. "
    "Next session: {when} ({rel})."
)
ZONE_SET_NONE = "{name} now meets in {zone}. There is no upcoming session."
ZONE_KEPT = "The session of {day} keeps its time, {when}: in {zone} it would already have begun."
ZONE_DATE_TAKEN = (
    "{name} cannot move to {zone} yet: the session of {day} keeps its time, which there "
    "falls on {new_day}, a date that already has a session (a date holds one). Nothing was "
    "changed. Try again once that session is over, or first call one of the two off with "
    "`/schedule skip`."
)
ZONE_SAME = "{name} already meets in {zone}. Nothing was changed."
ZONE_LOBBY = (
    "“{name}” now meets on {zone} time: sessions keep their local time there, so they may "
    "be at a different hour for you. `/schedule show` lists the next ones in your own time."
)

# Missing Discord permissions (create, add, repair): which one, and how to fix it.
BOT_LACKS = (
    "I need the {permissions} permission to do this, and I do not have it. Nothing was changed. "
    "A server admin can fix it in Server Settings > Roles: give my role {permissions}."
)
# Said by a failure whose roll-back undid everything; replaced by LEFT_BEHIND when it could not.
NOTHING_LEFT = "Nothing was left half-made."
STEP_FAILED = {
    "role": (
        "Discord refused to let me create the group's role: I need the Manage Roles "
        "permission. Nothing was left half-made. A server admin can fix it in "
        "Server Settings > Roles: give my role Manage Roles, then try again."
    ),
    "channel": (
        "Discord refused to let me create the group's channels: I need the Manage Channels "
        "and Manage Roles permissions. Nothing was left half-made. A server admin can fix it in "
        "Server Settings > Roles: give my role Manage Channels and Manage Roles, then try again."
    ),
    "grant": (
        "Discord refused to let me give the group's role to someone: my role must be above "
        "the group's role and have Manage Roles. Nothing was left half-made. A server admin can "
        "fix it in Server Settings > Roles: drag my role above the group roles, then try again."
    ),
    "revoke": (
        "Discord refused to let me take the group's role away: my role must be above "
        "the group's role and have Manage Roles. A server admin can fix it in Server "
        "Settings > Roles: drag my role above the group roles, then try again."
    ),
    "overwrite": (
        "Discord refused to let me change the group's channel permissions: I need the Manage "
        "Roles and Manage Channels permissions. A server admin can fix it in Server Settings > "
        "Roles: give my role Manage Roles and Manage Channels, then try again."
    ),
}
# 403 Missing Access (50001): one of the group's channels is hidden from the bot.
STEP_HIDDEN = (
    "Discord says I can no longer see one of the group's channels, so I could not change "
    "it. A server admin can let me see it again: in that channel's permissions, allow View "
    "Channel for me (balint-bot's own entry) or my role; then try again."
)
CREATE_RATE_LIMITED = (
    "Discord asked me to slow down while I was changing the group. Nothing was left "
    "half-made. Please try again in a minute."
)
CREATE_DISCORD_DOWN = (
    "Discord did not answer properly while I was changing the group. Nothing was left "
    "half-made. Please try again shortly."
)
STEP_GONE = (
    "Something I needed on Discord has gone (a role, channel or member was deleted "
    "meanwhile). Nothing was left half-made. Please try again; if it happens again, "
    "run `/group repair`."
)

# A roll-back that could not undo every step (Discord failed again): what is left, by hand.
LEFT_BEHIND = "I could not undo all of it: {left}."
LEFT_CHANNEL = "delete the channel #{channel}"
LEFT_ROLE = "delete the role “{role}” (Server Settings > Roles)"
# A create whose answer was lost and whose look-up failed too: it may exist or not.
MAYBE_LEFT_ROLE = (
    "if there is a role “{name}” that no group uses, delete it (Server Settings > Roles)"
)
MAYBE_LEFT_CHANNEL = "if there is a channel #{name} that no group uses, delete it"
LEFT_READ_ONLY = (
    "{lobby} is still read-only for the group: in its permissions, allow Send Messages for "
    "the role “{role}”"
)
LEFT_NO_ROLE = "{user} lost the group's role: give it back with `/group add`"
LEFT_LEADERS_OPEN = "{channel} may still be open to those you named: run `/group repair`"
LEFT_ROLE_KEPT = "{user} kept the group's role: run `/group repair`"

# /group add, /group remove
ARCHIVED = "The group “{name}” is archived. Nothing was changed."
ALREADY_MEMBER = "{user} is already in “{name}”. Nothing was changed."
ROLE_GIVEN_AGAIN = (
    "{user} is already in “{name}” but did not have the group's role: I gave it to them again."
)
ALREADY_LEADER = "{user} already leads “{name}”. Nothing was changed."
TOO_BIG = (
    "“{name}” already has {size} members, the most this server allows ({limit}). "
    "Nothing was changed."
)
ADDED = "{user} is now a member of “{name}” ({size} members)."
SIZE_WARNING = "Note: a Balint group works best with 6 to 12 members; “{name}” now has {size}."
NOT_A_MEMBER = "{user} is not a member of “{name}”. Nothing was changed."
REMOVE_LEADER = (
    "{user} leads “{name}”. Use `/group leaders` to name other leaders first; "
    "then they can be removed."
)
REMOVED = (
    "{user} has left “{name}”: the group's role was taken away; their past attendance is kept."
)
ROLE_MISSING = (
    "The group's role or channel is missing (it was deleted in Discord). "
    "Run `/group repair` first, then try again."
)

# /group leaders
LEADERS_SET = "Leaders of “{name}”: {leader_list}."
LEADERS_STEPPED_DOWN = "Now members: {member_list}."
LEADERS_CHANGED_NOTICE = (
    "The leaders of “{name}” are now {leader_list}. This channel is for the leaders only."
)

# /group info
INFO_TITLE = "{name}"
INFO_ARCHIVED = "Archived {when}."
INFO_LEADERS = "Leaders"
INFO_MEMBERS = "Members"
INFO_ZONE = "Time zone"
INFO_SIZE = "Size"
INFO_SIZE_VALUE = "{members} members, {leaders} leaders"
INFO_NEXT = "Next session"
INFO_NOT_SCHEDULED = "not scheduled"
INFO_NOBODY = "nobody yet"

# /group list
LIST_TITLE = "Groups on this server"
LIST_TITLE_MINE = "Your groups"
LIST_NONE = "You are not in any group on this server."
LIST_NONE_ORGANISER = "There are no groups on this server yet. `/group create` makes one."
LIST_LINE = "**{name}**: {size} members, {zone}{lead}{archived}"
LIST_YOU_LEAD = ", you lead it"
LIST_ARCHIVED = " (archived)"

# /group archive
ARCHIVE_CONFIRM = (
    "Archive “{name}”? The lobby becomes read-only, the group's role is taken from its "
    "members, and the group's records (attendance, sessions) are kept. This cannot be undone "
    "with a command."
)
ARCHIVE_BUTTON = "Archive the group"
ARCHIVE_ONLY_ASKER = "Only the person who asked, or the group's leaders, can confirm this."
ARCHIVED_DONE = "“{name}” is archived: its lobby is read-only and its role was taken away."
ALREADY_ARCHIVED = "“{name}” is already archived."
ARCHIVE_LIVE = (
    "“{name}” has a session under way. End the session first (`/session end`), "
    "then archive the group."
)

# /group repair and hand deletions
REPAIRED = "Repaired “{name}”: recreated {what}."
# A repair that Discord stopped part-way: what it had done is kept, a second run finishes.
REPAIR_PARTLY = "I had already recreated {what}: run `/group repair` again to finish."
REPAIR_UNFINISHED = "The repair is not finished: run `/group repair` again to finish it."
NOTHING_TO_REPAIR = "Nothing is missing for “{name}”: its role and channels are all there."
# DM to a member taken out of a group with /group remove.
REMOVED_DM = (
    "You are no longer a member of the Balint group “{name}”, so its channels are closed "
    "to you. Thank you for the meetings you shared. If this is unexpected, please speak "
    "to the group's leaders."
)
LEADERS_CHANNEL_RESET = (
    "The leaders' channel is again readable by the group's leaders only "
    "({count} access settings set back)."
)
REPAIR_PARTS = {
    "role": "the role",
    "category": "the category",
    "lobby": "the lobby",
    "leaders": "the leaders' channel",
}
DELETED_NOTICE = (
    "Someone deleted {what} of the group “{group}” in Discord. "
    "A leader or organiser can run `/group repair` to recreate it."
)

# A group's role given by hand in Discord to someone who may not hold it (one line each)
HAND_GIVEN = "{user} was given the role of “{name}” by hand but {reason}, so I took it back{todo}."
HAND_GIVEN_STUCK = (
    "{user} was given the role of “{name}” by hand but {reason}, and Discord refused to let "
    "me take it back: please ask a server admin to remove it."
)
HAND_GIVEN_REASONS = {
    "not_member": "is not in the group",
    "not_agreed": "has not agreed to the group agreement",
}
HAND_GIVEN_TODO = {
    "not_member": "; to let them in, run `/group add` for them",
    "not_agreed": (
        "; they get it when they press “I agree” (`/group agreement resend` sends it again)"
    ),
}
REPAIR_TOOK_BACK = (
    "Took the role back from {users}: it was given by hand to people who are not members "
    "who agreed (the leaders were told what to do for each)."
)
REPAIR_STUCK = (
    "Discord refused to let me take the role back from {users} (given by hand to people who "
    "are not members who agreed): please ask a server admin to remove it."
)
