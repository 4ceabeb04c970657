"""balint-bot demo: a whole meeting, played by the real bot against the simulator."""

from __future__ import annotations


async def run_demo(*, db_path: str | None = None, as_json: bool = False) -> int:
    from bot.demo_script import play

    return await play(db_path=db_path, as_json=as_json)
