"""Buttons of a session, as DynamicItems: the ids live in the custom_id, so they survive restarts.

`balint:s:<session_id>:<action>[:<arg>]` on the status message (the "Next
phase" button carries the phase the leader saw and "Next speaker" the floor
holder the leader saw, 0 for nobody, so a double press or two leaders pressing
together make one change; buttons sent before an upgrade have no argument and
stay unguarded), `balint:ack:<session_id>` and
`balint:ackwho:<session_id>` on the frame message.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.phases import Phase
from bot.errors import report_error
from bot.texts import facilitation as texts

if TYPE_CHECKING:
    pass

# action -> (label, style, row)
STATUS_BUTTONS: dict[str, tuple[str, discord.ButtonStyle, int]] = {
    "next": (texts.BUTTON_NEXT, discord.ButtonStyle.primary, 0),
    "extend": (texts.BUTTON_EXTEND, discord.ButtonStyle.secondary, 0),
    "nextspk": (texts.BUTTON_NEXT_SPEAKER, discord.ButtonStyle.secondary, 0),
    "raise": (texts.BUTTON_RAISE, discord.ButtonStyle.success, 1),
    "lower": (texts.BUTTON_LOWER, discord.ButtonStyle.secondary, 1),
    "done": (texts.BUTTON_DONE, discord.ButtonStyle.secondary, 1),
    "pass": (texts.BUTTON_PASS, discord.ButtonStyle.secondary, 1),
    "here": (texts.BUTTON_HERE, discord.ButtonStyle.secondary, 2),
}


def status_id(session_id: int, action: str, phase: Phase | None = None) -> str:
    base = f"balint:s:{session_id}:{action}"
    return f"{base}:{phase.value}" if phase is not None else base


async def _dispatch(interaction: discord.Interaction, kind: str, **kwargs: Any) -> None:
    cog = interaction.client.get_cog("Facilitation")  # type: ignore[attr-defined]
    try:
        if cog is None:
            raise RuntimeError("facilitation cog not loaded")
        await cog.on_session_button(interaction, kind, **kwargs)
    except Exception as exc:  # noqa: BLE001 - every error gets a sentence
        await report_error(interaction, exc)


class StatusButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=re.compile(r"balint:s:(?P<sid>\d+):(?P<action>[a-z]+)(?::(?P<arg>[a-z_0-9]+))?"),
):
    """Any button of the status message."""

    def __init__(self, session_id: int, action: str, arg: str | None = None) -> None:
        label, style, row = STATUS_BUTTONS.get(action, (action, discord.ButtonStyle.secondary, 2))
        custom_id = f"balint:s:{session_id}:{action}" + (f":{arg}" if arg else "")
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id, row=row))
        self.session_id = session_id
        self.action = action
        self.arg = arg

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> StatusButton:
        return cls(int(match["sid"]), match["action"], match["arg"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await _dispatch(
            interaction, "status", session_id=self.session_id, action=self.action, arg=self.arg
        )


class AckButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=re.compile(r"balint:ack(?P<who>who)?:(?P<sid>\d+)"),
):
    """ "I have read this" on the frame, and the leaders' "who has not read it?"."""

    def __init__(self, session_id: int, who: bool = False) -> None:
        label = texts.BUTTON_ACK_WHO if who else texts.BUTTON_ACK
        style = discord.ButtonStyle.secondary if who else discord.ButtonStyle.success
        custom_id = f"balint:ack{'who' if who else ''}:{session_id}"
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id))
        self.session_id = session_id
        self.who = who

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AckButton:
        return cls(int(match["sid"]), bool(match["who"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        action = "ackwho" if self.who else "ack"
        await _dispatch(interaction, "status", session_id=self.session_id, action=action, arg=None)


def status_view(session_id: int, phase: Phase, floor_holder: int | None = None) -> discord.ui.View:
    """The status buttons; "Next phase", "+5 min" and "Next speaker" carry what the leader saw."""
    seen = _seen(phase, floor_holder)
    view = discord.ui.View(timeout=None)
    for action in STATUS_BUTTONS:
        view.add_item(StatusButton(session_id, action, seen.get(action)))
    return view


class StatusComponents:
    """The status buttons as Discord's payload, for the raw edit route (`_session_status`).

    `handle_message_parameters` asks a view only for these two methods. Every edit shows
    a new state (phase, floor holder), so building a View and its eight DynamicItems for
    it, even once per state, cost more than the rest of the render: the payload is built
    here as plain dicts, exactly what `status_view(...).to_components()` gives.
    """

    __slots__ = ("_session_id", "_seen")

    def __init__(self, session_id: int, seen: dict[str, str]) -> None:
        self._session_id = session_id
        self._seen = seen

    def to_components(self) -> list[dict[str, Any]]:
        """A fresh payload each time: it is the caller's to keep."""
        rows: list[dict[str, Any]] = []
        for action, (label, style, row) in STATUS_BUTTONS.items():
            arg = self._seen.get(action)
            custom_id = f"balint:s:{self._session_id}:{action}" + (f":{arg}" if arg else "")
            while len(rows) <= row:
                rows.append({"type": 1, "components": []})
            rows[row]["components"].append(
                {
                    "type": 2,
                    "style": style.value,
                    "label": label,
                    "custom_id": custom_id,
                    "disabled": False,
                }
            )
        return rows

    def has_components_v2(self) -> bool:
        return False


def _seen(phase: Phase, floor_holder: int | None) -> dict[str, str]:
    """What "Next phase", "+5 min" and "Next speaker" carry: the state the leader saw."""
    return {"next": phase.value, "extend": phase.value, "nextspk": str(floor_holder or 0)}


def status_components(
    session_id: int, phase: Phase, floor_holder: int | None = None
) -> StatusComponents:
    """Exactly what `status_view(...).to_components()` gives, without building the View."""
    return StatusComponents(session_id, _seen(phase, floor_holder))


def seen_floor(arg: str | None) -> int | None:
    """The floor holder a "Next speaker" button was rendered with (0: nobody); None: unguarded."""
    return int(arg) if arg is not None and arg.isdigit() else None


def frame_view(session_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AckButton(session_id))
    view.add_item(AckButton(session_id, who=True))
    return view


DYNAMIC_ITEMS = (StatusButton, AckButton)
