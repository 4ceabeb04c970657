"""Route handlers: interaction callbacks and the followup webhooks of interactions.

Apart from routes_messages (plain messages) because these have rules of their own: the
3-second initial response, the 15-minute token, the ephemeral flag, the deferral types.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from . import payloads as P
from .limits import check_message, checked_choices, form_error, token_expired
from .routes_guild import ApiError, Result, fail
from .routes_messages import INITIAL_RESPONSE_SECONDS, apply_message_body
from .world import Message

if TYPE_CHECKING:
    from .interactions import InteractionResult
    from .simulator import Simulator
    from .transport import Call


def _interaction_message(
    sim: Simulator,
    rec: InteractionResult,
    body: dict[str, Any],
    files: list[tuple[str, bytes]],
    *,
    followup: bool,
) -> Message:
    msg = Message(
        id=sim.world.snowflake(),
        channel_id=rec.channel_id,
        author=sim.bot_user,
        guild_id=rec.guild_id,
        webhook_id=sim.bot_user.id,
        type=0 if followup or rec.kind != 2 else 20,
    )
    apply_message_body(msg, body, files)
    meta: dict[str, Any] = {
        "id": str(rec.id),
        "type": rec.kind,
        "user": P.user(rec.user),
        "authorizing_integration_owners": {},
    }
    if followup and rec.original is not None:
        meta["original_response_message_id"] = str(rec.original.id)
    if rec.kind == 3 and rec.message is not None:
        meta["interacted_message_id"] = str(rec.message.id)
    msg.interaction = meta
    return msg


def callback(sim: Simulator, c: Call) -> Result:
    rec = sim.interactions.get(int(c.params["interaction_id"]))
    if rec is None or rec.token != c.params["token"] or rec.unknown:
        raise fail(P.UNKNOWN_INTERACTION)
    if rec.response_type is not None:
        raise fail(P.ALREADY_ACKED)
    received = getattr(rec, "received_at", None)
    if received is not None and time.monotonic() - received > INITIAL_RESPONSE_SECONDS:
        # "you must send an initial response within 3 seconds of receiving the event.
        # If the 3 second deadline is exceeded, the token will be invalidated."
        # (docs/interactions/receiving-and-responding#responding-to-an-interaction)
        raise fail(P.UNKNOWN_INTERACTION)
    body = c.json or {}
    t = int(body["type"])
    data = body.get("data") or {}
    # Interaction response types by interaction type (discord.com/developers/docs/
    # interactions/receiving-and-responding#interaction-response-object-interaction-callback-type):
    # 6/7 "only valid for component-based interactions" (and a modal submitted from one);
    # 8 only for autocomplete, which accepts nothing else; 9 "not available for
    # MODAL_SUBMIT and PING interactions".
    allowed = {
        2: {4, 5, 9},
        3: {4, 5, 6, 7, 9},
        4: {8},
        5: {4, 5} | ({6, 7} if rec.message is not None else set()),
    }.get(rec.kind, {4, 5, 6, 7, 8, 9})
    if t not in allowed:
        raise form_error(
            [(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "Invalid response type")]
        )
    if t in (4, 7):
        check_message(data, "data")  # refused: the interaction stays unanswered
    if t == 9:
        check_message(data, "data", modal=True)
    rec.response_type = t
    msg: Message | None = None
    msg_data: dict[str, Any] | None = None
    if t == 4:
        msg = rec.original = _interaction_message(sim, rec, data, c.files, followup=False)
        msg_data = sim.publish(msg)
    elif t == 5:
        msg = _interaction_message(
            sim, rec, {"flags": int(data.get("flags") or 0) | 128}, [], followup=False
        )
        msg.flags |= 128
        rec.original = msg
        rec.deferred = True
        msg_data = sim.publish(msg)
    elif t == 6:
        rec.deferred = True
    elif t == 7:
        msg = rec.message
        if msg is None:
            raise ApiError(400, P.error(50035, "Invalid Form Body"))
        apply_message_body(msg, data, c.files, edit=sim.world.moment())
        msg_data = sim.message_payload(msg)
        if not msg.ephemeral:
            sim.dispatch("MESSAGE_UPDATE", msg_data)
    elif t == 8:
        rec.choices = checked_choices(data)
    elif t == 9:
        rec.modal = data
        sim.open_modals[(rec.user.id, data.get("custom_id"))] = (data, rec)
    if c.query.get("with_response") not in ("1", "true", "True"):
        return 204, None
    out: dict[str, Any] = {
        "interaction": {
            "id": str(rec.id),
            "type": rec.kind,
            "activity_instance_id": None,
            "response_message_id": str(msg.id) if msg else None,
            "response_message_loading": t == 5,
            "response_message_ephemeral": bool(msg and msg.ephemeral),
        },
        "resource": {"type": t},
    }
    if msg_data is not None:
        out["resource"]["message"] = msg_data
    return 200, out


def _hook(sim: Simulator, c: Call) -> InteractionResult:
    rec = sim.interactions_by_token.get(c.params["token"])
    if rec is None or int(c.params["application_id"]) != sim.bot_user.id:
        raise fail(P.UNKNOWN_WEBHOOK)
    if token_expired(sim, rec):
        raise ApiError(401, P.error(50027, "Invalid Webhook Token"))
    return rec


def _hook_message(sim: Simulator, c: Call) -> tuple[InteractionResult, Message]:
    rec = _hook(sim, c)
    mid = c.params.get("message_id", "@original")
    if mid == "@original":
        msg = rec.original
    else:
        msg = next((m for m in rec.followups if m.id == int(mid)), None)
        if msg is None and rec.original is not None and rec.original.id == int(mid):
            msg = rec.original
    if msg is None or msg.deleted:
        raise fail(P.UNKNOWN_MESSAGE)
    return rec, msg


def followup(sim: Simulator, c: Call) -> Result:
    rec = _hook(sim, c)
    if rec.response_type is None:
        raise fail(P.UNKNOWN_WEBHOOK)
    if rec.original is not None and rec.original.flags & 128:
        # Right after a type 5 it "will function as Edit Original Interaction Response":
        # the loading message is edited and keeps the deferral's ephemeral flag
        # (docs/interactions/receiving-and-responding#create-followup-message).
        return edit_hook_message(sim, c)
    msg = _interaction_message(sim, rec, c.json or {}, c.files, followup=True)
    rec.followups.append(msg)
    data = sim.publish(msg)
    return (200, data) if c.query.get("wait") in ("1", "true", "True") else (204, None)


def get_hook_message(sim: Simulator, c: Call) -> Result:
    return 200, sim.message_payload(_hook_message(sim, c)[1])


def edit_hook_message(sim: Simulator, c: Call) -> Result:
    rec, msg = _hook_message(sim, c)
    was_loading = bool(msg.flags & 128)
    apply_message_body(msg, c.json or {}, c.files, edit=sim.world.moment())
    data = sim.message_payload(msg)
    if not msg.ephemeral:
        sim.dispatch("MESSAGE_UPDATE", data)
    if was_loading:
        rec.edited_after_defer = True
    return 200, data


def delete_hook_message(sim: Simulator, c: Call) -> Result:
    _, msg = _hook_message(sim, c)
    sim.delete_message(msg)
    return 204, None


ROUTES = [
    ("POST", "/interactions/{interaction_id}/{token}/callback", callback),
    ("POST", "/webhooks/{application_id}/{token}", followup),
    ("GET", "/webhooks/{application_id}/{token}/messages/@original", get_hook_message),
    ("PATCH", "/webhooks/{application_id}/{token}/messages/@original", edit_hook_message),
    ("DELETE", "/webhooks/{application_id}/{token}/messages/@original", delete_hook_message),
    ("GET", "/webhooks/{application_id}/{token}/messages/{message_id}", get_hook_message),
    ("PATCH", "/webhooks/{application_id}/{token}/messages/{message_id}", edit_hook_message),
    ("DELETE", "/webhooks/{application_id}/{token}/messages/{message_id}", delete_hook_message),
]
