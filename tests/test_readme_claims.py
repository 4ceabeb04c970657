"""README sentences that name things the code defines: they must not drift from it."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_invite_permissions_are_named_as_discord_shows_them() -> None:
    """The list under the invite URL is what an admin compares with Server Settings > Roles."""
    from bot.permissions_needed import WHY, label

    listed = re.search(r"That integer is: ([^.]+)\.", _flat(README))
    assert listed is not None
    assert listed.group(1).split(", ") == [label(flag) for flag in WHY]


def test_every_group_setting_is_named_in_the_readme() -> None:
    """A leader looking for "auto-end" or "session channel" must find it under /settings."""
    from bot.domain.settings import PHASE_PREFIX, SETTINGS
    from bot.texts.settings import NAMES

    assert set(NAMES) == set(SETTINGS)
    bullet = _flat(README.split("- `/settings show|set|reset`", 1)[1].split("\n- ", 1)[0])
    missing = [
        key
        for key, name in NAMES.items()
        if not key.startswith(PHASE_PREFIX) and name.split(" (")[0].lower() not in bullet.lower()
    ]
    assert missing == []
    assert "minutes of each phase" in bullet


def test_the_readme_says_which_balint_variables_stop_the_bot() -> None:
    """A misspelt setting stops the bot; someone else's BALINT_ variable is only logged."""
    from bot.config import Settings, unknown_env_names

    section = _flat(README.split("## Configuration", 1)[1].split("\n## ", 1)[0])
    settings = {f"BALINT_{name.upper()}" for name in Settings.model_fields}
    named = set(re.findall(r"BALINT_[A-Z_]+[A-Z]", section))
    others = sorted(
        n for n in named - settings if not n.startswith(tuple(f"{s}__" for s in settings))
    )
    others = [n for n in others if n not in {"BALINT_CONFIG", "BALINT_TOKEN"}]
    assert others, "the README does not say which BALINT_ variables are ignored"
    assert unknown_env_names(others) == []
    assert "logged and ignored" in section
