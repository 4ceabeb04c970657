"""Sentences of the anonymous pulse survey."""

QUESTION_TEXT = {
    "useful": "How useful was the session for you?",
    "safe": "How safe did the group feel?",
    "leave_vs_arrive": "How do you leave, compared with how you arrived?",
}
QUESTION_SHORT = {"useful": "useful", "safe": "safe", "leave_vs_arrive": "leave vs arrive"}

DM_INTRO = (
    "Thank you for coming to {group} today. Three optional one-click questions, "
    "1 (low) to 5 (high). Your answers are anonymous: only the number of answers per value "
    "is kept, never who gave them. The survey closes {closes}."
)
# Which buttons answer which question, in words: "Row 1." read like a spreadsheet and its
# "1" was taken for the answer button "1". One place per question, top to bottom.
DM_QUESTION = "**{place} buttons:** {question}"
DM_PLACES = ("Top", "Middle", "Bottom")

THANKS = "Thank you, your answer is counted anonymously."
ALREADY = "You have already answered this question; your first answer stands. Thank you!"
CLOSED = "This survey has closed, so no more answers can be counted. Thank you all the same."

# /pulse
VIEW_TITLE = "Pulse of {group}, last {count} sessions (averages 1-5, with the number of answers):"
VIEW_TITLE_ONE = "Pulse of {group}, last session (averages 1-5, with the number of answers):"
VIEW_LINE = "**{date}**: {figures}"
VIEW_FIGURE = "{question} {average:.2f} (n={n})"
VIEW_HIDDEN = "fewer than {minimum} answers, figures hidden"
VIEW_OPEN = "survey still open, figures shown once it closes {closes}"
VIEW_NONE = "{group} has no ended sessions yet, so there is no pulse to show."
VIEW_NO_CHART = "No session has enough answers for a chart yet."
CHART_TITLE = "Pulse trend (average, 1-5)"
