"""Telegram's rules for message text: HTML entity parsing, lengths and inline keyboards."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.fake_telegram.errors import bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100  # inline keyboard buttons in one message

# Telegram's documented HTML subset; every other tag is refused.
_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_END_TAG_RE = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")
_START_TAG_RE = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)"
    r"\s*>"
)
_ATTR_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def utf16_len(text: str) -> int:
    """Return the length Telegram uses for entity offsets (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


class EntityParseError(ValueError):
    """The text is not HTML that Telegram accepts."""


@dataclass
class _OpenTag:
    name: str
    offset: int
    extra: dict[str, str] = field(default_factory=dict)


def _byte_offset(source: str, index: int) -> int:
    # Telegram reports positions in UTF-8 bytes of the text that was sent.
    return len(source[:index].encode("utf-8"))


def _decode_entity(match: re.Match[str]) -> str:
    named, decimal, hexadecimal = match.groups()
    if named:
        return _NAMED_ENTITIES[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise EntityParseError(f"Invalid character code {code}")
    return chr(code)


def _unescape_attribute(value: str) -> str:
    return _ENTITY_RE.sub(_decode_entity, value)


def _attributes(raw: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR_RE.finditer(raw):
        name, double, single, bare = match.groups()
        value = next((v for v in (double, single, bare) if v is not None), "")
        found[name.lower()] = _unescape_attribute(value)
    return found


def _check_attributes(name: str, attrs: dict[str, str], where: int) -> dict[str, str]:
    """Keep what Telegram reads from a tag's attributes; refuse what it refuses."""
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {where}')
    if name == "a":
        return {"url": attrs.get("href", "")}
    if name == "code" and attrs.get("class", "").startswith("language-"):
        return {"language": attrs["class"].removeprefix("language-")}
    if name == "blockquote" and "expandable" in attrs:
        return {"expandable": "1"}
    if name == "tg-emoji":
        if "emoji-id" not in attrs:
            raise EntityParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at {where}')
        return {"custom_emoji_id": attrs["emoji-id"]}
    return {}


def _entity(tag: _OpenTag, end: int, stack: list[_OpenTag]) -> dict[str, Any] | None:
    kind = _TAG_ENTITY[tag.name]
    if kind == "code" and "language" in tag.extra and stack and stack[-1].name == "pre":
        # <pre><code class="language-x"> is one pre entity with a language, as Telegram sends it.
        stack[-1].extra["language"] = tag.extra["language"]
        return None
    if kind == "blockquote" and tag.extra.get("expandable"):
        kind = "expandable_blockquote"
    entity: dict[str, Any] = {"type": kind, "offset": tag.offset, "length": end - tag.offset}
    if kind == "text_link":
        entity["url"] = tag.extra["url"]
    elif kind == "pre" and "language" in tag.extra:
        entity["language"] = tag.extra["language"]
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = tag.extra["custom_emoji_id"]
    return entity


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and the entities Telegram would make of ``source``.

    Raises:
        EntityParseError: for a tag outside Telegram's subset, an unescaped ``<`` or ``&``,
            or tags that are unclosed or closed out of order.
    """
    parts: list[str] = []
    offset = 0  # in UTF-16 code units, like Telegram's entity offsets
    stack: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "&":
            match = _ENTITY_RE.match(source, i)
            if match is None:
                raise EntityParseError(f'Unescaped "&" at byte offset {_byte_offset(source, i)}')
            decoded = _decode_entity(match)
            parts.append(decoded)
            offset += utf16_len(decoded)
            i = match.end()
        elif char == "<" and source.startswith("</", i):
            where = _byte_offset(source, i)
            match = _END_TAG_RE.match(source, i)
            if match is None:
                raise EntityParseError(f"Expected end tag at byte offset {where}")
            name = match.group(1).lower()
            if not stack:
                raise EntityParseError(f'Unexpected end tag "</{name}>" at byte offset {where}')
            if stack[-1].name != name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {where}, expected "</{stack[-1].name}>", '
                    f'found "</{name}>"'
                )
            entity = _entity(stack.pop(), offset, stack)
            if entity is not None and entity["length"] > 0:
                entities.append(entity)
            i = match.end()
        elif char == "<":
            where = _byte_offset(source, i)
            match = _START_TAG_RE.match(source, i)
            if match is None:
                raise EntityParseError(f"Unsupported start tag at byte offset {where}")
            name = match.group(1).lower()
            if name not in _TAG_ENTITY:
                raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {where}')
            extra = _check_attributes(name, _attributes(match.group(2)), where)
            stack.append(_OpenTag(name, offset, extra))
            i = match.end()
        else:
            parts.append(char)
            offset += 2 if ord(char) > 0xFFFF else 1
            i += 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(parts), entities


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    # Telegram strips surrounding whitespace and shifts or clips the entities with it.
    stripped = text.strip()
    lead = utf16_len(text) - utf16_len(text.lstrip())
    size = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def render_text(
    text: Any,
    parse_mode: str | None,
    entities: list[dict[str, Any]] | None,
    *,
    limit: int = MAX_TEXT,
    caption: bool = False,
) -> tuple[str, list[dict[str, Any]]]:
    """Return the text and entities Telegram would store, or raise the 400 it would answer."""
    if not isinstance(text, str):
        raise bad_request("message text is empty" if not caption else "caption must be a string")
    if parse_mode is not None and parse_mode.upper() == "HTML":
        try:
            plain, found = parse_html(text)
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
    else:
        # Markdown modes are passed through unparsed: the bot only sends HTML.
        plain, found = text, list(entities or [])
    plain, found = _trim(plain, found)
    if not plain and not caption:
        raise bad_request("message text is empty")
    if len(plain) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return plain, found


def check_reply_markup(markup: Any) -> None:
    """Raise the 400 Telegram answers for a keyboard it would refuse."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return  # reply keyboards, ForceReply and ReplyKeyboardRemove carry no button data
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            _check_button(button)
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    if not any(key in button for key in _BUTTON_ACTIONS):
        raise bad_request("text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    if data is not None:
        size = len(str(data).encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Return the inline keyboard's buttons row by row, flattened."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]


__all__ = [
    "MAX_BUTTONS",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION",
    "MAX_TEXT",
    "EntityParseError",
    "check_reply_markup",
    "inline_buttons",
    "parse_html",
    "render_text",
    "utf16_len",
]
