"""The README's promises that code can check."""

from __future__ import annotations

from pathlib import Path

from bot.permissions_needed import REQUIRED, invite_url

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_invite_url_has_the_permissions_the_code_uses() -> None:
    assert f"permissions={REQUIRED.value}" in README
    assert invite_url() in README


def test_readme_gives_the_install_and_test_commands() -> None:
    assert 'python -m pip install -e ".[test]"' in README
    assert "python -m pytest" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest\n" in ci
