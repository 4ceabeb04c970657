"""The demo's records scene: what a member can see and take away of the data kept on them.

Files are named with their size and first line only: an export is personal data, and
a transcript is no place to copy it.
"""

from __future__ import annotations

from typing import Any

from bot.demo_script import Transcript
from bot.sim.scenario import Scenario


def _files(out: Transcript, result: Any) -> None:
    for name, data in result.files:
        first = data.decode("utf-8", "replace").strip().splitlines()[:1] or [""]
        out.note(f"file {name} ({len(data)} bytes), first line: {first[0][:70]}")


async def _ask(world: Scenario, out: Transcript, user: Any, command: str, channel: Any) -> Any:
    out.person(user, f"/{command}")
    result = await world.sim.slash(user, command, channel=channel)
    await world.sim.settle()
    assert result.ephemeral, f"/{command} was answered in public"
    return result


async def step_records(world: Scenario, out: Transcript, state: dict[str, Any]) -> None:
    out.section("A member looks at the data kept about them and their attendance")
    member, lobby = state["newcomer"], state["lobby"]
    shown = await _ask(world, out, member, "privacy show", lobby)
    embeds = [e for m in shown.messages for e in m.embeds]
    assert embeds, "/privacy show showed nothing"
    heads = [e.get("title", "") for e in embeds] + [
        f"- {f.get('name', '')}" for e in embeds for f in e.get("fields", [])
    ]
    out.bot("\n".join(h for h in heads if h), to=f"{member.name} (only you)")
    out.note("each heading above comes with what is kept and why; shown here by heading only")
    export = await _ask(world, out, member, "privacy export", lobby)
    out.bot(export.text, to=f"{member.name} (only you)")
    assert len(export.files) == 2, "/privacy export did not attach its two files"
    _files(out, export)
    certificate = await _ask(world, out, member, "attendance certificate", lobby)
    out.bot(certificate.text, to=f"{member.name} (only you)")
    assert certificate.files, "/attendance certificate attached no file"
    _files(out, certificate)
