"""bench.memory_floor: each step of the bot's imports, measured in a fresh interpreter."""

from __future__ import annotations

from bench.memory_floor import measure


def test_every_step_is_measured_and_the_libraries_outweigh_python_itself():
    rows = measure()
    names = [name for name, _ in rows]
    assert names[0] == "python itself" and names[-1] == "the message catalogs"
    assert len(rows) == 6
    sizes = dict(rows)
    assert all(mb > 0 for mb in sizes.values())
    assert sizes["PTB, SQLAlchemy (ORM, asyncio), Babel"] > 2 * sizes["python itself"]
    # The project's modules are imported last but one: they cannot have shrunk the process.
    assert sizes["this project's modules"] >= sizes["Babel's data for vi, th, en"]
