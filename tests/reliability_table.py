"""The one table of the authorization matrix: every command and button, its Action, how to run it.

Each row names an application command (qualified name) or a button/select
(custom_id prefix, "balint:s:<action>" for the status buttons), the Action of
bot/domain/access.py it is checked against, and a runner that performs it as a
given user in a ReliabilityWorld. The expected cell for each actor comes from
`ALLOWED`; `note` records where a row deviates from the obvious mapping.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.access import Action, Actor, is_allowed_any
from bot.texts import agreement as agreement_texts
from bot.texts import cases as case_texts
from tests.reliability_runners import (
    GROUP,
    Runner,
    Setup,
    after_command,
    channel_button,
    dm_button,
    followup_asked,
    frame_button,
    member_offers_case,
    new_group_name,
    newcomer,
    oneself,
    press_start_button,
    reminder_sent,
    removable_member,
    second_member,
    session_ended,
    slash,
    start_button_due,
    start_button_ready,
    status_button,
)

A = Action

# The roles each test actor holds with respect to group A (what bot/access.py computes).
ROLES: dict[str, frozenset[Actor]] = {
    "outsider": frozenset({Actor.OUTSIDER}),
    "other_group_member": frozenset({Actor.OUTSIDER, Actor.OTHER_GROUP_MEMBER}),
    "member": frozenset({Actor.MEMBER}),
    "presenter": frozenset({Actor.MEMBER, Actor.PRESENTER}),
    "admin": frozenset({Actor.OUTSIDER, Actor.ADMIN, Actor.ORGANISER}),
    "organiser": frozenset({Actor.OUTSIDER, Actor.ORGANISER}),
    "co_leader": frozenset({Actor.MEMBER, Actor.CO_LEADER}),
    "leader": frozenset({Actor.MEMBER, Actor.LEADER}),
}


@dataclass(frozen=True)
class Row:
    key: str  # qualified command name, or a custom_id prefix
    action: Action
    run: Runner
    setup: Setup | None = None
    note: str = ""
    # Before each run in a world the last run may have moved on (tests/test_reliability_faults
    # reuses one): bring back what the run needs, so its before/after compare only the run.
    ready: Setup | None = None
    # Actors who cannot reach the button at all (ephemeral to someone else, or never shown
    # to them): the cell is "refused" because Discord never lets them press it.
    unreachable_refused: bool = False
    # Buttons bound to one person (the presenter's follow-up): everyone else gets `refusal`.
    only_actor: str | None = None
    refusal: str | None = None

    @property
    def is_button(self) -> bool:
        return self.key.startswith("balint:")

    def allowed(self, actor: str) -> bool:
        if self.only_actor is not None and actor != self.only_actor:
            return False
        return is_allowed_any(self.action, ROLES[actor])


# --- the table -------------------------------------------------------------------------------

ROWS: list[Row] = [
    # /balint, /privacy: anyone
    Row("balint about", A.ABOUT, slash("balint about")),
    Row("privacy show", A.PRIVACY_SHOW, slash("privacy show")),
    Row("privacy export", A.PRIVACY_EXPORT, slash("privacy export")),
    Row("privacy forget", A.PRIVACY_FORGET, slash("privacy forget")),
    Row(
        "balint:forget:",
        A.PRIVACY_FORGET,
        after_command("privacy forget", "balint:forget:"),
        note="ephemeral to the asker and bound to their id: each erases only their own records",
    ),
    # /group
    Row(
        "group create",
        A.GROUP_CREATE,
        slash("group create", name=new_group_name, timezone="Europe/Paris"),
    ),
    Row("group add", A.GROUP_ADD, slash("group add", member=newcomer, group=GROUP)),
    Row(
        "group remove", A.GROUP_REMOVE, slash("group remove", member=removable_member, group=GROUP)
    ),
    Row(
        "group leaders",
        A.GROUP_LEADERS,
        slash(
            "group leaders",
            leader=lambda rw, _u: rw.a.leader,
            co_leader=lambda rw, _u: rw.a.co_leader,
            group=GROUP,
        ),
    ),
    Row("group info", A.GROUP_INFO, slash("group info", group=GROUP)),
    Row("group list", A.GROUP_LIST, slash("group list"), note="each sees only their own groups"),
    Row("group archive", A.GROUP_ARCHIVE, slash("group archive", group=GROUP)),
    Row(
        "balint:archive:",
        A.GROUP_ARCHIVE,
        after_command("group archive", "balint:archive:", group=GROUP),
        note="the confirmation is ephemeral to whoever ran /group archive",
        unreachable_refused=True,
    ),
    Row("group repair", A.GROUP_REPAIR, slash("group repair", group=GROUP)),
    Row(
        "group timezone",
        A.GROUP_TIMEZONE,
        slash("group timezone", zone="Australia/Sydney", group=GROUP),
    ),
    Row("group agreement set", A.GROUP_AGREEMENT_SET, slash("group agreement set", group=GROUP)),
    Row("group agreement show", A.GROUP_AGREEMENT_SHOW, slash("group agreement show", group=GROUP)),
    Row(
        "group agreement resend",
        A.GROUP_AGREEMENT_SET,
        slash("group agreement resend", member=second_member, group=GROUP),
        note="checked as GROUP_AGREEMENT_SET: resending is part of managing the agreement",
    ),
    Row(
        "balint:agree:",
        A.AGREEMENT_ACCEPT,
        dm_button("balint:agree:"),
        note="sent by DM to members only; anyone else pressing it is told they are not a member",
        refusal=agreement_texts.NOT_A_MEMBER.format(name=GROUP),
    ),
    # /schedule, /reminders, RSVP
    Row(
        "schedule set",
        A.SCHEDULE_SET,
        slash("schedule set", cadence="weekly", weekday=1, time="19:00", group=GROUP),
    ),
    Row(
        "schedule once",
        A.SCHEDULE_ONCE,
        slash("schedule once", date="2026-12-10", time="19:00", group=GROUP),
    ),
    Row("schedule show", A.SCHEDULE_SHOW, slash("schedule show", group=GROUP)),
    Row("schedule calendar", A.SCHEDULE_CALENDAR, slash("schedule calendar", group=GROUP)),
    Row("schedule roster", A.SCHEDULE_ROSTER, slash("schedule roster", group=GROUP)),
    Row("schedule skip", A.SCHEDULE_SKIP, slash("schedule skip", date="2026-12-01", group=GROUP)),
    Row(
        "schedule move",
        A.SCHEDULE_MOVE,
        slash(
            "schedule move", date="2026-12-01", new_date="2026-12-02", new_time="19:00", group=GROUP
        ),
    ),
    Row("schedule clear", A.SCHEDULE_CLEAR, slash("schedule clear", group=GROUP)),
    Row(
        "schedule events",
        A.SCHEDULE_SET,
        slash("schedule events", state="off", group=GROUP),
        note="checked as SCHEDULE_SET: the Discord event is part of the schedule",
    ),
    Row("reminders", A.REMINDERS_TOGGLE, slash("reminders", state="off", group=GROUP)),
    Row("balint:rsvp:", A.RSVP, dm_button("balint:rsvp:"), setup=reminder_sent),
    # /session, /phase, turns
    Row("session start", A.SESSION_START, slash("session start", group=GROUP)),
    Row(
        "balint:startnow:",
        A.SESSION_START,
        press_start_button,
        setup=start_button_due,
        ready=start_button_ready,
        note="the lobby button of a due scheduled session runs /session start's path",
    ),
    Row("session end", A.SESSION_END, slash("session end", group=GROUP)),
    Row(
        "session presenter",
        A.CASE_PICK,
        slash("session presenter", member=second_member, group=GROUP),
        note="checked as CASE_PICK: the same choice as /case pick",
    ),
    Row("phase next", A.PHASE_NEXT, slash("phase next", group=GROUP)),
    Row("phase goto", A.PHASE_GOTO, slash("phase goto", phase="questions", group=GROUP)),
    Row("phase extend", A.PHASE_EXTEND, slash("phase extend", minutes=5, group=GROUP)),
    Row("turns", A.TURNS_MODE, slash("turns", mode="hands", group=GROUP)),
    Row("round start", A.ROUND_START, slash("round start", group=GROUP)),
    Row("floor give", A.FLOOR_GIVE, slash("floor give", member=second_member, group=GROUP)),
    Row("away", A.AWAY, slash("away", group=GROUP)),
    Row("back", A.BACK, slash("back", group=GROUP)),
    Row("balint:s:next", A.PHASE_NEXT, status_button("next")),
    Row("balint:s:extend", A.PHASE_EXTEND, status_button("extend")),
    Row("balint:s:nextspk", A.NEXT_SPEAKER, status_button("nextspk")),
    Row("balint:s:raise", A.RAISE_HAND, status_button("raise")),
    Row("balint:s:lower", A.RAISE_HAND, status_button("lower"), note="lowering is raising's undo"),
    Row("balint:s:done", A.DONE, status_button("done")),
    Row("balint:s:pass", A.PASS_TURN, status_button("pass")),
    Row("balint:s:here", A.IM_HERE, status_button("here")),
    Row("balint:ack:", A.ACK_CONFIDENTIALITY, frame_button("balint:ack")),
    Row(
        "balint:ackwho:",
        A.PHASE_NEXT,
        frame_button("balint:ackwho"),
        note="leaders only, checked as PHASE_NEXT: who has not read the reminder",
    ),
    # /case
    Row("case pick", A.CASE_PICK, slash("case pick", member=second_member, group=GROUP)),
    Row("case list", A.CASE_PICK, slash("case list", group=GROUP), note="checked as CASE_PICK"),
    Row("case offers", A.CASE_OFFERS, slash("case offers", group=GROUP)),
    Row("case history", A.CASE_HISTORY, slash("case history", group=GROUP)),
    Row("balint:offer:", A.CASE_OFFER, channel_button("balint:offer:")),
    Row(
        "balint:pickmenu:",
        A.CASE_PICK,
        after_command("case list", "balint:pickmenu:", select=True, group=GROUP),
        setup=member_offers_case,
        note="the select is ephemeral to the leader who ran /case list",
        unreachable_refused=True,
    ),
    Row(
        "balint:fu:",
        A.FOLLOWUP_ANSWER,
        dm_button("balint:fu:"),
        setup=followup_asked,
        only_actor="presenter",
        refusal=case_texts.FOLLOWUP_GONE,
        note="only the presenter of the case may answer; anyone else is told the case is gone",
    ),
    # /attendance, /pulse
    Row(
        "attendance mark",
        A.ATTENDANCE_MARK,
        slash("attendance mark", member=second_member, status="present", group=GROUP),
    ),
    Row("attendance me", A.ATTENDANCE_ME, slash("attendance me", group=GROUP)),
    Row("attendance group", A.ATTENDANCE_GROUP, slash("attendance group", group=GROUP)),
    Row("attendance export", A.ATTENDANCE_EXPORT, slash("attendance export", group=GROUP)),
    Row(
        "attendance certificate",
        A.ATTENDANCE_CERTIFICATE,
        slash("attendance certificate", member=oneself, group=GROUP),
        note="one's own certificate (leaders may ask for anyone's)",
    ),
    Row("attendance chart", A.ATTENDANCE_CHART, slash("attendance chart", group=GROUP)),
    Row("pulse", A.PULSE_VIEW, slash("pulse", group=GROUP)),
    Row("balint:pulse:", A.PULSE_ANSWER, dm_button("balint:pulse:"), setup=session_ended),
    # /settings
    Row("settings show", A.GROUP_INFO, slash("settings show", group=GROUP)),
    Row(
        "settings set",
        A.GROUP_SETTINGS,
        slash("settings set", setting="voice_mode", value="enforced", group=GROUP),
    ),
    Row(
        "settings reset",
        A.GROUP_SETTINGS,
        slash("settings reset", setting="voice_mode", group=GROUP),
    ),
]

BY_KEY: dict[str, Row] = {row.key: row for row in ROWS}
assert len(BY_KEY) == len(ROWS), "duplicate keys in the reliability table"


def sample_custom_id(key: str) -> str:
    """A custom_id of the row's shape, to match against the registered templates."""
    if key.startswith("balint:s:"):
        return f"balint:s:1:{key.split(':')[2]}"
    samples = {
        "balint:forget:": "balint:forget:1",
        "balint:archive:": "balint:archive:1:2",
        "balint:rsvp:": "balint:rsvp:1:yes",
        "balint:ack:": "balint:ack:1",
        "balint:ackwho:": "balint:ackwho:1",
        "balint:offer:": "balint:offer:1:case",
        "balint:pickmenu:": "balint:pickmenu:1",
        "balint:fu:": "balint:fu:1:yes",
        "balint:pulse:": "balint:pulse:1:safe:3",
        "balint:startnow:": "balint:startnow:1",
        "balint:agree:": "balint:agree:1:1",
    }
    return samples[key]
