"""Every slash command a sentence tells someone to run exists, and can be typed as written.

A leader told to run a command that is not there, or to pick a choice by a name the
picker does not show (the picker shows a choice's name, never its value), is stuck in
the middle of a meeting. The README has its own scan (tests/test_readme.py); this one
reads every sentence in bot/texts and every command and option description.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import bot.texts
from bot.config import load_settings
from bot.sync import command_payloads

SUB, GROUP = 1, 2
# `/group add`, `/phase goto` “Who has a case?”, `/group agreement resend member:`.
QUOTED = re.compile(r"`(/[^`]+)`")
# A bare mention such as "with /settings set": only its command words are checked.
BARE = re.compile(r"(?<![\w:/.`<])/([a-z][a-z_-]*(?: [a-z][a-z_-]*)*)")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item)


def text_sentences() -> list[tuple[str, str]]:
    """(where, sentence) for every string constant of every module of bot.texts."""
    found = []
    for info in pkgutil.iter_modules(bot.texts.__path__):
        module = importlib.import_module(f"bot.texts.{info.name}")
        for name, value in vars(module).items():
            if name.isupper():
                found += [(f"{info.name}.{name}", s) for s in _strings(value)]
    return found


def description_sentences(tree: list[dict]) -> list[tuple[str, str]]:
    """(where, description) of every command, subcommand and option."""
    found = []

    def walk(node: dict, path: str) -> None:
        found.append((path, node.get("description", "")))
        for option in node.get("options", []):
            walk(option, f"{path} {option['name']}")

    for command in tree:
        walk(command, "/" + command["name"])
    return found


def problems_in(sentence: str, tree: list[dict]) -> list[str]:
    """What in one sentence names a command, option or choice that does not exist."""
    problems = []
    for span in QUOTED.findall(sentence):
        problems += _check(span[1:].split(), tree, span, whole=True)
    for words in BARE.findall(sentence.replace("`", " ` ")):
        problems += _check(words.split(), tree, "/" + words, whole=False)
    return problems


def _check(words: list[str], tree: list[dict], span: str, *, whole: bool) -> list[str]:
    subs = {c["name"]: c for c in tree if c.get("type", 1) == 1}
    node: dict = {}
    for index, word in enumerate(words):
        if word in subs:
            node = subs[word]
            subs = {o["name"]: o for o in node.get("options", []) if o["type"] in (SUB, GROUP)}
            continue
        if not node:
            return [f"{span}: no command /{word}"]
        if not whole:
            return []  # the rest of a bare mention is the sentence going on
        if subs:
            return [f"{span}: /{' '.join(words[:index])} has no subcommand {word!r}"]
        options = node.get("options", [])
        name = word.split(":", 1)[0]
        shown = [c["name"].lower() for o in options for c in o.get("choices") or []]
        if name in {o["name"] for o in options}:
            continue  # `member` or `member:` or `member:gp-03`, as the README writes them
        if any(word.lower() in choice for choice in shown):
            continue  # a choice as the picker shows it: `/reminders on`
        return [f"{span}: {word!r} is neither an option nor a choice the picker shows"]
    return []


async def test_every_command_mentioned_in_a_sentence_exists() -> None:
    tree = await command_payloads(load_settings(None, database_path=":memory:"))
    problems = [
        f"{where}: {problem}"
        for where, sentence in [*text_sentences(), *description_sentences(tree)]
        for problem in problems_in(sentence, tree)
    ]
    assert problems == []


async def test_the_scan_finds_a_command_that_does_not_exist() -> None:
    tree = await command_payloads(load_settings(None, database_path=":memory:"))
    assert problems_in("Run `/group repair` or /settings set.", tree) == []
    assert problems_in("Run `/group agreement resend member:` for them.", tree) == []
    assert problems_in("Run `/group fix`.", tree)
    assert problems_in("Run /meeting start.", tree)
    assert problems_in("Run `/case pick member` or `/reminders on`.", tree) == []
    assert problems_in("Use `/phase goto case_call`.", tree)  # a value the picker hides
