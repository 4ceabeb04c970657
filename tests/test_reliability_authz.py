"""Authorization matrix: every command and button × every kind of actor, from one table.

The expected cell comes from bot/domain/access.py ALLOWED; the simulator does
not enforce default_member_permissions, so what is tested is the bot's own check.
"""

from __future__ import annotations

import pytest

from bot.sim.interactions import InteractionResult
from bot.texts import common as texts
from tests.reliability_table import BY_KEY, ROWS, Row, sample_custom_id
from tests.reliability_world import ACTORS, build_world

ORGANISER_ROLE = "Balint organiser"


def _sentences(organiser_role: str) -> dict[str, str]:
    return {key: text.format(organiser_role=organiser_role) for key, text in texts.WHO_MAY.items()}


def _refusal_in(result: InteractionResult | None, sentences: dict[str, str]) -> str | None:
    if result is None:
        return "no button offered"
    found = [key for key, sentence in sentences.items() if sentence in result.text]
    return found[0] if found else None


async def _synced_commands(sim) -> set[str]:  # noqa: ANN001
    names: set[str] = set()

    def walk(node: dict, prefix: list[str]) -> None:
        subs = [o for o in node.get("options", []) if o["type"] in (1, 2)]
        if not subs:
            names.add(" ".join(prefix))
        for sub in subs:
            walk(sub, [*prefix, sub["name"]])

    for commands in sim.commands.values():
        for command in commands:
            if command.get("type", 1) == 1:
                walk(command, [command["name"]])
    return names


async def test_every_command_and_button_has_a_row(scenario) -> None:
    """A new command or DynamicItem template without a row in the table fails here."""
    commands = await _synced_commands(scenario.sim)
    tree = {
        c.qualified_name
        for c in scenario.bot.tree.walk_commands()
        if not hasattr(c, "walk_commands")
    }
    assert commands == tree
    buttons = {key for key in BY_KEY if key.startswith("balint:")}
    assert commands - set(BY_KEY) == set(), "commands without a row in tests/reliability_table.py"
    assert set(BY_KEY) - buttons - commands == set(), "rows for commands the bot no longer has"
    templates = scenario.bot._connection._view_store._dynamic_items  # discord.py keeps them here
    for pattern in templates:
        rows = [key for key in buttons if pattern.fullmatch(sample_custom_id(key))]
        assert rows, f"button template {pattern.pattern} has no row in the table"
    for key in buttons:
        matching = [p for p in templates if p.fullmatch(sample_custom_id(key))]
        assert matching, f"row {key} matches no registered button template"
    from cogs._session_views import STATUS_BUTTONS
    from cogs.facilitation import BUTTON_ACTIONS

    for action in STATUS_BUTTONS:
        row = BY_KEY[f"balint:s:{action}"]
        assert row.action is BUTTON_ACTIONS[action], f"status button {action}"


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
async def test_matrix(scenario, row: Row) -> None:
    world = scenario
    world.sim.enforce_default_permissions = False
    rw = await build_world(world)
    if row.setup is not None:
        await row.setup(rw)
    sentences = _sentences(world.bot.settings.organiser_role)
    if row.refusal is not None:
        sentences["row"] = row.refusal
    from bot.domain.access import who_may

    expected_sentence = sentences[who_may(row.action)]
    wrong: list[str] = []
    for actor in ACTORS:
        user = rw.actor(actor)
        result = await row.run(rw, user)
        refusal = _refusal_in(result, sentences)
        text = result.text if result is not None else ""
        assert texts.UNEXPECTED_ERROR not in text, f"{row.key} as {actor}: {text}"
        if row.allowed(actor):
            if refusal is not None:
                wrong.append(f"{actor}: refused ({text!r}) but the table allows")
        elif refusal is None:
            wrong.append(f"{actor}: allowed ({text!r}) but the table refuses")
        elif (
            result is not None
            and not row.unreachable_refused
            and expected_sentence not in text
            and (row.refusal is None or row.refusal not in text)
        ):
            wrong.append(f"{actor}: refused with {text!r}, expected {expected_sentence!r}")
        if result is not None and not row.is_button:
            assert result.ephemeral or not text, f"{row.key} as {actor}: answer is public: {text}"
    assert not wrong, f"{row.key} ({row.action}):\n" + "\n".join(wrong)
