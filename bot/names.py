"""People's names made safe for the place the bot puts them.

Why: a display name (nickname, global name) is chosen by its owner and can hold
Discord markup: `**Dr** _Smith_`, `||a||`, `# Big`, `[x](http://evil)`, `<@123>`,
`@everyone`. Put into a message as it is, it changes how the message renders,
turns into a link or a mention, or pings. Each place needs its own treatment:

- `markdown`: message content, embeds and Markdown files: every character that
  starts markup is escaped with a backslash (Discord and CommonMark both drop the
  backslash before punctuation), and mentions get a zero-width space, so the name
  shows as written and pings nobody.
- `code`: inside a ``` block nothing renders and nothing pings; only a backtick
  could close the block.
- both: the bidirectional controls (embeddings, overrides, isolates) go. An
  override left open (U+202E with no U+202C) reverses the rest of the line: the
  other names and words after it would read backwards.
- `spreadsheet`: a CSV cell; no markup at all, but spreadsheets run cells that
  start with = + - @ as formulas.

Mentions the bot builds itself (`<@id>`) are not names and never pass through
here. Select-menu labels show plain text and need none of this.
"""

from __future__ import annotations

import re

from discord.utils import escape_mentions

# Inline markup anywhere: emphasis, code, spoilers, strike, the backslash itself,
# masked links ("[" opens one; escaping it keeps two names joined by ", " from forming
# one either), and <...> markup (<@id>, <#id>, <t:0:F>, <:emoji:id>, </cmd:id>);
# "://" so that no bare URL becomes a link.
_INLINE = re.compile(r"[\\*_~|`\[\]<>]|(?<=\w):(?=//)")
# Markup only at the start of a line: headings, subtext, lists, numbered lists.
_LINE_START = re.compile(r"^(\s*)(?:(#{1,3}|-#|[-+])|(\d+)\.)(?=\s)")
# Explicit bidi embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def markdown(name: str) -> str:
    """`name` to show literally in message content or a Markdown file."""
    one_line = " ".join(_BIDI.sub("", name).splitlines())
    text = _INLINE.sub(lambda m: "\\" + m.group(0), one_line)
    text = _LINE_START.sub(_line_start, text)
    return escape_mentions(text)


def _line_start(match: re.Match[str]) -> str:
    lead, mark, number = match.groups()
    # A backslash before a digit would show: "1. x" is escaped at its dot.
    return lead + ("\\" + mark if mark else number + "\\.")


def code(name: str) -> str:
    """`name` inside a code block: a backtick could end the block early."""
    return _BIDI.sub("", name).replace("`", "'")


def spreadsheet(name: str) -> str:
    """`name` in a CSV cell: a leading quote keeps it from running as a formula."""
    return "'" + name if name[:1] in _FORMULA_START else name
