"""Settings: environment (BALINT_*) > TOML file > defaults (code may pass explicit values).

One flat set of keys keeps the documented names equal to the environment
names (``default_timezone`` <-> ``BALINT_DEFAULT_TIMEZONE``); the only nested
section is ``phase_minutes`` (``BALINT_PHASE_MINUTES__DISCUSSION=30``).
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import re
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from bot.texts import agreement as agreement_texts
from bot.texts import confidentiality as confidentiality_texts
from bot.texts import operator as texts

DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"

DEFAULT_AGREEMENT = agreement_texts.DEFAULT_AGREEMENT
DEFAULT_REMINDER = confidentiality_texts.DEFAULT_REMINDER

_log = logging.getLogger(__name__)

_toml_path: ContextVar[Path | None] = ContextVar("balint_toml_path", default=None)


class ConfigError(Exception):
    """A setting is wrong; the message names the key and the reason."""


class GuardMode(StrEnum):
    OFF = "off"
    WARN = "warn"
    REMOVE = "remove"


class PhaseMinutes(BaseModel):
    """Default phase durations in minutes; each group may change its own."""

    check_in: int = Field(5, ge=1, le=120)
    case_call: int = Field(5, ge=1, le=120)
    presentation: int = Field(10, ge=1, le=120)
    questions: int = Field(5, ge=1, le=120)
    discussion: int = Field(25, ge=1, le=120)
    return_: int = Field(5, ge=1, le=120, alias="return")
    closing: int = Field(5, ge=1, le=120)

    model_config = {"populate_by_name": True, "extra": "forbid"}


class Settings(BaseSettings):
    """Every setting of the bot; see config.example.toml for the documented list."""

    model_config = SettingsConfigDict(
        env_prefix="BALINT_",
        env_nested_delimiter="__",
        extra="forbid",
        populate_by_name=True,
    )

    token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("BALINT_TOKEN", "DISCORD_TOKEN")
    )
    database_path: Path = Path("./balint.sqlite3")
    default_timezone: str = "Europe/London"
    reminder_lead_minutes: list[int] = [24 * 60, 60]
    reminder_grace_minutes: int = Field(30, ge=0, le=24 * 60)
    case_prompt_lead_hours: int = Field(48, ge=0, le=24 * 14)
    followup_prompt_lead_hours: int = Field(48, ge=0, le=24 * 14)
    purge_delay_minutes: int = Field(60, ge=0, le=7 * 24 * 60)
    guard_mode: GuardMode = GuardMode.WARN
    log_level: str = "INFO"
    dev_guild_ids: list[int] = []
    max_group_size: int = Field(16, ge=2, le=100)
    organiser_role: str = "Balint organiser"
    quorum: int = Field(4, ge=1, le=100)
    max_cases: int = Field(2, ge=1, le=4)
    silence_nudge_minutes: int = Field(3, ge=1, le=60)
    retention_days: int = Field(3 * 365, ge=30, le=50 * 365)
    phase_minutes: PhaseMinutes = PhaseMinutes()
    agreement_text: str = Field(DEFAULT_AGREEMENT, min_length=10, max_length=4000)
    confidentiality_reminder: str = Field(DEFAULT_REMINDER, min_length=10, max_length=1000)
    message_content_intent: bool = True
    api_base_url: str = DISCORD_API_BASE
    gateway_url: str = DISCORD_GATEWAY

    @field_validator("database_path")
    @classmethod
    def _home(cls, value: Path) -> Path:
        """`~/balint.sqlite3` means the home directory, as it would in a shell."""
        return value.expanduser()

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(texts.BAD_ZONE.format(value=value)) from exc
        return value

    @field_validator("reminder_lead_minutes")
    @classmethod
    def _lead_times(cls, value: list[int]) -> list[int]:
        for minutes in value:
            if minutes <= 0 or minutes > 14 * 24 * 60:
                raise ValueError(texts.BAD_LEAD_TIME.format(minutes=minutes))
        return sorted(set(value), reverse=True)

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(texts.BAD_LOG_LEVEL)
        return level

    @field_validator("api_base_url", "gateway_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://", "ws://", "wss://")):
            raise ValueError(texts.BAD_URL)
        return value.rstrip("/") if value.startswith("http") else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _toml_path.get()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    def __repr__(self) -> str:
        return f"Settings(database_path={str(self.database_path)!r}, token=<hidden>)"

    __str__ = __repr__


def find_config_file(explicit: str | Path | None) -> Path | None:
    """--config PATH, else BALINT_CONFIG, else ./config.toml if present."""
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get("BALINT_CONFIG")
    if env:
        return Path(env)
    default = Path("config.toml")
    return default if default.is_file() else None


# Variables with the BALINT_ prefix that are not settings themselves.
_ENV_NOT_SETTINGS = {"BALINT_CONFIG", "BALINT_TOKEN"}
# What a list looks like in an environment variable, for the message when it is not JSON.
_JSON_EXAMPLES = {"dev_guild_ids": "[123456789012345678]", "phase_minutes": '{"discussion": 30}'}


def load_settings(config_path: str | Path | None = None, **overrides: Any) -> Settings:
    """Load and validate; a wrong value raises ConfigError naming the key."""
    path = find_config_file(config_path)
    if path is not None and not path.is_file():
        raise ConfigError(texts.CONFIG_FILE_MISSING.format(path=str(path)))
    unknown = unknown_env_names(os.environ)
    if unknown:
        raise ConfigError("\n".join(unknown))
    token = _toml_path.set(path)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc)) from None
    except SettingsError as exc:  # an environment value that is not the JSON a list needs
        raise ConfigError(describe_settings_error(exc)) from None
    except ValueError as exc:  # a TOML syntax error
        raise ConfigError(texts.CONFIG_FILE_SYNTAX.format(path=str(path), reason=exc)) from None
    finally:
        _toml_path.reset(token)


def unknown_env_names(environ: Any) -> list[str]:
    """BALINT_* variables that look like a misspelt setting: they would otherwise do nothing.

    A misspelt key in the TOML file is refused (extra="forbid"); the environment
    must not be the one place where a typo is silently ignored. A name that is
    close to no setting is not a typo but someone else's variable (a user's
    BALINT_HOME, the BALINT_PORT / BALINT_SERVICE_HOST that docker links and a
    Kubernetes service called 'balint' set): it is logged and ignored, never a
    reason not to start.
    """
    known = {name.upper(): f"BALINT_{name.upper()}" for name in Settings.model_fields}
    problems = []
    for raw in environ:
        name = raw.upper()
        if not name.startswith("BALINT_") or name in _ENV_NOT_SETTINGS:
            continue
        if name.split("__")[0] in known.values():
            continue  # nested keys (phase_minutes) are checked by their own model
        suffix = name.removeprefix("BALINT_").split("__")[0]
        close = difflib.get_close_matches(suffix, sorted(known), n=1, cutoff=0.8)
        if not close:
            _log.warning(texts.IGNORED_ENV.format(name=raw))
            continue
        hint = texts.UNKNOWN_ENV_HINT.format(name=known[close[0]])
        problems.append(texts.UNKNOWN_ENV.format(name=raw, hint=hint))
    return problems


def _json_example(key: str) -> str:
    field = Settings.model_fields.get(key)
    if key in _JSON_EXAMPLES or field is None:
        return _JSON_EXAMPLES.get(key, "[1, 2]")
    return json.dumps(field.default)


def describe_settings_error(exc: SettingsError) -> str:
    """pydantic-settings names the field in prose; say which key and how to write it."""
    found = re.search(r'field "([^"]+)"', str(exc))
    if found is None:
        return f"config: {exc}"
    key = found.group(1)
    return texts.ENV_NOT_JSON.format(key=key, example=_json_example(key))


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem: `key: reason`, never the offending secret."""
    lines = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"]) or "config"
        if key.lower() in {"token", "balint_token", "discord_token"}:
            lines.append(f"token: {texts.INVALID_TOKEN_VALUE}")  # the key in the file
            continue
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = texts.UNKNOWN_SETTING
        elif error["type"] == "list_type" and len(error["loc"]) == 1:
            message += texts.ENV_LIST_HINT.format(example=_json_example(key))
        lines.append(f"{key}: {message}")
    return "\n".join(lines)
