"""Persistent buttons and the pick menu of the cases capability.

Each is a DynamicItem whose custom_id carries the ids it needs, so it keeps
working after a restart; the callbacks hand over to the cog's CaseFlow, which
re-reads everything from the store.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import handles_errors
from bot.texts import cases as texts

if TYPE_CHECKING:
    from cogs._case_flow import CaseFlow

OFFER_STYLES = {
    "case": (texts.OFFER_CASE, discord.ButtonStyle.primary),
    "followup": (texts.OFFER_FOLLOWUP, discord.ButtonStyle.secondary),
    "none": (texts.OFFER_NONE, discord.ButtonStyle.secondary),
}
FOLLOWUP_STYLES = {
    "yes": (texts.FOLLOWUP_YES, discord.ButtonStyle.primary),
    "later": (texts.FOLLOWUP_LATER, discord.ButtonStyle.secondary),
    "no": (texts.FOLLOWUP_NO, discord.ButtonStyle.secondary),
}


def flow_of(interaction: discord.Interaction) -> CaseFlow:
    cog: Any = interaction.client.get_cog("Cases")  # type: ignore[attr-defined]
    return cog.flow


class OfferButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"balint:offer:(?P<sid>[0-9]+):(?P<kind>case|followup|none)",
):
    """ "I have a case" / "I have a follow-up" / "Not this time", by DM or in the meeting."""

    def __init__(self, session_id: int, kind: str) -> None:
        label, style = OFFER_STYLES[kind]
        super().__init__(
            discord.ui.Button(
                label=label, style=style, custom_id=f"balint:offer:{session_id}:{kind}"
            )
        )
        self.session_id = session_id
        self.kind = kind

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> OfferButton:
        return cls(int(match["sid"]), match["kind"])

    @handles_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await flow_of(interaction).offer(interaction, self.session_id, self.kind)


class PickMenu(
    discord.ui.DynamicItem[discord.ui.Select],
    template=r"balint:pickmenu:(?P<sid>[0-9]+)",
):
    """The leaders' select on /case list: the chosen member presents."""

    def __init__(self, session_id: int, options: list[discord.SelectOption] | None = None) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"balint:pickmenu:{session_id}",
                placeholder=texts.LIST_PLACEHOLDER,
                options=options or [discord.SelectOption(label="-", value="0")],
                min_values=1,
                max_values=1,
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PickMenu:
        return cls(int(match["sid"]))

    @handles_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        values = (interaction.data or {}).get("values") or []  # type: ignore[union-attr]
        await flow_of(interaction).pick_from_menu(interaction, self.session_id, int(values[0]))


class FollowupButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"balint:fu:(?P<cid>[0-9]+):(?P<answer>yes|later|no)",
):
    """ "Yes, next time" / "Later" / "No" on the follow-up question."""

    def __init__(self, case_id: int, answer: str) -> None:
        label, style = FOLLOWUP_STYLES[answer]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"balint:fu:{case_id}:{answer}")
        )
        self.case_id = case_id
        self.answer = answer

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FollowupButton:
        return cls(int(match["cid"]), match["answer"])

    @handles_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await flow_of(interaction).followup_answer(interaction, self.case_id, self.answer)


ITEMS = (OfferButton, PickMenu, FollowupButton)


def offer_view(session_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for kind in OFFER_STYLES:
        view.add_item(OfferButton(session_id, kind))
    return view


def pick_view(session_id: int, options: list[discord.SelectOption]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(PickMenu(session_id, options))
    return view


def followup_view(case_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for answer in FOLLOWUP_STYLES:
        view.add_item(FollowupButton(case_id, answer))
    return view
