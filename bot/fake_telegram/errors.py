"""The refusals the Bot API stand-in answers with, shaped like Telegram's."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refusal that Telegram reports as ``{"ok": false, ...}`` with an HTTP status."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        """Return the body Telegram sends with this refusal."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class SimulatedNetworkError(ConnectionError):
    """The connection broke: no answer reaches the client (raised, never answered)."""


def bad_request(detail: str) -> ApiError:
    """Return a 400 whose description starts the way Telegram's do."""
    return ApiError(400, f"Bad Request: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """Return the 429 Telegram answers when a flood limit is hit."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def blocked_by_user() -> ApiError:
    """Return the 403 Telegram answers when the user blocked the bot."""
    return ApiError(403, "Forbidden: bot was blocked by the user")
