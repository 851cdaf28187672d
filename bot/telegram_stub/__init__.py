"""A stand-in for the Telegram Bot API: in-process for tests and the console, HTTP for benches."""

from bot.telegram_stub.errors import ApiError, SimulatedNetworkError
from bot.telegram_stub.faults import EveryNth, FaultKind, FloodLimits, FloodViolation
from bot.telegram_stub.records import Call, StoredFile, StoredMessage, UploadedFile
from bot.telegram_stub.request import StubRequest
from bot.telegram_stub.server import FakeTelegram
from bot.telegram_stub.sim import SimUser, Via

__all__ = [
    "ApiError",
    "Call",
    "EveryNth",
    "FakeTelegram",
    "FaultKind",
    "FloodLimits",
    "FloodViolation",
    "SimUser",
    "SimulatedNetworkError",
    "StoredFile",
    "StoredMessage",
    "StubRequest",
    "UploadedFile",
    "Via",
]
