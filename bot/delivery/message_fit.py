"""Cutting any answer to Telegram's limits: text split at line breaks, the rest shortened.

Telegram refuses a message over 4,096 characters (1,024 for a caption) and a keyboard
over 100 buttons, after HTML is parsed and counted in UTF-16 units. These pure functions
are applied to every request by ``bot.delivery.fit_request``, so no handler can send too much.
"""

from __future__ import annotations

import html
import re
from typing import Any

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_BUTTONS = 100
ELLIPSIS = "…"

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")


def _units(plain: str) -> int:
    return len(plain.encode("utf-16-le")) // 2


def plain_text(text: str, is_html: bool) -> str:
    """What Telegram shows (and counts) of ``text``."""
    return html.unescape(_TAG.sub("", text)) if is_html else text


def visible_length(text: str, is_html: bool) -> int:
    """Telegram's count of ``text``: UTF-16 units of what is left after parsing HTML."""
    return _units(plain_text(text, is_html))


def _cut_plain(plain: str, limit: int) -> list[str]:
    """``plain`` in pieces of at most ``limit`` UTF-16 units."""
    pieces, current, size = [], [], 0
    for char in plain:
        width = _units(char)
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    if current:
        pieces.append("".join(current))
    return pieces


def _lines(text: str, is_html: bool, limit: int) -> list[str]:
    """The lines of ``text``; a line too long on its own is cut, losing its formatting."""
    lines = []
    for line in text.split("\n"):
        if visible_length(line, is_html) <= limit:
            lines.append(line)
            continue
        pieces = _cut_plain(plain_text(line, is_html), limit)
        lines += [html.escape(piece, quote=False) if is_html else piece for piece in pieces]
    return lines


def _open_tags(prefix: list[str], chunk: str) -> list[str]:
    """The opening tags still open at the end of ``chunk``, outermost first."""
    stack = list(prefix)
    for match in _TAG.finditer(chunk):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append(match.group(0))
            continue
        for index in range(len(stack) - 1, -1, -1):
            if _TAG.match(stack[index]).group(2).lower() == name:  # type: ignore[union-attr]
                del stack[index:]
                break
    return stack


def _closing(tags: list[str]) -> str:
    return "".join(f"</{_TAG.match(tag).group(2)}>" for tag in reversed(tags))  # type: ignore[union-attr]


def split_text(text: str, *, is_html: bool = True, limit: int = MAX_TEXT) -> list[str]:
    """``text`` as one or more messages of at most ``limit``, cut at line breaks.

    Tags open at a cut are closed before it and opened again after it, so each part
    is valid HTML on its own; parts with nothing visible are dropped.
    """
    if visible_length(text, is_html) <= limit:
        return [text]
    groups: list[list[str]] = [[]]
    size = 0
    for line in _lines(text, is_html, limit):
        width = visible_length(line, is_html)
        if groups[-1] and size + 1 + width > limit:
            groups.append([])
            size = 0
        size += width + (1 if len(groups[-1]) else 0)
        groups[-1].append(line)
    parts, opened = [], []
    for group in groups:
        body = "\n".join(group)
        reopened = "".join(opened)
        opened = _open_tags(opened, body) if is_html else []
        part = reopened + body + _closing(opened)
        if plain_text(part, is_html).strip():
            parts.append(part)
    return parts or [text[:1] or ELLIPSIS]


def shorten(text: str, *, is_html: bool = True, limit: int = MAX_TEXT) -> str:
    """``text`` cut to ``limit`` with "…" at the end, for edits and captions."""
    if visible_length(text, is_html) <= limit:
        return text
    return split_text(text, is_html=is_html, limit=limit - 1)[0] + ELLIPSIS


def fit_keyboard(markup: Any) -> Any:
    """An inline keyboard cut to Telegram's 100 buttons (rows kept whole where they fit)."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return markup
    rows, count = [], 0
    for row in markup["inline_keyboard"]:
        room = MAX_BUTTONS - count
        if room <= 0:
            break
        rows.append(row[:room])
        count += len(rows[-1])
    if count == sum(len(row) for row in markup["inline_keyboard"]):
        return markup
    return {**markup, "inline_keyboard": rows}
