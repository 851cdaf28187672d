"""Settings from the environment (and a .env file), validated once at start-up."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv

from bot.i18n import LANGUAGES
from storage.db import default_database_url
from storage.teams import TeamSettings

_TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{30,}")
_CURRENCY = re.compile(r"[A-Z]{3}")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    token: str = field(repr=False)
    database_url: str
    timezone: str = "Asia/Ho_Chi_Minh"
    language: str = "vi"
    currency: str = "VND"
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    listen: str = "127.0.0.1"
    port: int = 8443
    draft_ttl: timedelta = timedelta(hours=24)
    # A self-hosted Bot API server (or the benchmark's stand-in) instead of Telegram's.
    api_url: str | None = None
    # The board's public HTTPS address (Telegram opens Mini Apps over HTTPS only).
    board_url: str | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def first_team(self) -> TeamSettings:
        """The team made when the database has none: named for the owner to rename later."""
        return TeamSettings(
            name="My team", currency=self.currency, timezone=self.timezone, language=self.language
        )


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


def load_settings(*, require_token: bool = True, dotenv: bool = True) -> Settings:
    """Read DEALBOT_* variables.

    Raises:
        ConfigError: one line naming the variable that is missing or malformed.
    """
    if dotenv:
        load_dotenv(override=False)
    token = _env("DEALBOT_TOKEN")
    if token is None and require_token:
        raise ConfigError("DEALBOT_TOKEN is not set: put the bot token from @BotFather in it")
    if token is not None and not _TOKEN.fullmatch(token):
        raise ConfigError("DEALBOT_TOKEN is malformed: expected digits, a colon and the secret")
    timezone = _env("DEALBOT_TIMEZONE", "Asia/Ho_Chi_Minh") or ""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"DEALBOT_TIMEZONE is not a known time zone: {timezone!r}") from error
    language = _env("DEALBOT_LANGUAGE", "vi") or ""
    if language not in LANGUAGES:
        raise ConfigError(f"DEALBOT_LANGUAGE must be one of {', '.join(LANGUAGES)}")
    currency = (_env("DEALBOT_CURRENCY", "VND") or "").upper()
    if not _CURRENCY.fullmatch(currency):
        raise ConfigError("DEALBOT_CURRENCY must be an ISO code such as VND, THB or USD")
    webhook_url = _env("DEALBOT_WEBHOOK_URL")
    secret = _env("DEALBOT_WEBHOOK_SECRET")
    if webhook_url and not secret:
        raise ConfigError("DEALBOT_WEBHOOK_SECRET must be set when DEALBOT_WEBHOOK_URL is")
    if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise ConfigError("DEALBOT_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -")
    try:
        port = int(_env("DEALBOT_PORT", "8443") or "")
        ttl_hours = float(_env("DEALBOT_DRAFT_TTL_HOURS", "24") or "")
    except ValueError as error:
        raise ConfigError("DEALBOT_PORT and DEALBOT_DRAFT_TTL_HOURS must be numbers") from error
    board_url = _env("DEALBOT_BOARD_URL")
    if board_url and not board_url.startswith("https://"):
        raise ConfigError("DEALBOT_BOARD_URL must be a public https:// address of the board")
    return Settings(
        token=token or "",
        database_url=_env("DEALBOT_DATABASE_URL") or default_database_url(),
        timezone=timezone,
        language=language,
        currency=currency,
        webhook_url=webhook_url,
        webhook_secret=secret,
        listen=_env("DEALBOT_LISTEN", "127.0.0.1") or "127.0.0.1",
        port=port,
        draft_ttl=timedelta(hours=ttl_hours),
        api_url=(_env("DEALBOT_API_URL") or "").rstrip("/") or None,
        board_url=board_url,
    )
