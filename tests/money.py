"""Amounts as the parsers return them, written the way the test tables read."""

from bot.parsing import Money


def vnd(units: int) -> Money:
    return Money(units, "VND")


def thb(units: float) -> Money:
    return Money(round(units * 100), "THB")


def usd(units: float) -> Money:
    return Money(round(units * 100), "USD")
