"""Discord's limits on application commands, checked when the bot uploads its tree.

Discord refuses the whole bulk overwrite (PUT .../commands) with 400 Invalid Form Body
(50035) if one command breaks a rule, so `balint-bot sync` would fail for a new user.
The rules (discord.com/developers/docs/interactions/application-commands):
a slash command's and each option's name is 1-32 characters of
`^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`, lower case where the letter has one;
its description 1-100 (a user or message command has none, its name is free text
of 1-32); at most 25 options, required before optional, subcommands not mixed with
plain options, groups only at the top; at most 25 choices, name 1-100, a string value
1-100; string min_length 0-6,000 and max_length 1-6,000; names, descriptions and
choice names and values together at most 8,000 characters per command; 100 slash
commands and 15 user and 15 message commands per scope; names unique per type.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from .limits import Path, Problem

SUB, GROUP, STRING = 1, 2, 3
CHAT, USER, MESSAGE = 1, 2, 3
MAX_BY_TYPE = {CHAT: 100, USER: 15, MESSAGE: 15}
MAX_OPTIONS = 25
MAX_CHOICES = 25
MAX_COMBINED = 8000
MAX_STRING_OPTION = 6000


def _bad(path: Path, code: str, message: str) -> list[Problem]:
    return [(path, code, message)]


def name_ok(name: object) -> bool:
    """A slash command's or an option's name as Discord's pattern accepts it."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32 or name != name.lower():
        return False
    return all(c in "-_" or unicodedata.category(c)[0] in "LNM" for c in name)


def _length(path: Path, value: object, low: int, high: int) -> list[Problem]:
    size = len(value) if isinstance(value, str) else 0
    if low <= size <= high:
        return []
    return _bad(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


def _named(at: Path, item: dict[str, Any]) -> list[Problem]:
    found = (
        []
        if name_ok(item.get("name"))
        else _bad((*at, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    )
    return found + _length((*at, "description"), item.get("description"), 1, 100)


def _choices(at: Path, option: dict[str, Any]) -> list[Problem]:
    choices = list(option.get("choices") or [])
    found = []
    if len(choices) > MAX_CHOICES:
        found += _bad((*at, "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for n, choice in enumerate(choices):
        found += _length((*at, "choices", str(n), "name"), choice.get("name"), 1, 100)
        if isinstance(choice.get("value"), str):
            found += _length((*at, "choices", str(n), "value"), choice["value"], 1, 100)
    if choices and option.get("autocomplete"):
        message = "Autocomplete cannot be set on an option with choices"
        found += _bad((*at, "autocomplete"), "AUTOCOMPLETE_CHOICES_MUTUALLY_EXCLUSIVE", message)
    for key, low in (("min_length", 0), ("max_length", 1)):
        value = option.get(key)
        if (
            option.get("type") == STRING
            and value is not None
            and not low <= value <= MAX_STRING_OPTION
        ):
            message = f"int value should be between {low} and {MAX_STRING_OPTION}."
            found += _bad((*at, key), "NUMBER_TYPE_MAX", message)
    return found


def _options(at: Path, options: list[dict[str, Any]], depth: int) -> list[Problem]:
    """At most 25, named once each; subcommands apart from plain options; required first."""
    found = []
    if len(options) > MAX_OPTIONS:
        found += _bad(at, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    if len({o.get("type") in (SUB, GROUP) for o in options}) > 1:
        message = "Sub-command (group) options are mutually exclusive to all other types"
        found += _bad(at, "APPLICATION_COMMAND_OPTION_TYPE_INVALID", message)
    names = [o.get("name") for o in options]
    if len(set(names)) != len(names):
        found += _bad(
            at, "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", "Option names must be unique"
        )
    optional = False
    for n, option in enumerate(options):
        here: Path = (*at, str(n))
        found += _named(here, option)
        kind = option.get("type")
        if kind in (SUB, GROUP):
            if (kind == GROUP and depth != 0) or depth > 1:
                message = "Sub-command groups can only be top-level, sub-commands two levels deep"
                found += _bad(here, "APPLICATION_COMMAND_OPTION_TYPE_INVALID", message)
            found += _options((*here, "options"), list(option.get("options") or []), depth + 1)
            continue
        if option.get("required") and optional:
            message = "Required options must be placed before non-required options"
            found += _bad(here, "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", message)
        optional = optional or not option.get("required")
        found += _choices(here, option)
    return found


def combined(item: dict[str, Any]) -> int:
    """The characters Discord counts towards a command's 8,000: names, descriptions,
    choice names and values, of the command and all its options."""
    total = len(str(item.get("name") or "")) + len(str(item.get("description") or ""))
    for choice in item.get("choices") or []:
        total += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
    return total + sum(combined(option) for option in item.get("options") or [])


def _command(at: Path, cmd: dict[str, Any]) -> list[Problem]:
    kind = int(cmd.get("type") or CHAT)
    if kind != CHAT:  # user and message commands: free-text name, no description, no options
        found = _length((*at, "name"), cmd.get("name"), 1, 32)
        if cmd.get("description"):
            found += _bad(
                (*at, "description"), "BASE_TYPE_MAX_LENGTH", "Must be 0 or fewer in length."
            )
        return found
    found = _named(at, cmd) + _options((*at, "options"), list(cmd.get("options") or []), 0)
    if combined(cmd) > MAX_COMBINED:
        message = f"Command exceeds maximum size ({MAX_COMBINED})"
        found += _bad(at, "APPLICATION_COMMAND_TOO_LARGE", message)
    return found


def problems(body: list[dict[str, Any]]) -> list[Problem]:
    """Every rule the uploaded list of commands breaks, as (path, code, message)."""
    found: list[Problem] = []
    seen: set[tuple[int, str]] = set()
    counts: dict[int, int] = {}
    for n, cmd in enumerate(body):
        kind = int(cmd.get("type") or CHAT)
        counts[kind] = counts.get(kind, 0) + 1
        key = (kind, str(cmd.get("name")))
        if key in seen:
            message = "Application command names must be unique"
            found += _bad((str(n), "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", message)
        seen.add(key)
        found += _command((str(n),), cmd)
    for kind, count in counts.items():
        limit = MAX_BY_TYPE.get(kind, 0)
        if count > limit:
            found += _bad((), "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
    return found
