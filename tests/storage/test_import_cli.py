"""`dealbot import`, `dealbot export` and `dealbot admin fx` against a real database."""

import asyncio
import time

import pytest
from sqlalchemy import func, select

from bot.cli.main import main
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import Opportunity, Role
from storage.teams import TeamSettings, add_user, create_team
from storage.uow import UnitOfWork

ROWS = 10_000


@pytest.fixture
async def cli_db(empty_database_url, tmp_path, monkeypatch):
    """A migrated database with a team of a manager and two reps, as the CLI sees it."""
    url = empty_database_url
    engine = create_engine(url)
    await upgrade(engine)
    sessions = create_session_factory(engine)
    async with UnitOfWork(sessions) as uow:
        team = await create_team(uow, TeamSettings(name="Saigon", currency="VND"))
    members = (
        (100, "Mai Manager", Role.MANAGER),
        (101, "An Rep", Role.REP),
        (102, "Binh Rep", Role.REP),
    )
    for telegram_id, name, role in members:
        async with UnitOfWork(sessions) as uow:
            await add_user(uow, team_id=team.id, name=name, role=role, telegram_id=telegram_id)
    monkeypatch.setenv("DEALBOT_DATABASE_URL", url)
    monkeypatch.delenv("DEALBOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    yield engine, sessions
    await engine.dispose()


async def _count(sessions) -> int:
    async with UnitOfWork(sessions) as uow:
        return await uow.session.scalar(select(func.count()).select_from(Opportunity))


def _big_file(path, rows: int) -> None:
    stages = ("Tiếp cận", "Đề xuất", "Đàm phán", "Prospecting", "Negotiation")
    lines = ["Tên cơ hội;Số tiền;Ngày chốt dự kiến;Giai đoạn;Người phụ trách;Công ty;Chiến dịch"]
    for n in range(rows):
        lines.append(
            f"Cơ hội {n:05d};{(n % 97 + 1) * 1_500_000};{n % 28 + 1}/{n % 12 + 1}/2027;"
            f"{stages[n % 5]};{'An Rep' if n % 2 else 'Binh Rep'};Công ty {n % 200};"
            f"{'Tết 2027' if n % 3 == 0 else ''}"
        )
    path.write_text("\n".join(lines), encoding="utf-8-sig")


async def test_ten_thousand_rows_import_in_one_run_with_a_progress_bar(cli_db, tmp_path, capsys):
    _, sessions = cli_db
    path = tmp_path / "big.csv"
    _big_file(path, ROWS)
    started = time.monotonic()
    code = await asyncio.to_thread(main, ["import", str(path), "--team", "Saigon"])
    took = time.monotonic() - started
    output = capsys.readouterr()
    assert code == 0, output.out
    assert f"Importing [{'#' * 30}] 10,000/10,000 rows" in output.err
    assert "10,000 created, 0 updated" in output.out
    assert await _count(sessions) == ROWS
    with capsys.disabled():  # shown with -s
        print(f"\n10,000-row import through `dealbot import` took {took:.1f} s")

    code = await asyncio.to_thread(main, ["import", str(path), "--dry-run"])
    assert "10,000 valid (10,000 already here)" in capsys.readouterr().out
    assert await _count(sessions) == ROWS


async def test_bad_rows_are_written_back_with_their_reason(cli_db, tmp_path, capsys):
    _, sessions = cli_db
    path = tmp_path / "deals.csv"
    path.write_text(
        "Name,Amount,Close date,Owner\n"
        "Good,5000,31/12/2026,An Rep\n"
        ",100,31/12/2026,\n"
        "Bad owner,100,31/12/2026,Nobody\n",
        encoding="utf-8",
    )
    code = await asyncio.to_thread(main, ["import", str(path), "--lang", "en"])
    output = capsys.readouterr().out
    assert code == 1
    assert "1 created" in output and "2 rejected" in output
    rejected = (tmp_path / "deals.rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rejected[0] == "Name,Amount,Close date,Owner,Problem"
    assert rejected[1].startswith(",100,31/12/2026,,Line 3: the name is missing")
    assert "Line 4: no one in the team is called “Nobody”" in rejected[2]
    assert await _count(sessions) == 1


async def _import_deals_a_and_b(tmp_path) -> None:
    source = tmp_path / "deals.csv"
    source.write_text("Name,Amount,Close date\nA,5000,31/12/2026\nB,7000,01/01/2027\n")
    assert await asyncio.to_thread(main, ["import", str(source)]) == 0


async def test_export_writes_a_file_that_imports_back_as_nothing_new(cli_db, tmp_path, capsys):
    _, sessions = cli_db
    await _import_deals_a_and_b(tmp_path)
    exported = tmp_path / "export.csv"
    assert await asyncio.to_thread(main, ["export", str(exported), "--lang", "th"]) == 0
    assert "exported 2 deals" in capsys.readouterr().out
    assert await asyncio.to_thread(main, ["import", str(exported)]) == 0
    assert "0 created, 0 updated, 0 unchanged, 2 skipped" in capsys.readouterr().out
    assert await _count(sessions) == 2


async def test_admin_fx_sets_and_lists_rates(cli_db, capsys):
    assert await asyncio.to_thread(main, ["admin", "fx", "USD", "25400"]) == 0
    assert (
        await asyncio.to_thread(main, ["admin", "fx", "THB", "735.5", "--date", "2026-01-01"]) == 0
    )
    assert await asyncio.to_thread(main, ["admin", "fx"]) == 0
    output = capsys.readouterr().out
    assert "1 USD = 25400 VND" in output
    assert "1 THB = 735.5 VND (from 2026-01-01)" in output
    assert await asyncio.to_thread(main, ["admin", "fx", "VND", "2"]) == 1


async def test_admin_team_shows_and_changes_the_reminder_days_and_stuck_threshold(cli_db, capsys):
    assert await asyncio.to_thread(main, ["admin", "team"]) == 0
    assert "Saigon: reminders 7,1,0 days before the close date; stuck after 14 days" in (
        capsys.readouterr().out
    )
    command = ["admin", "team", "--reminders", "10,3,0", "--stuck-days", "21"]
    assert await asyncio.to_thread(main, command) == 0
    assert "reminders 10,3,0 days before the close date; stuck after 21 days" in (
        capsys.readouterr().out
    )
    assert await asyncio.to_thread(main, ["admin", "team", "--stuck-days", "0"]) == 1
    assert "--stuck-days must be 1 to 365" in capsys.readouterr().out
    assert await asyncio.to_thread(main, ["admin", "team", "--reminders", "soon"]) == 2
    assert await asyncio.to_thread(main, ["admin", "team"]) == 0
    assert "stuck after 21 days" in capsys.readouterr().out


async def test_export_to_xlsx_writes_a_workbook_that_imports_back_as_nothing_new(
    cli_db, tmp_path, capsys
):
    from datetime import datetime

    from openpyxl import load_workbook

    _, sessions = cli_db
    await _import_deals_a_and_b(tmp_path)
    exported = tmp_path / "export.xlsx"
    assert await asyncio.to_thread(main, ["export", str(exported), "--lang", "vi"]) == 0
    rows = list(load_workbook(exported, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][1] == "Tên cơ hội"
    assert [(row[1], row[2], row[4]) for row in rows[1:]] == [
        ("A", 5000, datetime(2026, 12, 31)),
        ("B", 7000, datetime(2027, 1, 1)),
    ]
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["import", str(exported)]) == 0
    assert "0 created, 0 updated, 0 unchanged, 2 skipped" in capsys.readouterr().out
    assert await _count(sessions) == 2


async def test_unknown_sources_are_left_out_with_a_warning_or_added_when_asked(
    cli_db, tmp_path, capsys
):
    from storage.models import Source

    _, sessions = cli_db
    path = tmp_path / "deals.csv"
    path.write_text(
        "\ufeffTên cơ hội;Số tiền;Ngày chốt dự kiến;Nguồn\n"
        "Tủ lạnh;50tr;31/12/2026;Giới thiệu\n"
        "Máy lạnh;20tr;15/01/2027;Hội chợ\n",
        encoding="utf-8",
    )
    assert await asyncio.to_thread(main, ["import", str(path), "--lang", "vi"]) == 0
    output = capsys.readouterr().out
    assert "2 created" in output and "0 rejected" in output
    rejected = (tmp_path / "deals.rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rejected) == 2 and "Hội chợ" in rejected[1]
    second = tmp_path / "more.csv"
    second.write_text(
        "Name,Amount,Close date,Source\nFridge,5000,31/12/2026,Trade fair\n", encoding="utf-8"
    )
    command = ["import", str(second), "--lang", "en", "--add-missing"]
    assert await asyncio.to_thread(main, command) == 0
    assert not (tmp_path / "more.rejected.csv").exists()
    async with UnitOfWork(sessions) as uow:
        names = set(await uow.session.scalars(select(Source.name)))
    assert "Trade fair" in names and "Hội chợ" not in names
