"""How long each phase of a group's meeting lasts: the config's defaults, the group's own.

Split from cogs/_session_engine.py, which loads a session on every change.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from bot.domain.phases import DEFAULT_DURATIONS, Phase
from bot.store.groups import Group

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

_PHASES = frozenset(Phase)
_CONFIGURED: dict[tuple[object, ...], dict[Phase, int]] = {}


def _configured(bot: BalintBot) -> dict[Phase, int]:
    """The defaults overlaid with the config's minutes; remembered by the config's values,
    as pydantic's `model_dump` cost more than the rest of a session's load."""
    section = bot.settings.phase_minutes
    key = tuple(vars(section).values())
    found = _CONFIGURED.get(key)
    if found is None:
        configured = section.model_dump(by_alias=True)
        found = dict(DEFAULT_DURATIONS)
        found.update({Phase(k): int(v) for k, v in configured.items() if k in _PHASES})
        _CONFIGURED[key] = found
    return found


def durations_of(bot: BalintBot, group: Group) -> dict[Phase, int]:
    """The configured defaults, overlaid with the group's own phase minutes."""
    result = dict(_configured(bot))
    if group.phase_minutes:
        try:
            own = json.loads(group.phase_minutes)
            result.update({Phase(k): int(v) for k, v in own.items() if k in _PHASES})
        except (ValueError, TypeError):
            log.warning("group %s has unreadable phase_minutes; using defaults", group.id)
    return result
