"""Telegram Mini App initData: checking its signature and age, and signing it for local links."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

MAX_AGE = timedelta(hours=24)


class InvalidInitData(Exception):
    """initData is missing, unsigned, tampered with, or too old: the caller gets a 401."""


@dataclass(frozen=True, slots=True)
class WebAppUser:
    """The Telegram user who opened the board, as initData names them."""

    id: int
    first_name: str
    language_code: str | None
    auth_date: datetime


def _secret_key(token: str) -> bytes:
    # Telegram's scheme: the key is HMAC-SHA256 of the token, keyed with "WebAppData".
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def signature(fields: dict[str, str], token: str) -> str:
    """The hex ``hash`` Telegram would put beside ``fields``."""
    check = _data_check_string(fields).encode()
    return hmac.new(_secret_key(token), check, hashlib.sha256).hexdigest()


def verify(init_data: str, token: str, now: datetime, max_age: timedelta = MAX_AGE) -> WebAppUser:
    """Check ``init_data`` (the raw query string) and return the user it was signed for.

    Raises:
        InvalidInitData: no hash, a wrong hash, no user, or ``auth_date`` older than ``max_age``.
    """
    if not init_data or not token:
        raise InvalidInitData("missing")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as error:
        raise InvalidInitData("malformed") from error
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InvalidInitData("repeated field")
    given = fields.get("hash", "")
    if not hmac.compare_digest(given, signature(fields, token)):
        raise InvalidInitData("bad signature")
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), tz=now.tzinfo)
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError) as error:
        raise InvalidInitData("no user or date") from error
    if now - signed_at > max_age or signed_at - now > timedelta(minutes=5):
        raise InvalidInitData("expired")
    return WebAppUser(
        id=user_id,
        first_name=str(user.get("first_name", "")),
        language_code=user.get("language_code"),
        auth_date=signed_at,
    )


def sign(token: str, *, user_id: int, first_name: str, language: str, now: datetime) -> str:
    """initData for ``user_id`` signed with ``token``: what Telegram hands a Mini App.

    ``dealbot board`` puts it in the link it prints, and tests use it as a real client would.
    """
    user = {"id": user_id, "first_name": first_name, "language_code": language}
    fields = {
        "auth_date": str(int(now.timestamp())),
        "query_id": "local",
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
    }
    fields["hash"] = signature(fields, token)
    return urlencode(fields)
