"""A stand-in for the Telegram Bot API: in-process for tests and the console, HTTP for benches."""

from bot.fake_telegram.errors import ApiError, SimulatedNetworkError
from bot.fake_telegram.faults import EveryNth, FaultKind, FloodLimits, FloodViolation
from bot.fake_telegram.records import Call, StoredFile, StoredMessage, UploadedFile
from bot.fake_telegram.request import StubRequest
from bot.fake_telegram.server import FakeTelegram
from bot.fake_telegram.sim import SimUser, Via

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
