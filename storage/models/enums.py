"""Domain enums, stored as plain strings."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


class StageKind(enum.StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class Result(enum.StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


# A deal's result follows the kind of the stage it is in.
RESULT_OF_KIND = {
    StageKind.OPEN: Result.OPEN,
    StageKind.WON: Result.WON,
    StageKind.LOST: Result.LOST,
}


class Rating(enum.StrEnum):
    COLD = "cold"
    WARM = "warm"
    HOT = "hot"


class DealType(enum.StrEnum):
    NEW_CUSTOMER = "new_customer"
    EXISTING_CUSTOMER = "existing_customer"


class LeadStatus(enum.StrEnum):
    NEW = "new"
    WORKING = "working"
    CONVERTED = "converted"
    DISQUALIFIED = "disqualified"


class ActivityKind(enum.StrEnum):
    CALL = "call"
    MEETING = "meeting"
    NOTE = "note"
