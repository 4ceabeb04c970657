"""Sentences of /privacy: what is kept, export, forget."""

SHOW_TITLE = "What balint-bot keeps about people"
SHOW_INTRO = (
    "I keep Discord ids, roles, times and counts only, never what anyone writes or says. "
    "`/privacy export` sends you every record about you; `/privacy forget` erases it. "
    "Data is deleted once older than {days} days."
)
SHOW_FIELD = "{why}\nKept: {retention}"

EXPORT_DONE = (
    "Here is every record I keep about you ({rows} in all). Read {summary}: it explains "
    "each kind of record in plain words. {json_file} holds the same records exactly as "
    "stored, for a computer. Pulse survey answers are anonymous, so none can be linked to "
    "you or exported."
)
EXPORT_ZIPPED = (
    "Your record is larger than Discord lets me send as it is, so both files are packed "
    "in one zip file, {zip_file}: open it to find them."
)
EXPORT_TOO_LARGE = (
    "Your records make a file larger than Discord lets me send ({size} MB; the limit here "
    "is {limit} MB), even packed in a zip. Nothing was sent and nothing was changed. "
    "Please tell the person who runs balint-bot for your server: they can give you a copy."
)
EXPORT_NOTE = (
    "Every record balint-bot keeps about this person: Discord ids, roles, settings and times only. "
    "Pulse survey answers are anonymous and cannot be linked to anyone, so none are included."
)
EXPORT_FILENAME = "balint-bot-my-data.json"

FORGET_ASK = (
    "This erases every record I keep about you on every server: group memberships, agreement "
    "acceptances, replies, attendance, cases presented, turns and reminders. You will leave "
    "every group you are in, and leaders will be told only that a member's record was erased. "
    "This cannot be undone."
)
FORGET_SOLE_LEADER = (
    "You are the only leader of {groups}: after this, the group has no leader until an "
    "organiser (role **{organiser_role}**) names one with `/group leaders`."
)
FORGET_LEADERLESS = (
    "{groups} now has no leader: ask an organiser (role **{organiser_role}**) to name one "
    "with `/group leaders`."
)
FORGET_BUTTON = "Erase my records"
# The question's last line: nothing is erased yet.
FORGET_HOW = (
    "Nothing is erased yet: press “{button}” below to go ahead. To keep your records, "
    "just leave this message."
)
FORGET_NOT_YOURS = "Only the person who asked can press this button."
FORGET_DONE = "Done: I erased every record I kept about you ({rows} in all)."
FORGET_AUDIT_REASON = "balint-bot: the member erased their records"
FORGET_ROLE_KEPT = (
    "Discord did not let me take away your group role, so you can still see the group's "
    "channels: leave them from the server's menu, or ask a leader to remove the role."
)
FORGET_MUTE_KEPT = (
    "I had muted you in voice for turn-taking and could not lift it now (you are not in a "
    "voice channel): I keep only that one note, and lift the mute and erase it the next time "
    "you join a voice channel on that server."
)
FORGET_NOTHING = "I kept no records about you, so there was nothing to erase."
LEADERS_ERASED = "A member's record was erased."
