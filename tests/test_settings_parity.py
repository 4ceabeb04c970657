"""config.example.toml and the README describe the settings the code reads: the same keys,
the same defaults, nothing documented that does not exist."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from bot.config import PhaseMinutes, Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / "config.example.toml").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _defaults() -> dict[str, object]:
    out = Settings.model_construct().model_dump(mode="json", by_alias=True)
    out["phase_minutes"] = PhaseMinutes().model_dump(mode="json", by_alias=True)
    return out


def test_every_key_of_the_example_is_a_setting_with_its_default(tmp_path: Path) -> None:
    shown = tomllib.loads(EXAMPLE)
    commented = set(re.findall(r"^# (\w+) = ", EXAMPLE, re.M))
    defaults = _defaults()
    assert set(shown) | commented == set(defaults), set(shown) ^ set(defaults)
    assert set(shown["phase_minutes"]) == set(defaults["phase_minutes"])  # type: ignore[arg-type]
    assert commented == {"token"} and defaults["token"] is None
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    from_example = load_settings(ROOT / "config.example.toml").model_dump(mode="json")
    from_code = load_settings(empty).model_dump(mode="json")
    differ = {
        k: (from_example[k], from_code[k]) for k in from_code if from_example[k] != from_code[k]
    }
    assert not differ, f"example value, code default: {differ}"


def test_every_setting_the_readme_names_exists() -> None:
    """`organiser_role`, `message_content_intent = false`, BALINT_PHASE_MINUTES__DISCUSSION."""
    keys = set(_defaults()) | {
        f"phase_minutes.{k}" for k in PhaseMinutes().model_dump(by_alias=True)
    }
    named = set(re.findall(r"`([a-z]+(?:_[a-z]+)+)[` =]", README)) - {"ru_maxrss"}
    named |= {v.lower().replace("__", ".") for v in re.findall(r"BALINT_([A-Z_]+)=", README)}
    assert {"organiser_role", "phase_minutes.discussion"} <= named
    assert named <= keys, named - keys
    assert "`token`" in README and "`DISCORD_TOKEN`" in README
