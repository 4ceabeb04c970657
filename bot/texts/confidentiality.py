"""Sentences of the identifier guard. None of them ever quotes what a member wrote."""

# How each kind of identifier is named to the author (never the thing itself).
KIND_NAMES = {
    "date_of_birth": "a full date (it could be a date of birth)",
    "nhs_number": "an NHS number",
    "medicare_number": "a Medicare number",
    "ssn": "a social security number",
    "phone": "a phone number",
    "email": "an e-mail address",
    "record_number": "a medical record number",
    "attachment": "an attachment (documents and pictures count as case notes)",
}

WARN_DM = (
    "Your message in {channel} seems to contain {kinds}. Cases are told from memory, without "
    "anything that could identify a patient. Please edit or delete that message."
)
REMOVED_DM = (
    "I removed your message in {channel} because it seems to contain {kinds}. Cases are told "
    "from memory, without anything that could identify a patient. Please write it again "
    "without that."
)
WARN_NOTICE = "{mention}, your message seems to contain {kinds}. Please edit or delete it."
REMOVED_NOTICE = (
    "{mention}, I removed your message because it seems to contain {kinds}. "
    "Please write it again without that."
)
REACTION = "\N{WARNING SIGN}\N{VARIATION SELECTOR-16}"


def join_kinds(names: list[str]) -> str:
    """'a, b and c' in a fixed order, so the same message always reads the same."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


LEADERS_GUARD_COUNT = (
    "{group}: in the session that just ended, {count} message(s) or thread title(s) looked "
    "like they held a patient identifier. Members were told privately; nothing they wrote "
    "was kept."
)

# A thread's title (a thread's name is written by whoever opened it; a rename is
# checked like a new title). The DM names the parent channel, never the thread: the
# client would show the thread's title in its place.
# Where a message in a thread was, for the DMs above (the parent channel, not the thread).
IN_THREAD = "a thread in {channel}"
THREAD_WARN_DM = (
    "The title of a thread you opened in {channel} seems to contain {kinds}. Cases are told "
    "from memory, without anything that could identify a patient. Please rename the thread."
)
THREAD_RENAMED_DM = (
    "I renamed a thread you opened in {channel} because its title seemed to contain {kinds}. "
    "Cases are told from memory, without anything that could identify a patient."
)
THREAD_WARN_NOTICE = (
    "{mention}, the title of this thread seems to contain {kinds}. Please rename it."
)
THREAD_RENAMED_NOTICE = (
    "{mention}, I renamed this thread because its title seemed to contain {kinds}."
)
# What a thread is renamed to in remove mode (1-100 characters, Discord's limit).
THREAD_NEUTRAL_NAME = "thread (title removed)"
THREAD_RENAME_REASON = "balint-bot: the thread's title looked like it held a patient identifier"

# The reminder that opens a session unless confidentiality_reminder says otherwise.
DEFAULT_REMINDER = (
    "What is said here stays here. No patient names, dates of birth or record numbers, "
    "no notes or documents. Please make sure nobody else can hear or read."
)
