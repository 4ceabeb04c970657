"""Rules every sentence a member or leader reads keeps (operator.py speaks to the installer).

GPs read these at the end of a clinic, on a phone: a word of the bot's insides ("row",
"timer", "overwrite") makes them wonder what went wrong, or what of theirs was kept.
"""

from __future__ import annotations

import re

from bot.config import load_settings
from bot.sync import command_payloads
from tests.test_texts_commands import description_sentences, text_sentences

INTERNAL = re.compile(
    r"\b(rows?|timers?|overwrites?|custom_id|database|exception|traceback|payload|snowflake"
    r"|markdown)\b",
    re.IGNORECASE,
)
# Not sentences: a CSV file's column names.
NOT_SENTENCES = {"attendance.EXPORT_HEADER"}


def internal_words(sentences: list[tuple[str, str]]) -> list[str]:
    """Sentences of member and leader texts that name the bot's insides."""
    return [
        f"{where}: {found.group(0)!r} in {sentence[:70]!r}"
        for where, sentence in sentences
        if not where.startswith("operator.") and where not in NOT_SENTENCES
        for found in [INTERNAL.search(re.sub(r"\{[^}]*\}", "", sentence))]
        if found
    ]


def test_no_sentence_names_the_bots_insides() -> None:
    assert internal_words(text_sentences()) == []


async def test_no_command_description_names_the_bots_insides() -> None:
    """What the command picker shows under each command and option."""
    tree = await command_payloads(load_settings(None, database_path=":memory:"))
    assert internal_words(description_sentences(tree)) == []


async def test_turns_names_its_choices_as_the_picker_shows_them() -> None:
    """“open, hands or strict” above a picker that offers “Raised hands”, “Strict turns”."""
    tree = await command_payloads(load_settings(None, database_path=":memory:"))
    (turns,) = [c for c in tree if c["name"] == "turns"]
    (mode,) = turns["options"][:1]
    for choice in mode["choices"]:
        assert choice["name"].lower() in turns["description"].lower(), turns["description"]


def test_the_scan_finds_an_internal_word() -> None:
    assert internal_words([("privacy.X", "Here is every row I keep about you.")])
    assert not internal_words([("privacy.X", "Here is every record ({rows}) about you.")])
    assert not internal_words([("operator.X", "database_path: cannot use it")])
