"""`balint-bot run` with a gateway_url nothing answers at (a self-hosted server's gateway
port mistyped): discord.py retried for ever, logging a traceback at ERROR each time,
and the operator never read which setting was wrong. Now the first connection that
fails ends the start with one line naming gateway_url; once connected, a dropped
gateway is retried as before."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.compat_server import compatible_server

ROOT = Path(__file__).resolve().parents[1]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_gateway_nothing_answers_at_is_one_line(tmp_path: Path) -> None:
    gateway = f"ws://127.0.0.1:{_closed_port()}/"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BALINT_", "DISCORD_"))}
    with compatible_server() as api:
        env.update(
            BALINT_API_BASE_URL=api,
            BALINT_GATEWAY_URL=gateway,
            BALINT_DATABASE_PATH=str(tmp_path / "db.sqlite3"),
            BALINT_LOG_LEVEL="WARNING",
            DISCORD_TOKEN="a-spacebar-token",
        )
        try:
            result = subprocess.run(
                [sys.executable, "-m", "bot", "run"],
                capture_output=True,
                text=True,
                env=env,
                cwd=tmp_path,
                timeout=40,
            )
        except subprocess.TimeoutExpired as stuck:
            err = stuck.stderr.decode() if isinstance(stuck.stderr, bytes) else stuck.stderr
            raise AssertionError(f"still retrying after 40 s:\n{(err or '')[-800:]}") from None
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert gateway in lines[0] and "gateway_url" in lines[0]
