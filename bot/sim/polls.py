"""Members' polls in the fake Discord, as Discord documents them (Poll resource).

A poll is a message: a member sends Create Message with a `poll` request object
(question {text}, answers [{poll_media {text, emoji?}}], duration in hours,
allow_multiselect) and Discord sends MESSAGE_CREATE whose `poll` field is the poll
object: the same question, answers numbered by `answer_id` from 1, `expiry` (the
duration turned into a time), allow_multiselect, layout_type and results.

Sending one needs what any message needs (View Channel and Send Messages, or Send
Messages in Threads in a thread) and Send Polls (1 << 49) too, so a channel that
denies Send Messages shuts out polls whatever Send Polls says.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .threads import publish_if_seen, wake
from .world import Channel, Member, Message, User, snowflake

if TYPE_CHECKING:
    from .simulator import Simulator

QUESTION_LIMIT = 300  # characters of the question's text
ANSWER_LIMIT = 55  # characters of each answer's text
ANSWERS_LIMIT = 10  # answers per poll
DURATION_HOURS = (1, 768)  # "up to 32 days", 24 when left out


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
    msg = Message(id=snowflake(), channel_id=channel.id, author=u, guild_id=channel.guild_id)
    msg.poll = poll_object(body, msg.created_at)
    if channel.is_thread:
        channel.thread_members.add(u.id)
        publish_if_seen(self, msg, channel)
    else:
        self.publish(msg)
    await self.settle()
    return msg
