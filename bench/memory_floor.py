"""Where the bot process's resident memory goes before it handles anything.

``python -m bench.memory_floor`` imports, in a fresh interpreter, the libraries the bot
runs on (with Babel's data for the three languages loaded, as the first formatted
message loads it), then this project's modules, then the message catalogs, and prints
the resident set after each: what a bot on this stack cannot go below, and what the
project adds to it. The running application (connections, HTTP clients, caches) comes
on top; ``python -m bench`` reports the whole process once started.
"""

from __future__ import annotations

import subprocess
import sys

_STEPS = {
    "python itself": "",
    "PTB, SQLAlchemy (ORM, asyncio), Babel": (
        "import telegram.ext, sqlalchemy.orm, sqlalchemy.ext.asyncio, babel.dates, babel.numbers"
    ),
    "Babel's data for vi, th, en": (
        "for language in ('vi', 'th', 'en'):\n"
        "    babel.dates.get_day_names(locale=language)\n"
        "    babel.numbers.format_currency(1, 'VND', locale=language)\n"
        "    babel.dates.format_date(locale=language)"
    ),
    "Tornado, APScheduler, aiosqlite, httpx, catalog reader": (
        "import tornado.web, apscheduler.schedulers.asyncio, aiosqlite, httpx\n"
        "import sqlalchemy.dialects.sqlite.aiosqlite, babel.messages.pofile"
    ),
    "this project's modules": "import bot.app, bot.runtime.runner",
    "the message catalogs": "import bot.i18n; bot.i18n.load_all()",
}

_PROBE = """
def _rss():
    with open('/proc/self/status') as status:
        line = next(line for line in status if line.startswith('VmRSS'))
    return int(line.split()[1]) / 1024
"""


def measure() -> list[tuple[str, float]]:
    """Run every step in one interpreter; return (step, MB resident after it)."""
    code = [_PROBE]
    for name, step in _STEPS.items():
        code.append(step)
        code.append(f"print({name!r} + '\\t' + str(_rss()))")
    out = subprocess.run(
        [sys.executable, "-c", "\n".join(code)], check=True, capture_output=True, text=True
    ).stdout
    rows = []
    for line in out.splitlines():
        name, _, mb = line.partition("\t")
        rows.append((name, float(mb)))
    return rows


def main() -> None:
    before = 0.0
    for name, mb in measure():
        print(f"{mb:6.1f} MB  (+{mb - before:4.1f})  {name}")
        before = mb


if __name__ == "__main__":
    main()
