"""Fitting lists into Discord's 2,000 characters per message.

Discord refuses longer message content (400, code 50035). Two pure helpers:
`fit` joins items until the limit and says how many were left out ("… and N
more"); `pack` puts whole lines into as few messages as needed; `spread` fills a
template with items (mentions that must all ping) and carries the rest over
into further messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.texts import common as texts

MESSAGE_LIMIT = 2000  # characters of content in one Discord message
EMBED_FIELD_LIMIT = 1024  # characters in one embed field's value
EMBED_DESCRIPTION_LIMIT = 4096  # characters in one embed's description


def _fitting(items: Sequence[str], limit: int, sep: str, more: str) -> int:
    """How many items (from the front) fit in `limit` with the summary of the rest."""
    best = used = 0
    for shown, item in enumerate(items, 1):
        used += len(item) + (len(sep) if shown > 1 else 0)
        if used + len(sep) + len(more.format(count=len(items) - shown)) > limit:
            break
        best = shown
    return best


def fit(
    items: Sequence[str],
    limit: int,
    *,
    sep: str = ", ",
    more: str = texts.AND_MORE,
    keep_last: bool = False,
) -> str:
    """As many items as fit in `limit` characters, and `more` with the rest's count.

    The first items are kept and `more` follows them; with `keep_last` the last
    items are kept and `more` comes first ("… and 12 earlier, <the latest>").
    The summary counts against the limit too; if not even it fits, the result is
    cut to the limit (never longer than `limit`).
    """
    whole = sep.join(items)
    if len(whole) <= limit:
        return whole
    ordered = list(reversed(items)) if keep_last else list(items)
    shown = _fitting(ordered, limit, sep, more)
    tail = more.format(count=len(items) - shown)
    if shown == 0:
        return tail[:limit]
    if keep_last:
        return tail + sep + sep.join(items[len(items) - shown :])
    return sep.join(items[:shown]) + sep + tail


def fill(
    template: str,
    field: str,
    items: Sequence[str],
    *,
    limit: int = MESSAGE_LIMIT,
    sep: str = ", ",
    **values: object,
) -> str:
    """`template` with `field` set to as many items as keep the whole within `limit`."""
    frame = len(template.format(**{field: ""}, **values))
    listed = fit(items, max(0, limit - frame), sep=sep)
    return template.format(**{field: listed}, **values)


def pack(lines: Sequence[str], limit: int = MESSAGE_LIMIT, *, sep: str = "\n") -> list[str]:
    """Whole lines joined by `sep` into messages of at most `limit` characters.

    A single line longer than the limit is cut (callers fit their lists first).
    """
    messages: list[str] = []
    current = ""
    for line in lines:
        line = line[:limit]
        if current and len(current) + len(sep) + len(line) <= limit:
            current += sep + line
            continue
        if current:
            messages.append(current)
        current = line
    if current:
        messages.append(current)
    return messages


def spread(
    template: str,
    field: str,
    items: Sequence[str],
    *,
    limit: int = MESSAGE_LIMIT,
    sep: str = " ",
    **values: object,
) -> list[str]:
    """`template` with as many items as fit, then the other items in further messages.

    For lists where every item matters (mentions that must ping): nothing is left out.
    """
    room = limit - len(template.format(**{field: ""}, **values))
    shown = 0
    used = 0
    for item in items:
        extra = len(item) + (len(sep) if shown else 0)
        if used + extra > room:
            break
        used += extra
        shown += 1
    first = template.format(**{field: sep.join(items[:shown])}, **values)
    return [first, *pack(items[shown:], limit, sep=sep)]
