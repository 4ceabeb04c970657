"""Settings: precedence, aliases, validation messages, and the token kept secret."""

from __future__ import annotations

import logging
from pathlib import Path

import discord
import pytest

from bot.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("BALINT_") or key == "DISCORD_TOKEN":
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file() -> None:
    settings = load_settings()
    assert settings.database_path == Path("balint.sqlite3")
    assert settings.reminder_lead_minutes == [1440, 60]
    assert settings.api_base_url == "https://discord.com/api/v10"


def test_toml_then_env_then_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, 'default_timezone = "Asia/Kolkata"\nquorum = 5\nmax_cases = 1\n')
    assert load_settings(path).default_timezone == "Asia/Kolkata"
    monkeypatch.setenv("BALINT_DEFAULT_TIMEZONE", "Australia/Adelaide")
    monkeypatch.setenv("BALINT_QUORUM", "6")
    settings = load_settings(path)
    assert settings.default_timezone == "Australia/Adelaide"
    assert settings.quorum == 6 and settings.max_cases == 1
    assert load_settings(path, quorum=7).quorum == 7


def test_config_file_from_env_and_from_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "quorum = 3\n")
    monkeypatch.setenv("BALINT_CONFIG", str(path))
    assert load_settings().quorum == 3
    monkeypatch.delenv("BALINT_CONFIG")
    (tmp_path / "config.toml").write_text("quorum = 9\n", encoding="utf-8")
    assert load_settings().quorum == 9


def test_nested_env_and_discord_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALINT_PHASE_MINUTES__DISCUSSION", "30")
    monkeypatch.setenv("DISCORD_TOKEN", "from-discord-token")
    settings = load_settings()
    assert settings.phase_minutes.discussion == 30
    assert settings.token is not None
    assert settings.token.get_secret_value() == "from-discord-token"


def test_the_token_comes_from_the_documented_names_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`token` in the file, DISCORD_TOKEN or BALINT_TOKEN; a stray TOKEN variable is not it."""
    path = write(tmp_path, 'token = "from-toml"\n')
    monkeypatch.setenv("TOKEN", "stray")
    settings = load_settings(path)
    assert settings.token is not None and settings.token.get_secret_value() == "from-toml"
    monkeypatch.setenv("BALINT_TOKEN", "from-balint-token")
    settings = load_settings(path)
    assert settings.token is not None
    assert settings.token.get_secret_value() == "from-balint-token"


@pytest.mark.parametrize(
    ("env", "value", "key"),
    [
        ("BALINT_DEFAULT_TIMEZONE", "Mars/Base", "default_timezone"),
        ("BALINT_PURGE_DELAY_MINUTES", "-5", "purge_delay_minutes"),
        ("BALINT_REMINDER_LEAD_MINUTES", "[60, 0]", "reminder_lead_minutes"),
        ("BALINT_REMINDER_LEAD_MINUTES", "[60, -1]", "reminder_lead_minutes"),
        ("BALINT_GUARD_MODE", "shout", "guard_mode"),
        ("BALINT_LOG_LEVEL", "LOUD", "log_level"),
        ("BALINT_MAX_GROUP_SIZE", "1", "max_group_size"),
        ("BALINT_API_BASE_URL", "discord.com", "api_base_url"),
    ],
)
def test_invalid_values_name_the_key(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, key: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith(key)


def test_unknown_key_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="colour: unknown setting"):
        load_settings(write(tmp_path, 'colour = "red"\n'))
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_a_token_in_the_file_that_is_not_text_names_the_files_key(tmp_path: Path) -> None:
    """`token = 1234...` (unquoted) in config.toml: the message named BALINT_TOKEN, a
    variable the user never set, and did not say the token must be quoted."""
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, "token = 123456789012345678\n"))
    assert str(caught.value).startswith("token: ")
    assert "BALINT_TOKEN" not in str(caught.value) and "quotes" in str(caught.value)
    assert "123456789012345678" not in str(caught.value)


def test_token_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    secret = "MTIz.super-secret-token"
    settings = load_settings(token=secret)
    logging.getLogger("bot").warning("settings are %s / %r", settings, settings)
    assert secret not in repr(settings) and secret not in str(settings)
    assert secret not in str(settings.model_dump())
    assert secret not in caplog.text


def test_example_config_is_complete_and_valid() -> None:
    import tomllib

    from bot.config import Settings

    example = Path(__file__).resolve().parents[1] / "config.example.toml"
    text = example.read_text(encoding="utf-8")
    settings = load_settings(example)
    assert settings.default_timezone
    # every key is listed (commented out or not) in the example file
    listed = {line.lstrip("# ").split("=")[0].strip() for line in text.splitlines() if "=" in line}
    missing = set(Settings.model_fields) - listed - {"phase_minutes"}
    assert not missing, f"config.example.toml lacks {sorted(missing)}"
    assert "[phase_minutes]" in text
    tomllib.loads(text)


async def test_custom_api_base_is_used_for_every_request(tmp_path: Path) -> None:
    from bot.sim.scenario import Scenario

    base = "http://localhost:3001/api/v10"
    world = Scenario(tmp_path / "db.sqlite3", api_base_url=base)
    try:
        await world.start()
        await world.sim.slash(world.people[0], "balint about")
        assert world.sim.calls
        assert all(call.url.startswith(base) for call in world.sim.calls)
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"
    finally:
        await world.stop()
        discord.http.Route.BASE = "https://discord.com/api/v10"
    assert not world.problems()


def test_a_misspelt_environment_variable_is_refused_with_the_right_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A typo in the TOML file stops the bot; one in the environment must too, not do nothing."""
    monkeypatch.setenv("BALINT_DEFAULT_TIMEZOME", "Asia/Tokyo")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith("BALINT_DEFAULT_TIMEZOME: unknown setting")
    assert "did you mean BALINT_DEFAULT_TIMEZONE?" in str(caught.value)
    monkeypatch.delenv("BALINT_DEFAULT_TIMEZOME")
    monkeypatch.setenv("BALINT_CONFIG", "")  # the file's own variable is not a setting
    monkeypatch.setenv("balint_quorum", "6")  # pydantic-settings reads names in any case
    assert load_settings().quorum == 6


@pytest.mark.parametrize(
    "source",
    [
        "env",
        "toml",
    ],
)
def test_a_misspelt_phase_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    path = None
    if source == "env":
        monkeypatch.setenv("BALINT_PHASE_MINUTES__DISCUSION", "30")
    else:
        path = write(tmp_path, "[phase_minutes]\ndiscusion = 30\n")
    with pytest.raises(ConfigError, match=r"^phase_minutes\.discusion: unknown setting"):
        load_settings(path)


@pytest.mark.parametrize(
    ("env", "value", "example"),
    [
        ("BALINT_REMINDER_LEAD_MINUTES", "1440,60", "[1440, 60]"),
        ("BALINT_DEV_GUILD_IDS", "123456789012345678", "[123456789012345678]"),
    ],
)
def test_a_list_in_the_environment_must_be_json_and_the_message_says_so(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, example: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    key = env.removeprefix("BALINT_").lower()
    assert str(caught.value).startswith(f"{key}: ")
    assert f"JSON, for example {example}" in str(caught.value)
    monkeypatch.setenv(env, f"[{value.split(',')[0]}]")
    assert getattr(load_settings(), key) == [int(value.split(",")[0])]


def test_a_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'quorum = "4\n')
    with pytest.raises(ConfigError, match=r"settings\.toml' is not valid TOML"):
        load_settings(path)


def test_a_database_path_under_home_is_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALINT_DATABASE_PATH", "~/balint.sqlite3")
    assert load_settings().database_path == Path.home() / "balint.sqlite3"


@pytest.mark.parametrize(
    "name",
    [
        "BALINT_HOME",  # a user's own variable
        "BALINT_PORT",  # docker --link / a Kubernetes service called 'balint'
        "BALINT_SERVICE_HOST",
        "BALINT_PORT_443_TCP_ADDR",
    ],
)
def test_an_unrelated_balint_variable_does_not_stop_the_bot(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    """Only a name close to a setting is a typo; CI, docker and Kubernetes set others."""
    monkeypatch.setenv(name, "10.0.0.1")
    with caplog.at_level("WARNING", logger="bot.config"):
        settings = load_settings()
    assert settings.quorum == 4
    assert f"{name}: not a setting, ignored" in caplog.text
