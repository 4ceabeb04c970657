"""Sentences of the cases capability: volunteering, picking, follow-ups, fairness."""

# Buttons (the same three before and in the meeting).
OFFER_CASE = "I have a case"
OFFER_FOLLOWUP = "I have a follow-up"
OFFER_NONE = "Not this time"

# Before the meeting, by DM.
PROMPT_DM = (
    "**{group}**: Do you have a case for the meeting on {when}?\n"
    "Your answer is private: only the leaders see it. Nobody is expected to bring one."
)

# In the meeting: the call and its counter (never a name).
CALL = "**Who has a case?** Press a button below; only the leaders see who offered."
COUNTER_NONE = "No case offered yet."
COUNTER_ONE = "A case has been offered."
COUNTER_MANY = "{count} cases have been offered."

# Answers to the presser (ephemeral).
THANKS = {
    "case": "Thank you: the leaders know you have a case. They will choose who presents.",
    "followup": "Thank you: the leaders know you have a follow-up.",
    "none": "Thank you, noted: not this time.",
}
MEETING_OVER = "This meeting is over or was cancelled; nothing was recorded."

# To the leaders only.
LEADERS_OFFERED = {
    "case": "{member} offered a case.",
    "followup": "{member} offered a follow-up.",
    "none": "{member} has no case this time.",
}

# Picking.
NO_LIVE_SESSION = "{group} has no meeting running. Start one with `/session start` first."
NOT_MEMBER = "{member} is not a member of {group}; only members can present."
ALREADY_PRESENTING = "{member} is already presenting in this meeting."
NOT_CASE_CALL = (
    "The presenter is chosen in the “Who has a case?” phase. "
    "Move there with `/phase goto` (pick “Who has a case?”), then choose the presenter."
)
MAX_CASES = (
    "This meeting already has {max_cases} case(s), the group's maximum. Go to the closing "
    "with `/phase goto`, or raise “Cases per meeting” with `/settings set`."
)
PICKED = "{member} will present."
PICKED_FOLLOWUP = "{member} will present a follow-up."
PICK_DONE = "Done: {member} presents (case {position} of at most {max_cases})."

# The leaders' list.
LIST_TITLE = "Cases for the meeting of {group} ({when})"
LIST_PROMISED = "Follow-ups promised for this meeting"
LIST_VOLUNTEERS = "Volunteers"
LIST_NOT_THIS_TIME = "Not this time: {members}"
LIST_LINE_PROMISED = "{index}. {member}: follow-up (promised){extra}"
LIST_LINE_NEW_INSTEAD = " (offered a new case instead)"
LIST_LINE_CASE = "{index}. {member}: a case"
LIST_LINE_FOLLOWUP = "{index}. {member}: a follow-up"
LIST_PRESENTING = "Presenting in this meeting: {members}"
LIST_PICK_HINT = "Choose in the menu below, or with `/case pick member`."
LIST_PLACEHOLDER = "Choose who presents"
LIST_OPTION_CASE = "a case"
LIST_OPTION_FOLLOWUP = "a follow-up"
LIST_OPTION_PROMISED = "a follow-up (promised)"
NO_VOLUNTEER = (
    "Nobody has offered a case yet. You could:\n"
    "- wait a little: silence before someone offers is normal;\n"
    "- run a go-round with `/round start`, so that everyone is asked in turn;\n"
    "- invite a follow-up of an earlier case ({followups}).\n"
    "I never choose a presenter myself; when someone agrees, use `/case pick member`."
)
NO_PROMISED = "none is promised for this meeting"
OFFERS_NONE_YET = "No answers yet for this meeting."
NO_MEETING = "{group} has no meeting running or planned. Set a schedule with `/schedule set` first."

# Follow-ups, by DM.
FOLLOWUP_DM = (
    "**{group}**: At the meeting on {date} you presented a case. "
    "Would you like to give the group a follow-up?"
)
FOLLOWUP_YES = "Yes, next time"
FOLLOWUP_LATER = "Later"
FOLLOWUP_NO = "No"
FOLLOWUP_THANKS = {
    "yes": "Thank you: your follow-up is on the list for the next meeting.",
    "later": "Fine: I will ask again before the meeting after that.",
    "no": "Thank you, noted. No follow-up.",
}
# Leaders' channel: the follow-up question could not be sent (closed DMs). No case named.
FOLLOWUP_UNREACHABLE = (
    "I could not ask {member} by direct message whether they would like to give a follow-up "
    "of the case they presented on {date} (their direct messages may be closed). You could "
    "ask them yourselves."
)
FOLLOWUP_CLOSED = "This follow-up question is closed already."
FOLLOWUP_GONE = "I cannot find that case any more; nothing was changed."

# Fairness.
HISTORY_TITLE = "Who presented in {group}"
HISTORY_LINE = "{member}: {cases} case(s), last on {last}, {since} meeting(s) since"
HISTORY_LINE_NEVER = "{member}: no case yet, {since} meeting(s) since joining"
HISTORY_EMPTY = "{group} has no members yet."
CALL_FAILED = (
    '{group}: Discord would not let me post "Who has a case?" in the session channel, so '
    "members cannot offer by button. Ask the group aloud, then use `/case pick`."
)
