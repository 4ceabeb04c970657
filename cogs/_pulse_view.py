"""The pulse survey's buttons (restart-safe DynamicItems) and the leaders' report."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot import charts
from bot.access import require
from bot.domain import pulse as rules
from bot.domain.access import Action
from bot.errors import handles_errors, reply
from bot.store import attendance as attendance_store
from bot.store import groups as group_store
from bot.store import pulse as store
from bot.store.groups import Group
from bot.texts import pulse as texts
from cogs._attendance_common import session_date

if TYPE_CHECKING:
    from bot.app import BalintBot

MIN_ANSWERS = 3


class PulseButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"balint:pulse:(?P<sid>[0-9]+):(?P<question>[a-z_]+):(?P<value>[0-9])",
):
    """One answer value of one question; holds only ids, so it works after a restart."""

    def __init__(self, session_id: int, question: str, value: int, row: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=str(value),
                style=discord.ButtonStyle.secondary,
                custom_id=f"balint:pulse:{session_id}:{question}:{value}",
                row=row,
            )
        )
        self.session_id = session_id
        self.question = question
        self.value = value

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str]
    ) -> PulseButton:
        return cls(int(match["sid"]), match["question"], int(match["value"]))

    @handles_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: BalintBot = interaction.client  # type: ignore[assignment]
        if rules.validate_answer(self.question, self.value) is not None:
            await reply(interaction, texts.CLOSED)
            return
        session = await attendance_store.session(bot.db, self.session_id)
        group = await group_store.get(bot.db, session.group_id) if session else None
        survey = await store.survey(bot.db, self.session_id)
        if group is None or survey is None or not survey.is_open(bot.now()):
            await reply(interaction, texts.CLOSED)
            return
        await require(bot, interaction, Action.PULSE_ANSWER, group)
        assert survey.salt is not None  # is_open() checked it
        token = rules.voter_token(survey.salt, interaction.user.id)
        counted = await store.record_answer(
            bot.db, self.session_id, token, self.question, self.value
        )
        await reply(interaction, texts.THANKS if counted else texts.ALREADY)


def survey_view(session_id: int) -> discord.ui.View:
    """Three rows of 1-5 buttons, one row per question, in QUESTIONS order."""
    view = discord.ui.View(timeout=None)
    for row, question in enumerate(rules.QUESTIONS):
        for value in range(rules.MIN_VALUE, rules.MAX_VALUE + 1):
            view.add_item(PulseButton(session_id, question, value, row=row))
    return view


async def pulse_report(bot: BalintBot, group: Group, count: int) -> tuple[str, bytes | None]:
    """The leaders' text (averages and counts per session) and the trend chart, if any."""
    sessions = await attendance_store.ended_sessions(bot.db, group.id, latest=count)
    if not sessions:
        return texts.VIEW_NONE.format(group=group.name), None
    counts = await store.counts(bot.db, [s.id for s in sessions])
    # Figures that still move let a leader who looks twice work out one member's answer.
    still_open = await store.still_open(bot.db, [s.id for s in sessions], bot.now())
    heading = texts.VIEW_TITLE_ONE if len(sessions) == 1 else texts.VIEW_TITLE
    lines = [heading.format(group=group.name, count=len(sessions))]
    labels: list[str] = []
    series: dict[str, list[float | None]] = {texts.QUESTION_SHORT[q]: [] for q in rules.QUESTIONS}
    for session in sessions:
        day = session_date(session, group.zone).isoformat()
        labels.append(day)
        if session.id in still_open:
            for values in series.values():
                values.append(None)
            closes = discord.utils.format_dt(still_open[session.id], "R")
            lines.append(
                texts.VIEW_LINE.format(date=day, figures=texts.VIEW_OPEN.format(closes=closes))
            )
            continue
        summary = rules.summarise(counts.get(session.id, {}), min_answers=MIN_ANSWERS)
        figures = []
        for question in rules.QUESTIONS:
            average, n = summary[question]
            series[texts.QUESTION_SHORT[question]].append(average)
            if average is not None:
                figures.append(
                    texts.VIEW_FIGURE.format(
                        question=texts.QUESTION_SHORT[question], average=average, n=n
                    )
                )
        shown = "; ".join(figures) if figures else texts.VIEW_HIDDEN.format(minimum=MIN_ANSWERS)
        lines.append(texts.VIEW_LINE.format(date=day, figures=shown))
    if not any(v is not None for values in series.values() for v in values):
        lines.append(texts.VIEW_NO_CHART)
        return "\n".join(lines), None
    png = await charts.render_trend(labels, series, title=texts.CHART_TITLE)
    return "\n".join(lines), png
