"""The team members e2e tests talk as, each having chosen the language they speak."""

from __future__ import annotations

from typing import Any

REP_ID = 101
MANAGER_ID = 100


async def member_speaking(fake, language: str, telegram_id: int, name: str) -> Any:
    """The member ``telegram_id`` after they answered ``/language``."""
    member = fake.user(telegram_id, name, language_code=language)
    await member.send(f"/language {language}")
    return member


async def rep_speaking(fake, language: str = "en", telegram_id: int = REP_ID) -> Any:
    """The rep An (or another rep of that name), speaking ``language``."""
    return await member_speaking(fake, language, telegram_id, "An")


async def manager_speaking(fake, language: str = "en") -> Any:
    """The manager Mai, speaking ``language``."""
    return await member_speaking(fake, language, MANAGER_ID, "Mai")


async def reply_to(member, text: str) -> str:
    """What the bot answers when ``member`` sends ``text``."""
    await member.send(text)
    return member.last_text()


async def click_for(member, label: str) -> str:
    """What the bot shows when ``member`` presses the button ``label``."""
    await member.click(label)
    return member.last_text()
