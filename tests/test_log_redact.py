"""discord.py's DEBUG log lines never carry what members wrote."""

from __future__ import annotations

import logging

import pytest

from bot import log_redact

SECRET = "MARKER-she-told-me-about-her-son"


@pytest.fixture(autouse=True)
def _installed() -> None:
    log_redact.install()
    log_redact.install()  # idempotent
    assert logging.getLogger("discord.gateway").filters.count(log_redact._FILTER) == 1


def test_gateway_message_events_are_blanked(caplog: pytest.LogCaptureFixture) -> None:
    event = {"t": "MESSAGE_CREATE", "op": 0, "d": {"content": SECRET, "id": "1"}}
    with caplog.at_level(logging.DEBUG, logger="discord.gateway"):
        logging.getLogger("discord.gateway").debug(log_redact.GATEWAY_EVENT, None, event)
        other = {"t": "GUILD_ROLE_UPDATE", "op": 0, "d": {"role": {"name": "Tuesday"}}}
        logging.getLogger("discord.gateway").debug(log_redact.GATEWAY_EVENT, None, other)
    assert SECRET not in caplog.text
    assert "MESSAGE_CREATE" in caplog.text and "Tuesday" in caplog.text


def test_message_route_responses_are_blanked(caplog: pytest.LogCaptureFixture) -> None:
    body = f'[{{"content": "{SECRET}"}}]'
    url = "https://discord.com/api/v10/channels/1/messages?limit=100"
    with caplog.at_level(logging.DEBUG, logger="discord.http"):
        logging.getLogger("discord.http").debug(log_redact.RECEIVED, "GET", url, body)
        logging.getLogger("discord.http").debug(
            log_redact.RECEIVED, "GET", "https://discord.com/api/v10/users/@me", '{"id": "9"}'
        )
    assert SECRET not in caplog.text
    assert log_redact.PLACEHOLDER in caplog.text and '"id": "9"' in caplog.text


def test_thread_names_in_guild_create_and_thread_routes_are_blanked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A thread started on a message is named after its text: GUILD_CREATE lists them."""
    guild = {"t": "GUILD_CREATE", "op": 0, "d": {"name": "Surgery", "threads": [{"name": SECRET}]}}
    url = "https://discord.com/api/v10/guilds/1/threads/active"
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("discord.gateway").debug(log_redact.GATEWAY_EVENT, None, guild)
        logging.getLogger("discord.http").debug(
            log_redact.RECEIVED, "GET", url, f'{{"threads": [{{"name": "{SECRET}"}}]}}'
        )
    assert SECRET not in caplog.text
    assert "Surgery" in caplog.text  # the rest of the event is still logged


def test_a_deleted_or_edited_threads_name_is_blanked(caplog: pytest.LogCaptureFixture) -> None:
    """DELETE (and PATCH) /channels/{thread} answer with the thread, named by a member."""
    url = "https://discord.com/api/v10/channels/7"
    thread = {"id": "7", "name": SECRET, "thread_metadata": {"archived": False}}
    with caplog.at_level(logging.DEBUG, logger="discord.http"):
        logging.getLogger("discord.http").debug(log_redact.RECEIVED, "DELETE", url, thread)
        channel = {"id": "8", "name": "sessions", "type": 0}
        logging.getLogger("discord.http").debug(log_redact.RECEIVED, "PATCH", url, channel)
    assert SECRET not in caplog.text
    assert log_redact.PLACEHOLDER in caplog.text and "sessions" in caplog.text
