"""Sentences of the group agreement: its DM, the "I agree" answers and /group agreement."""

DM_TITLE = "The agreement of “{name}”"
DM_INTRO = (
    "You were added to the Balint group “{name}”. Before you see its channels, please read "
    "the group agreement and press “I agree”."
)
DM_INTRO_LEADER = (
    "You lead the Balint group “{name}”, so you already see its channels. Please read the "
    "group agreement and press “I agree” too, as every member does."
)
DM_INTRO_STEPPED_DOWN = (
    "You no longer lead the Balint group “{name}” and stay in it as a member. To see its "
    "channels again, please read the group agreement and press “I agree”."
)
DM_INTRO_CHANGED = (
    "The leaders of “{name}” changed the group agreement. You keep access; please read the "
    "new version and press “I agree”. Until then you are reminded at each session."
)
DM_INTRO_RESENT = "Here is the agreement of “{name}” again. Please read it and press “I agree”."
DM_FOOTER = "Version {version}"
AGREE_BUTTON = "I agree"

AGREED_ACCESS = "Thank you. You now see the group's channels, starting with {lobby}."
AGREED = "Thank you: your agreement to version {version} of “{name}”'s agreement is recorded."
ALREADY_AGREED = "You already agreed to version {version} of “{name}”'s agreement."
OUTDATED = (
    "The leaders of “{name}” have changed the agreement since this message. I sent you the "
    "current version: please read it and press “I agree” there."
)
NOT_A_MEMBER = "You are not a member of “{name}”, so there is nothing to agree to."
NO_SUCH_GROUP = "That group no longer exists."
GROUP_ARCHIVED = "“{name}” is archived: there is nothing to agree to."
ROLE_MISSING = (
    "Your agreement is recorded, but the group's role is missing, so I could not give you "
    "access. Please tell the group's leaders (they can run `/group repair`)."
)
GRANT_FAILED = (
    "Your agreement is recorded, but Discord refused to give you the group's role. Please "
    "tell the group's leaders; pressing “I agree” again later will retry."
)

# /group add: the answer when the member must agree first.
ADDED_PENDING = (
    "{user} is now a member of “{name}” ({size} members). I am sending them the group "
    "agreement by DM; they see the group's channels once they agree. If their DMs are closed "
    "I will say so in the leaders' channel."
)

# Leaders' channel, when the agreement DM could not be delivered.
UNREACHABLE = (
    "I could not send the group agreement to {user}: their direct messages are closed. "
    "Ask them to allow direct messages from server members (the server's Privacy Settings), "
    "then run `/group agreement resend member:` for them."
)

# /group agreement set
MODAL_TITLE = "Group agreement"
MODAL_LABEL = "The agreement every member accepts"
TEXT_PROBLEMS = {
    "too_short": "The agreement must be at least {minimum} characters long. Nothing was changed.",
    "too_long": "The agreement can be at most {maximum} characters long. Nothing was changed.",
    "unchanged": "That is the current agreement already. Nothing was changed.",
}
SET_DONE = (
    "The agreement of “{name}” is now version {version}. I am asking every member to agree "
    "again by DM; they keep access meanwhile and are reminded at each session."
)

# /group agreement show
SHOW_TITLE = "Agreement of “{name}” (version {version})"
SHOW_PENDING = "Not yet agreed to this version"
SHOW_NOBODY_PENDING = "Everyone has agreed."

# /group agreement resend
RESENT = "I sent the agreement of “{name}” to {user} again."
RESEND_UNREACHABLE = (
    "I could not send the agreement to {user}: their direct messages are closed. Ask them "
    "to allow direct messages from server members, then try again."
)
RESEND_FAILED = "Discord did not deliver the agreement to {user}. Please try again shortly."
RESEND_NOT_MEMBER = "{user} is not a member of “{name}”."
RESEND_ALREADY = "{user} has already agreed to the current version of “{name}”'s agreement."

# At the start of a session, when some have not agreed to a changed agreement: one line in
# the session channel that names nobody (colleagues read it), and a DM to each of them.
SESSION_REMINDER = (
    "The group agreement has changed. If you have not agreed to the new version yet, please "
    "read it in your DMs (or with `/group agreement show`) and press “I agree”."
)
SESSION_REMINDER_DM = (
    "A session of “{name}” has started, and you have not agreed to the new version of the "
    "group agreement yet. You keep access meanwhile: please read it below and press “I agree”."
)

# To a leader choosing as presenter a member who has not agreed yet (/case pick,
# /session presenter).
NOT_AGREED_PRESENTER = (
    "{member} has not agreed to the group agreement yet, so they cannot see the meeting or "
    "present. Send it again with `/group agreement resend member:`; once they press "
    "“I agree”, they can present."
)

AUDIT_REASON = "balint-bot: agreed to the group agreement"

# The agreement of a new group unless agreement_text says otherwise (bot/config.py).
DEFAULT_AGREEMENT = (
    "1. What is said in the group stays in the group.\n"
    "2. No patient names or identifiers: no names, dates of birth, record numbers.\n"
    "3. No case notes, documents or pictures: cases are told from memory.\n"
    "4. The group is a safe place to talk about feelings and mistakes; it is not therapy.\n"
    "5. Join each meeting from a private space where nobody else can hear or read."
)
