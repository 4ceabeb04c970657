"""Discord's documented size limits on a message body, answered as Discord does.

Content, embeds and components over the limits are refused with 400 Invalid Form
Body (code 50035), the errors nested by the path of the offending field
(`{"embeds": {"0": {"title": {"_errors": [...]}}}}`). Used by every route that
creates or edits a message: create and edit message, interaction callbacks,
followups and webhook edits.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from . import payloads as P
from .routes_guild import ApiError

if TYPE_CHECKING:
    from .world import Message

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000  # title, description, field names and values, footer, author
EMBED_TEXT = {"title": 256, "description": 4096}
MAX_FIELDS = 25
FIELD_TEXT = {"name": 256, "value": 1024}
MAX_FOOTER = 2048
MAX_AUTHOR = 256
MAX_ROWS = 5
MAX_ROW_BUTTONS = 5
MAX_LABEL = 80
MAX_CUSTOM_ID = 100
MAX_OPTIONS = 25
OPTION_TEXT = {"label": 100, "value": 100, "description": 100}
MAX_PLACEHOLDER = 150
SELECT_TYPES = (3, 5, 6, 7, 8)
MAX_MENTION_IDS = 100  # allowed_mentions users / roles: "Max size of 100"
MAX_CHOICES = 25  # autocomplete: "max of 25 choices", name 1-100, string value up to 100
TOKEN_LIFETIME = timedelta(minutes=15)  # interaction tokens: "valid for 15 minutes"
MODAL_TITLE = 45
INPUT_TEXT = {"label": 45, "placeholder": 100, "value": 4000, "custom_id": MAX_CUSTOM_ID}

Path = tuple[str, ...]
Problem = tuple[Path, str, str]


def _too_long(path: Path, value: object, limit: int) -> list[Problem]:
    if isinstance(value, str) and len(value) > limit:
        return [(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]
    return []


def _too_many(path: Path, items: list[Any], limit: int) -> list[Problem]:
    if len(items) > limit:
        return [(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]
    return []


def _text(value: object) -> int:
    return len(value) if isinstance(value, str) else 0


def embed_size(embed: dict[str, Any]) -> int:
    """The characters Discord counts towards the 6,000 of all a message's embeds."""
    size = _text(embed.get("title")) + _text(embed.get("description"))
    for field in embed.get("fields") or []:
        size += _text(field.get("name")) + _text(field.get("value"))
    size += _text((embed.get("footer") or {}).get("text"))
    return size + _text((embed.get("author") or {}).get("name"))


def _embed_problems(index: int, embed: dict[str, Any]) -> list[Problem]:
    at: Path = ("embeds", str(index))
    found: list[Problem] = []
    for key, limit in EMBED_TEXT.items():
        found += _too_long((*at, key), embed.get(key), limit)
    fields = list(embed.get("fields") or [])
    found += _too_many((*at, "fields"), fields, MAX_FIELDS)
    for n, field in enumerate(fields):
        for key, limit in FIELD_TEXT.items():
            found += _too_long((*at, "fields", str(n), key), field.get(key), limit)
            if not str(field.get(key) or ""):  # name and value are required (1 or more characters)
                found.append(
                    ((*at, "fields", str(n), key), "BASE_TYPE_REQUIRED", "This field is required")
                )
    found += _too_long((*at, "footer", "text"), (embed.get("footer") or {}).get("text"), MAX_FOOTER)
    found += _too_long((*at, "author", "name"), (embed.get("author") or {}).get("name"), MAX_AUTHOR)
    return found


def _embeds(body: dict[str, Any]) -> list[dict[str, Any]]:
    if "embeds" in body:
        return list(body["embeds"] or [])
    return [body["embed"]] if body.get("embed") else []


def _too_short(path: Path, value: object) -> list[Problem]:
    if isinstance(value, str | list) and not value:
        return [(path, "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.")]
    return []


def _select_problems(at: Path, item: dict[str, Any]) -> list[Problem]:
    """min_values 0-25, max_values 1-25 and not below it; a string select has 1-25
    options with distinct values, at least max_values of them, labels and values 1-100."""
    found = _too_long((*at, "placeholder"), item.get("placeholder"), MAX_PLACEHOLDER)
    low, high = int(item.get("min_values", 1)), int(item.get("max_values", 1))
    if not 0 <= low <= MAX_OPTIONS:
        found.append(((*at, "min_values"), "NUMBER_TYPE_MAX", "Must be between 0 and 25."))
    if not max(1, low) <= high <= MAX_OPTIONS:
        found.append(((*at, "max_values"), "NUMBER_TYPE_MAX", "Must be between 1 and 25."))
    if item.get("type") != 3:
        return found
    options = list(item.get("options") or [])
    found += _too_many((*at, "options"), options, MAX_OPTIONS)
    found += _too_short((*at, "options"), options)
    if options and high > len(options):
        message = "max_values cannot exceed the number of options."
        found.append(((*at, "max_values"), "SELECT_COMPONENT_TOO_MANY_VALUES", message))
    values = [option.get("value") for option in options]
    if len(set(values)) != len(values):
        message = "Select option values must be unique"
        found.append(((*at, "options"), "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", message))
    for n, option in enumerate(options):
        for key, limit in OPTION_TEXT.items():
            found += _too_long((*at, "options", str(n), key), option.get(key), limit)
        for key in ("label", "value"):
            found += _too_short((*at, "options", str(n), key), option.get(key) or "")
    return found


def _component_problems(at: Path, item: dict[str, Any]) -> list[Problem]:
    found = _too_long((*at, "custom_id"), item.get("custom_id"), MAX_CUSTOM_ID)
    kind = item.get("type")
    if kind == 2:
        found += _too_long((*at, "label"), item.get("label"), MAX_LABEL)
        if not item.get("label") and not item.get("emoji"):
            message = "A button needs a label or an emoji."
            found.append(((*at, "label"), "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", message))
        if item.get("style") != 5 and not item.get("custom_id"):  # all but link buttons
            found.append(((*at, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required"))
    if kind in SELECT_TYPES:
        found += _select_problems(at, item)
    return found


def _components(rows: list[dict[str, Any]]) -> list[Problem]:
    """5 rows of up to 5 buttons or one select each; custom_ids unique in the message."""
    found = _too_many(("components",), rows, MAX_ROWS)
    ids: list[str] = []
    for r, row in enumerate(rows):
        inner = list(row.get("components") or [])
        at: Path = ("components", str(r), "components")
        found += _too_many(at, inner, MAX_ROW_BUTTONS)
        if len(inner) > 1 and any(item.get("type") in SELECT_TYPES for item in inner):
            message = "A select menu takes its whole row."
            found.append((at, "COMPONENT_LAYOUT_WIDTH_EXCEEDED", message))
        for n, item in enumerate(inner):
            found += _component_problems((*at, str(n)), item)
            ids += [str(item["custom_id"])] if item.get("custom_id") else []
    if len(set(ids)) != len(ids):
        message = "Component custom id cannot be duplicated"
        found.append((("components",), "COMPONENT_CUSTOM_ID_DUPLICATED", message))
    return found


def _mention_problems(mentions: dict[str, Any]) -> list[Problem]:
    """allowed_mentions: at most 100 user and 100 role ids, and a kind either parsed or listed."""
    found: list[Problem] = []
    for key in ("users", "roles"):
        listed = mentions.get(key)
        if not isinstance(listed, list):
            continue
        found += _too_many(("allowed_mentions", key), listed, MAX_MENTION_IDS)
        if key in (mentions.get("parse") or []):
            message = f'parse:["{key}"] and {key}: [ids] are mutually exclusive.'
            found.append((("allowed_mentions",), "ALLOWED_MENTIONS_PARSE_EXCLUSIVE", message))
    return found


def problems(body: dict[str, Any]) -> list[Problem]:
    """Every limit the message body breaks, as (path, code, message)."""
    found = _too_long(("content",), body.get("content"), MAX_CONTENT)
    found += _mention_problems(body.get("allowed_mentions") or {})
    embeds = _embeds(body)
    found += _too_many(("embeds",), embeds, MAX_EMBEDS)
    for index, embed in enumerate(embeds):
        found += _embed_problems(index, embed)
    total = sum(embed_size(embed) for embed in embeds)
    if total > MAX_EMBED_TOTAL:
        message = f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}"
        found.append((("embeds",), "MAX_EMBED_SIZE_EXCEEDED", message))
    return found + _components(list(body.get("components") or []))


def modal_problems(data: dict[str, Any]) -> list[Problem]:
    """Every limit a modal breaks: title 45, 5 rows, text input label 45 and value 4,000."""
    found = _too_long(("title",), data.get("title"), MODAL_TITLE)
    found += _too_long(("custom_id",), data.get("custom_id"), MAX_CUSTOM_ID)
    rows = list(data.get("components") or [])
    found += _too_many(("components",), rows, MAX_ROWS)
    for r, row in enumerate(rows):
        at: Path = ("components", str(r))
        if row.get("type") == 18:  # a label wrapping one component
            found += _too_long((*at, "label"), row.get("label"), INPUT_TEXT["label"])
            inner = [(("component",), row.get("component") or {})]
        else:
            inner = [(("components", str(n)), c) for n, c in enumerate(row.get("components") or [])]
        for where, item in inner:
            if item.get("type") != 4:
                found += _component_problems((*at, *where), item)
                continue
            for key, limit in INPUT_TEXT.items():
                found += _too_long((*at, *where, key), item.get(key), limit)
            found += _input_bounds((*at, *where), item)
    return found


def _input_bounds(at: Path, item: dict[str, Any]) -> list[Problem]:
    """A text input's min_length is 0-4,000 and its max_length 1-4,000."""
    found: list[Problem] = []
    for key, low in (("min_length", 0), ("max_length", 1)):
        value = item.get(key)
        if value is not None and not low <= int(value) <= INPUT_TEXT["value"]:
            message = f"int value should be between {low} and {INPUT_TEXT['value']}."
            found.append(((*at, key), "NUMBER_TYPE_MAX", message))
    return found


def _nest(found: list[Problem]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for path, code, message in found:
        node = errors
        for key in path:
            node = node.setdefault(key, {})
        node.setdefault("_errors", []).append({"code": code, "message": message})
    return errors


def form_error(found: list[Problem], wrap: str | None = None) -> ApiError:
    """Discord's 400/50035 Invalid Form Body, the errors nested by path (`wrap`: "data")."""
    errors = _nest(found)
    if wrap is not None:
        errors = {wrap: errors}
    return ApiError(400, P.error(50035, "Invalid Form Body", errors=errors))


def check_not_empty(
    msg: Message, body: dict[str, Any], files: list[tuple[str, bytes]], *, edit: bool
) -> None:
    """A message needs content, an embed, a component or a file: else 400/50006.

    An edit is judged on the message it leaves; the loading message of a deferred
    answer (flag 128) is the one message allowed to be empty.
    """
    if int(body.get("flags") or 0) & 128:
        return
    content = body.get("content", msg.content if edit else "")
    embeds = _embeds(body) if "embeds" in body or "embed" in body else (msg.embeds if edit else [])
    rows = body.get("components", msg.components if edit else [])
    kept = list(body.get("attachments") or []) if "attachments" in body else msg.files
    if (content or "").strip() or embeds or rows or files or (edit and kept):
        return
    raise ApiError(400, P.error(50006, "Cannot send an empty message"))


def check_body(
    msg: Message, body: dict[str, Any], files: list[tuple[str, bytes]], *, edit: bool
) -> None:
    """Everything Discord checks before it keeps a message: sizes, files, not empty."""
    check_message(body)
    check_files(files)
    check_not_empty(msg, body, files, edit=edit)


def check_files(files: list[tuple[str, bytes]]) -> None:
    """A file over the upload limit (10 MiB each, in a server without boosts and in DMs):
    Discord answers 413 Request entity too large (40005) and sends nothing."""
    if any(len(data) > P.ATTACHMENT_SIZE_LIMIT for _, data in files):
        raise ApiError(413, P.error(40005, "Request entity too large"))


def checked_choices(data: dict[str, Any]) -> list[dict[str, Any]]:
    """An autocomplete answer's choices, refused as Discord does if over its limits."""
    choices = list(data.get("choices") or [])
    found = _too_many(("choices",), choices, MAX_CHOICES)
    for n, choice in enumerate(choices):
        at: Path = ("choices", str(n))
        found += _too_short((*at, "name"), str(choice.get("name") or ""))
        found += _too_long((*at, "name"), choice.get("name"), 100)
        found += _too_long((*at, "value"), choice.get("value"), 100)
    if found:
        raise form_error(found, "data")
    return choices


def token_expired(sim: Any, rec: Any) -> bool:
    """Followups and webhook edits after 15 minutes: Discord answers 401/50027.

    Measured on the bot's injected clock (tests move it), from the interaction's arrival.
    """
    made = getattr(rec, "made_at", None)
    clock = getattr(getattr(sim, "bot", None), "clock", None)
    return made is not None and clock is not None and clock.now() - made > TOKEN_LIFETIME


def check_message(body: dict[str, Any], wrap: str | None = None, *, modal: bool = False) -> None:
    """Raise Discord's 400/50035 if `body` breaks a limit; `wrap` nests it ("data")."""
    found = modal_problems(body) if modal else problems(body)
    if found:
        raise form_error(found, wrap)
