"""Sentences of the groups capability."""

NO_SUCH_GROUP = "There is no group called “{name}” on this server. `/group list` shows the groups."
WHICH_GROUP = (
    "Which group? Run this in the group's channel, or pick the group in the `group` option."
)
