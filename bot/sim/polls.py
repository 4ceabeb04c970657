"""Members' polls in the fake Discord, as Discord documents them (Poll resource).

A poll is a message: a member sends Create Message with a `poll` request object
(question {text}, answers [{poll_media {text, emoji?}}], duration in hours,
allow_multiselect) and Discord sends MESSAGE_CREATE whose `poll` field is the poll
object: the same question, answers numbered by `answer_id` from 1, `expiry` (the
duration turned into a time), allow_multiselect, layout_type and results.

Sending one needs what any message needs (View Channel and Send Messages, or Send
Messages in Threads in a thread) and Send Polls (1 << 49) too, so a channel that
denies Send Messages shuts out polls whatever Send Polls says.

A poll ends at its expiry (`end_poll`), or earlier when its author asks (End Poll,
`POST /channels/{channel.id}/polls/{message.id}/expire`: "You cannot end polls from
other users"; it answers with the message). Either way Discord sends MESSAGE_UPDATE of
the poll message, `poll.results.is_finalized` true once the final tally is done and
`edited_timestamp` as it was (an end is no edit), and posts the "poll results" notice:
a message of type 46 (POLL_RESULT) by the poll's author, its content empty, referring
to the poll, with one embed of type "poll_result" whose fields carry the question and
the winner (docs/resources/message, "Poll Result Embed Fields").
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from . import payloads as P
from .permissions import READ_HISTORY, VIEW_CHANNEL
from .routes_guild import Result, fail
from .threads import publish_if_seen, wake
from .world import Channel, Member, Message, User

if TYPE_CHECKING:
    from .simulator import Simulator
    from .transport import Call

QUESTION_LIMIT = 300  # characters of the question's text
ANSWER_LIMIT = 55  # characters of each answer's text
ANSWERS_LIMIT = 10  # answers per poll
DURATION_HOURS = (1, 768)  # "up to 32 days", 24 when left out
POLL_RESULT = 46  # message type of the "poll results" notice
POLL_EXPIRED = (400, P.error(520001, "Poll expired"))
NOT_A_POLL = (400, P.error(520006, "Cannot expire a non-poll message"))
NOT_THE_AUTHOR = (403, P.error(50005, "Cannot edit a message authored by another user"))


def request(
    question: str, answers: list[str], *, duration: int = 24, allow_multiselect: bool = False
) -> dict[str, Any]:
    """The `poll` of a Create Message body, as a Discord client sends it."""
    return {
        "question": {"text": question},
        "answers": [{"poll_media": {"text": text}} for text in answers],
        "duration": duration,
        "allow_multiselect": allow_multiselect,
        "layout_type": 1,
    }


def check(body: dict[str, Any]) -> None:
    """Fail loudly on a poll Discord answers 400 to: a test must not rely on one."""
    question = (body.get("question") or {}).get("text") or ""
    answers = body.get("answers") or []
    duration = body.get("duration", 24)
    if not 1 <= len(question) <= QUESTION_LIMIT:
        raise AssertionError(f"a poll's question takes 1..{QUESTION_LIMIT} characters")
    if not 1 <= len(answers) <= ANSWERS_LIMIT:
        raise AssertionError(f"a poll takes 1..{ANSWERS_LIMIT} answers, got {len(answers)}")
    for answer in answers:
        text = answer["poll_media"].get("text") or ""
        if not 1 <= len(text) <= ANSWER_LIMIT:
            raise AssertionError(f"a poll's answer takes 1..{ANSWER_LIMIT} characters")
    low, high = DURATION_HOURS
    if not low <= duration <= high:
        raise AssertionError(f"a poll lasts {low}..{high} hours, not {duration}")


def poll_object(body: dict[str, Any], created_at: dt.datetime) -> dict[str, Any]:
    """The message's `poll` field that Discord makes of a create request."""
    expiry = created_at + dt.timedelta(hours=body.get("duration", 24))
    return {
        "question": {"text": body["question"]["text"]},
        "answers": [
            {"answer_id": i, "poll_media": dict(answer["poll_media"])}
            for i, answer in enumerate(body["answers"], start=1)
        ],
        "expiry": expiry.isoformat(),
        "allow_multiselect": bool(body.get("allow_multiselect", False)),
        "layout_type": body.get("layout_type", 1),
        "results": {"is_finalized": False, "answer_counts": []},
    }


async def post_poll(
    self: Simulator,
    user: User | Member,
    channel: Channel,
    question: str,
    answers: list[str],
    *,
    duration: int = 24,
    allow_multiselect: bool = False,
) -> Message | None:
    """A human posts a poll; returns the message or None when Discord would refuse it."""
    u = user.user if isinstance(user, Member) else user
    body = request(question, answers, duration=duration, allow_multiselect=allow_multiselect)
    check(body)
    if channel.type != 1:
        send = "send_messages_in_threads" if channel.is_thread else "send_messages"
        locked = channel.is_thread and channel.archived and channel.locked
        need = ["view_channel", send, "send_polls"] + (["manage_threads"] if locked else [])
        if not self.can(u, channel, *need):
            self.refused_posts.append((u, channel, question))
            return None
    if channel.is_thread:
        wake(self, channel)
    msg = Message(
        id=self.world.snowflake(), channel_id=channel.id, author=u, guild_id=channel.guild_id
    )
    msg.poll = poll_object(body, msg.created_at)
    if channel.is_thread:
        channel.thread_members.add(u.id)
        publish_if_seen(self, msg, channel)
    else:
        self.publish(msg)
    await self.settle()
    return msg


def result_embed(poll: dict[str, Any]) -> dict[str, Any]:
    """The notice's embed: the question, the top count, the total, the winner if one.

    With no votes or a tie there is no single winner, and no victor_answer_* fields.
    """
    counts = {c["id"]: c["count"] for c in poll["results"]["answer_counts"]}
    top = max(counts.values(), default=0)
    fields = [
        ("poll_question_text", poll["question"]["text"]),
        ("victor_answer_votes", str(top)),
        ("total_votes", str(sum(counts.values()))),
    ]
    winners = [a for a in poll["answers"] if top and counts.get(a["answer_id"]) == top]
    if len(winners) == 1:
        (winner,) = winners
        fields.append(("victor_answer_id", str(winner["answer_id"])))
        fields.append(("victor_answer_text", winner["poll_media"].get("text") or ""))
    return {
        "type": "poll_result",
        "fields": [{"name": name, "value": value, "inline": False} for name, value in fields],
    }


def finish(self: Simulator, message: Message, votes: dict[int, int] | None = None) -> Message:
    """End the poll: its final results in a MESSAGE_UPDATE, then the type 46 notice."""
    assert message.poll is not None
    counts = [
        {"id": answer_id, "count": n, "me_voted": False}
        for answer_id, n in sorted((votes or {}).items())
        if n > 0
    ]
    message.poll["results"] = {"is_finalized": True, "answer_counts": counts}
    self.dispatch("MESSAGE_UPDATE", self.message_payload(message))
    notice = Message(
        id=self.world.snowflake(),
        channel_id=message.channel_id,
        author=message.author,
        guild_id=message.guild_id,
        type=POLL_RESULT,
        embeds=[result_embed(message.poll)],
        reference=message,
    )
    channel = self.world.channels[message.channel_id]
    publish_if_seen(self, notice, channel)
    return notice


def ended(message: Message) -> bool:
    """Whether the poll's end has been sent (its final tally is done)."""
    return bool(message.poll and message.poll["results"]["is_finalized"])


async def end_poll(
    self: Simulator, message: Message, *, votes: dict[int, int] | None = None
) -> Message | None:
    """A member's poll reaches its expiry; returns the "poll results" notice.

    `votes` maps answer_id to its count. None when there is nothing to end: the
    message is gone, holds no poll, or its poll has ended already.
    """
    gone = message.deleted or message.id not in self.world.messages
    if gone or message.poll is None or ended(message):
        return None
    notice = finish(self, message, votes)
    await self.settle()
    return notice


def expire_poll(sim: Simulator, c: Call) -> Result:
    """End Poll: only the poll's author (here the bot) may end it, once."""
    ch = sim.channel_or_404(int(c.params["channel_id"]))
    if ch.type != 1:
        sim.require(sim.world.guild_of(ch), VIEW_CHANNEL | READ_HISTORY, ch)
    msg = sim.world.messages.get(int(c.params["message_id"]))
    if msg is None or msg.deleted or msg.channel_id != ch.id:
        raise fail(P.UNKNOWN_MESSAGE)
    if msg.poll is None:
        raise fail(NOT_A_POLL)
    if msg.author.id != sim.bot_user.id:
        raise fail(NOT_THE_AUTHOR)
    if ended(msg):
        raise fail(POLL_EXPIRED)
    msg.poll["expiry"] = sim.now().isoformat()
    finish(sim, msg)
    return 200, sim.message_payload(msg)


ROUTES = [("POST", "/channels/{channel_id}/polls/{message_id}/expire", expire_poll)]
