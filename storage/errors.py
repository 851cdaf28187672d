"""Domain errors that services raise and handlers turn into localized messages."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a service raises on purpose."""


class NotFound(DomainError):
    """The thing does not exist, or the actor may not see it: the two look the same."""

    def __init__(self, entity: str, ident: object) -> None:
        super().__init__(f"{entity} {ident!r} not found")
        self.entity = entity
        self.ident = ident


class Conflict(DomainError):
    """Someone changed the record since the actor last read it."""

    def __init__(self, entity: str, ident: object, current_version: int | None = None) -> None:
        super().__init__(f"{entity} {ident!r} changed meanwhile")
        self.entity = entity
        self.ident = ident
        self.current_version = current_version


class InvalidInput(DomainError):
    """A value broke a rule; ``field`` and ``reason`` are machine-readable codes."""

    def __init__(self, field: str, reason: str, **params: Any) -> None:
        super().__init__(f"{field}: {reason} {params or ''}".strip())
        self.field = field
        self.reason = reason
        self.params = params


class Forbidden(DomainError):
    """The actor may see the record but their role does not allow this action."""

    def __init__(self, action: str) -> None:
        super().__init__(f"not allowed: {action}")
        self.action = action
