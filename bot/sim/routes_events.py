"""Route handlers: guild scheduled events."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import payloads as P
from .permissions import CREATE_EVENTS, MANAGE_EVENTS, base_permissions
from .routes_guild import ApiError, Result, _int, fail
from .world import ScheduledEvent

if TYPE_CHECKING:
    from .simulator import Simulator
    from .transport import Call


# -- scheduled events ------------------------------------------------------------------


def _event_payload(sim: Simulator, e: ScheduledEvent) -> dict[str, Any]:
    return P.scheduled_event(e, sim.world.users.get(e.creator_id or 0))


def _apply_event(e: ScheduledEvent, body: dict[str, Any]) -> None:
    mapping = {
        "name": "name",
        "description": "description",
        "scheduled_start_time": "start",
        "scheduled_end_time": "end",
        "entity_type": "entity_type",
        "status": "status",
    }
    for key, attr in mapping.items():
        if key in body:
            setattr(e, attr, body[key])
    if "channel_id" in body:
        e.channel_id = _int(body["channel_id"]) or None
    if "entity_metadata" in body:
        e.location = (body["entity_metadata"] or {}).get("location")


def _now(sim: Simulator) -> datetime:
    return sim.now()


_LENGTHS = {"name": (1, 100), "description": (0, 1000)}
_LOCATION = (1, 100)


def _length(errors: dict[str, Any], key: str, value: object, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if isinstance(value, str) and not low <= len(value) <= high:
        errors[key] = {
            "_errors": [
                {
                    "code": "BASE_TYPE_BAD_LENGTH",
                    "message": f"Must be between {low} and {high} in length.",
                }
            ]
        }


def _as_body(e: ScheduledEvent) -> dict[str, Any]:
    """The stored event in request shape, so an edit is checked as the event would be."""
    return {
        "name": e.name,
        "description": e.description,
        "scheduled_start_time": e.start,
        "scheduled_end_time": e.end,
        "entity_type": e.entity_type,
        "entity_metadata": {"location": e.location} if e.location is not None else None,
        "privacy_level": 2,
    }


def _check_event(sim: Simulator, body: dict[str, Any], was: ScheduledEvent | None = None) -> None:
    """Discord refuses an event that starts in the past, and an external one without
    a location or an end after its start (docs/resources/guild-scheduled-event,
    "Field Requirements By Entity Type"); name 1-100, description up to 1,000 and
    location 1-100 characters; privacy level GUILD_ONLY (2) only. An edit (`was`) is
    checked as the event would be after it; its start only if the edit moves it."""
    errors: dict[str, Any] = {}
    after = {**(_as_body(was) if was is not None else {}), **body}
    start = after.get("scheduled_start_time")
    if (
        "scheduled_start_time" in body
        and start is not None
        and datetime.fromisoformat(start) < _now(sim)
    ):
        errors["scheduled_start_time"] = {
            "_errors": [
                {
                    "code": "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
                    "message": "Cannot schedule event in the past.",
                }
            ]
        }
    if int(after.get("entity_type") or 0) == 3:
        end = after.get("scheduled_end_time")
        location = (after.get("entity_metadata") or {}).get("location")
        if not location:
            errors["entity_metadata"] = {
                "_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]
            }
        else:
            _length(errors, "entity_metadata", location, _LOCATION)
        if end is None or (
            start is not None and datetime.fromisoformat(end) <= datetime.fromisoformat(start)
        ):
            errors["scheduled_end_time"] = {
                "_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]
            }
    for key, bounds in _LENGTHS.items():
        _length(errors, key, after.get(key), bounds)
    if after.get("privacy_level") != 2:
        errors["privacy_level"] = {
            "_errors": [{"code": "BASE_TYPE_CHOICES", "message": "Value must be one of (2,)."}]
        }
    if errors:
        raise ApiError(400, P.error(50035, "Invalid Form Body", errors=errors))


def create_event(sim: Simulator, c: Call) -> Result:
    g = sim.guild(int(c.params["guild_id"]))
    have = base_permissions(g, sim.bot_member(g))
    if not have & (MANAGE_EVENTS | CREATE_EVENTS):
        raise fail(P.MISSING_PERMISSIONS)
    body = c.json or {}
    _check_event(sim, body)
    e = ScheduledEvent(
        id=sim.world.snowflake(),
        guild_id=g.id,
        name=body.get("name", ""),
        start=body.get("scheduled_start_time", ""),
        creator_id=sim.bot_user.id,
    )
    _apply_event(e, body)
    g.events[e.id] = e
    data = _event_payload(sim, e)
    sim.dispatch("GUILD_SCHEDULED_EVENT_CREATE", data)
    return 200, data


def _event(sim: Simulator, c: Call) -> tuple[Any, ScheduledEvent]:
    g = sim.guild(int(c.params["guild_id"]))
    e = g.events.get(int(c.params["event_id"]))
    if e is None:
        raise fail(P.UNKNOWN_EVENT)
    return g, e


def get_event(sim: Simulator, c: Call) -> Result:
    return 200, _event_payload(sim, _event(sim, c)[1])


def list_events(sim: Simulator, c: Call) -> Result:
    g = sim.guild(int(c.params["guild_id"]))
    return 200, [_event_payload(sim, e) for e in g.events.values()]


def edit_event(sim: Simulator, c: Call) -> Result:
    g, e = _event(sim, c)
    have = base_permissions(g, sim.bot_member(g))
    if not have & MANAGE_EVENTS and not (have & CREATE_EVENTS and e.creator_id == sim.bot_user.id):
        raise fail(P.MISSING_PERMISSIONS)
    _check_event(sim, c.json or {}, e)
    _apply_event(e, c.json or {})
    data = _event_payload(sim, e)
    sim.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", data)
    return 200, data


def delete_event(sim: Simulator, c: Call) -> Result:
    g, e = _event(sim, c)
    have = base_permissions(g, sim.bot_member(g))
    if not have & MANAGE_EVENTS and not (have & CREATE_EVENTS and e.creator_id == sim.bot_user.id):
        raise fail(P.MISSING_PERMISSIONS)
    del g.events[e.id]
    sim.dispatch("GUILD_SCHEDULED_EVENT_DELETE", _event_payload(sim, e))
    return 204, None


ROUTES = [
    ("GET", "/guilds/{guild_id}/scheduled-events", list_events),
    ("POST", "/guilds/{guild_id}/scheduled-events", create_event),
    ("GET", "/guilds/{guild_id}/scheduled-events/{event_id}", get_event),
    ("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", edit_event),
    ("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}", delete_event),
]
