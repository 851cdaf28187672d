"""The board's API: signed initData only, the chat's permissions, versions, and the chat's view."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.i18n import translator
from storage.models import Result
from tests.e2e.board_helpers import auth, board_client, db_columns, signed
from tests.e2e.deal_helpers import (
    NOW,
    add_group,
    group_texts,
    load_deal,
    make_deal,
    moves_of,
    send_in_group,
    speak,
    stage_by_code,
)


@pytest.fixture
async def board_app(make_app):
    return await make_app(clock=lambda: NOW)


@pytest.fixture
async def client(board_app):
    async with board_client(board_app) as client:
        yield client


def _tampered(init_data: str) -> str:
    # The rep's signed data claiming to be the manager (Telegram id 101 -> 100).
    return init_data.replace("%22id%22%3A101", "%22id%22%3A100")


@pytest.mark.parametrize("how", ["missing", "forged", "tampered", "expired", "future", "garbage"])
async def test_unsigned_tampered_or_old_init_data_gets_401_and_no_data(
    client, seed, uow_factory, how
):
    await make_deal(uow_factory, seed.manager, "Secret ERP")
    good = signed(101, NOW)
    headers = {
        "missing": {},
        "forged": auth(signed(100, NOW, token="999999:" + "F" * 35)),
        "tampered": auth(_tampered(good)),
        "expired": auth(signed(100, NOW - timedelta(hours=24, seconds=1))),
        "future": auth(signed(100, NOW + timedelta(hours=1))),
        "garbage": auth("hash=abc&&user"),
    }[how]
    assert _tampered(good) != good
    for path in ("/board/api/board", "/board/api/deals/1"):
        response = await client.get(path, headers=headers)
        assert response.status_code == 401
        assert "Secret" not in response.text
    response = await client.post("/board/api/deals/1/won", json={"version": 1}, headers=headers)
    assert response.status_code == 401
    assert (await load_deal(uow_factory, 1)).result is Result.OPEN


async def test_a_day_old_signature_is_still_accepted(client, seed):
    response = await client.get(
        "/board/api/board", headers=auth(signed(101, NOW - timedelta(hours=23)))
    )
    assert response.status_code == 200


async def test_a_stranger_with_valid_init_data_is_refused_politely(client, seed):
    response = await client.get("/board/api/board", headers=auth(signed(4242, NOW)))
    assert response.status_code == 403
    body = response.json()
    assert set(body) == {"error"}
    assert "only for members" in body["error"]


async def test_a_rep_sees_only_their_own_deals_and_totals(client, seed, uow_factory):
    await make_deal(uow_factory, seed.rep, "Mine ERP", amount=10_000_000)
    await make_deal(uow_factory, seed.rep2, "Theirs ERP", amount=70_000_000)
    for owner in ("", "?owner=team", f"?owner={seed.rep2.id}"):
        response = await client.get("/board/api/board" + owner, headers=auth(signed(101, NOW)))
        assert response.status_code == 200
        text = response.text
        assert "Theirs ERP" not in text
        assert "70" not in "".join(
            t["amount_text"] for c in response.json()["columns"] for t in c["totals"]
        )
    body = (await client.get("/board/api/board", headers=auth(signed(101, NOW)))).json()
    assert [card["name"] for card in body["cards"]] == ["Mine ERP"]
    assert body["people"] == []  # a rep gets no one else to filter by


async def test_a_rep_cannot_open_or_move_another_reps_deal(client, seed, uow_factory):
    theirs = await make_deal(uow_factory, seed.rep2, "Theirs ERP")
    proposal = await stage_by_code(uow_factory, seed.team.id, "proposal")
    headers = auth(signed(101, NOW))
    opened = await client.get(f"/board/api/deals/{theirs.id}", headers=headers)
    assert opened.status_code == 404
    assert "Theirs" not in opened.text
    moves = {
        "move": {"stage_id": proposal.id, "version": theirs.version},
        "won": {"version": theirs.version},
        "lost": {"version": theirs.version, "reason": "price"},
        "close-date": {"version": theirs.version, "date": "2027-01-31"},
        "note": {"text": "hello"},
    }
    for action, body in moves.items():
        response = await client.post(
            f"/board/api/deals/{theirs.id}/{action}", json=body, headers=headers
        )
        assert response.status_code == 404, action
    after = await load_deal(uow_factory, theirs.id)
    assert (after.stage_id, after.version, after.close_date) == (
        theirs.stage_id,
        theirs.version,
        theirs.close_date,
    )
    assert len(await moves_of(uow_factory, theirs.id)) == 1  # only its creation


@pytest.mark.parametrize("language", ["vi", "th", "en"])
async def test_a_stale_version_gets_409_with_a_localized_message(
    client, seed, uow_factory, language
):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    proposal = await stage_by_code(uow_factory, seed.team.id, "proposal")
    negotiation = await stage_by_code(uow_factory, seed.team.id, "negotiation")
    headers = auth(signed(101, NOW, language=language))
    first = await client.post(
        f"/board/api/deals/{deal.id}/move",
        json={"stage_id": proposal.id, "version": deal.version},
        headers=headers,
    )
    assert first.status_code == 200
    stale = await client.post(
        f"/board/api/deals/{deal.id}/move",
        json={"stage_id": negotiation.id, "version": deal.version},
        headers=headers,
    )
    assert stale.status_code == 409
    message = stale.json()["error"]
    assert message == translator(language)._(
        "Someone changed this deal meanwhile; nothing was overwritten. "
        "The board now shows it as it is."
    )
    assert (await load_deal(uow_factory, deal.id)).stage_id == proposal.id


async def test_the_manager_board_matches_the_database(client, seed, uow_factory):
    proposal = await stage_by_code(uow_factory, seed.team.id, "proposal")
    await make_deal(uow_factory, seed.rep, "A", amount=10_000_000)
    await make_deal(uow_factory, seed.rep2, "B", amount=25_000_000, stage_id=proposal.id)
    await make_deal(uow_factory, seed.rep2, "C", amount=5_000_000, stage_id=proposal.id)
    await make_deal(uow_factory, seed.other_rep, "Other team", amount=1)
    body = (await client.get("/board/api/board", headers=auth(signed(100, NOW)))).json()
    expected = await db_columns(uow_factory, seed.team.id)
    shown = {
        column["stage_id"]: (
            column["count"],
            column["totals"][0]["amount"],
            column["totals"][0]["weighted"],
        )
        for column in body["columns"]
        if column["totals"]
    }
    assert shown == expected
    assert shown[proposal.id] == (2, 30_000_000, 15_000_000)
    assert "Other team" not in {card["name"] for card in body["cards"]}
    assert {p["name"] for p in body["people"]} == {"An Rep", "Binh Rep", "Admin"}
    one_rep = (
        await client.get(f"/board/api/board?owner={seed.rep2.id}", headers=auth(signed(100, NOW)))
    ).json()
    assert {card["name"] for card in one_rep["cards"]} == {"B", "C"}


async def test_the_close_month_filter_keeps_that_months_deals(client, seed, uow_factory):
    await make_deal(uow_factory, seed.rep, "December", close_date=date(2026, 12, 5))
    await make_deal(uow_factory, seed.rep, "January", close_date=date(2027, 1, 5))
    body = (
        await client.get("/board/api/board?month=2027-01", headers=auth(signed(101, NOW)))
    ).json()
    assert [card["name"] for card in body["cards"]] == ["January"]
    assert sum(column["count"] for column in body["columns"]) == 1


async def test_thai_board_shows_buddhist_era_years_and_thai_words(client, seed, uow_factory):
    await make_deal(uow_factory, seed.rep, "Acme ERP", close_date=date(2026, 12, 31))
    body = (
        await client.get("/board/api/board", headers=auth(signed(101, NOW, language="th")))
    ).json()
    assert body["cards"][0]["close_text"] == "31 ธ.ค. 2569"
    assert body["strings"]["title"] == translator("th")._("Pipeline board")
    assert body["strings"]["title"] != "Pipeline board"


async def test_a_move_on_the_board_shows_in_the_chat_card_and_history(
    fake, client, seed, uow_factory
):
    t = translator("en")
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    proposal = await stage_by_code(uow_factory, seed.team.id, "proposal")
    response = await client.post(
        f"/board/api/deals/{deal.id}/move",
        json={"stage_id": proposal.id, "version": deal.version},
        headers=auth(signed(101, NOW)),
    )
    assert response.status_code == 200
    assert any("Proposal" in line for line in response.json()["history"])
    rep = fake.user(101, "An", language_code="en")
    await speak(rep, "en")
    await rep.send(f"/deal {deal.id}")
    assert t._("Proposal") in rep.last_text()
    await rep.click(t._("History"))
    assert "Prospecting" in rep.last_text() and "Proposal" in rep.last_text()


async def test_a_move_in_the_chat_shows_on_the_board(fake, client, seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    negotiation = await stage_by_code(uow_factory, seed.team.id, "negotiation")
    rep = fake.user(101, "An", language_code="en")
    await speak(rep, "en")
    await rep.send(f"/stage {deal.id} negotiation")
    body = (await client.get("/board/api/board", headers=auth(signed(101, NOW)))).json()
    card = next(card for card in body["cards"] if card["id"] == deal.id)
    assert card["stage_id"] == negotiation.id
    assert card["version"] == deal.version + 1
    details = (
        await client.get(f"/board/api/deals/{deal.id}", headers=auth(signed(101, NOW)))
    ).json()
    assert any("Negotiation" in line for line in details["history"])


async def test_won_on_the_board_is_announced_to_the_group_like_won(fake, client, seed, uow_factory):
    add_group(fake)
    manager = fake.user(100, "Mai", language_code="vi")
    await send_in_group(fake, manager, "/setgroup")
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    response = await client.post(
        f"/board/api/deals/{deal.id}/won",
        json={"version": deal.version},
        headers=auth(signed(100, NOW)),
    )
    assert response.status_code == 200
    assert (await load_deal(uow_factory, deal.id)).result is Result.WON
    assert any("Acme ERP" in text for text in group_texts(fake)[1:])
    owner_texts = [call.params["text"] for call in fake.calls_of("sendMessage")]
    assert any(
        "Acme ERP" in text and call_to == 101
        for text, call_to in zip(
            owner_texts,
            [call.params["chat_id"] for call in fake.calls_of("sendMessage")],
            strict=True,
        )
    )


async def test_lost_needs_a_reason_close_date_and_note_are_saved(client, seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    headers = auth(signed(101, NOW))
    base = f"/board/api/deals/{deal.id}"
    no_reason = await client.post(base + "/lost", json={"version": 1}, headers=headers)
    assert no_reason.status_code == 400
    moved = await client.post(
        base + "/close-date", json={"version": 1, "date": "2027-02-28"}, headers=headers
    )
    assert moved.status_code == 200
    noted = await client.post(base + "/note", json={"text": "Called the CFO"}, headers=headers)
    assert noted.status_code == 200
    lost = await client.post(
        base + "/lost", json={"version": 2, "reason": "price too high"}, headers=headers
    )
    assert lost.status_code == 200
    after = await load_deal(uow_factory, deal.id)
    assert (after.result, after.lost_reason, after.close_date) == (
        Result.LOST,
        "price too high",
        date(2027, 2, 28),
    )


async def test_pipeline_has_a_board_button_and_members_a_menu_button(
    fake, make_app, settings, seed
):
    from dataclasses import replace

    url = "https://crm.example.com/board/"
    await make_app(settings=replace(settings, board_url=url), clock=lambda: NOW)
    assert fake.calls_of("setChatMenuButton")[-1].params["menu_button"]["web_app"]["url"] == url
    manager = fake.user(100, "Mai", language_code="en")
    await speak(manager, "en")
    await manager.send("/pipeline")
    rows = manager.last_message()["reply_markup"]["inline_keyboard"]
    assert {"text": "Board", "web_app": {"url": url}} in [b for row in rows for b in row]


async def test_pipeline_in_a_group_has_no_board_button(fake, make_app, settings, seed):
    from dataclasses import replace

    await make_app(
        settings=replace(settings, board_url="https://crm.example.com/board/"), clock=lambda: NOW
    )
    add_group(fake)
    manager = fake.user(100, "Mai", language_code="en")
    await send_in_group(fake, manager, "/pipeline")
    sent = [call for call in fake.calls_of("sendMessage") if call.params["chat_id"] < 0]
    assert sent
    for call in sent:
        rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
        assert all("web_app" not in button for row in rows for button in row)
