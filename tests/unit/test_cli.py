"""The command line explains itself and prints parses as JSON."""

import json

import pytest

from bot.cli.main import main


def test_parse_prints_every_field_as_json(capsys):
    code = main(
        ["parse", "Acme ERP 50tr 31/12 hot @Acme proposal", "--lang", "vi", "--today", "2026-11-23"]
    )
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert result["fields"] == {
        "name": "Acme ERP",
        "amount": {"minor_units": 50_000_000, "currency": "VND"},
        "close_date": "2026-12-31",
        "rating": "hot",
        "stage_id": "proposal",
        "account": "Acme",
        "contact": None,
        "campaign": None,
    }


def test_parse_reports_ambiguities_and_exits_non_zero(capsys):
    code = main(["parse", "Acme 50tr 20tr 31/12", "--lang", "vi", "--today", "2026-11-23"])
    result = json.loads(capsys.readouterr().out)
    assert code == 1
    assert result["ambiguities"][0]["field"] == "amount"


@pytest.mark.parametrize(
    ("text", "lang"), [("Windows 11 upgrade 31/12", "en"), ("Nâng cấp Windows 11 31/12", "vi")]
)
def test_parse_reports_a_number_that_may_be_part_of_the_name(capsys, text, lang):
    code = main(["parse", text, "--lang", lang, "--today", "2026-11-23"])
    result = json.loads(capsys.readouterr().out)
    assert code == 1
    assert result["fields"]["name"] == text.removesuffix(" 31/12")
    assert result["fields"]["amount"] is None
    assert result["ambiguities"] == [
        {
            "field": "amount",
            "texts": ["11"],
            "candidates": [{"minor_units": 11, "currency": "VND"}, None],
        }
    ]


@pytest.mark.parametrize(("text", "lang"), [("Acme 50tr 32/12", "en"), ("POS 5 แสน 30 ก.พ.", "th")])
def test_parse_reports_a_date_that_does_not_exist(capsys, text, lang):
    code = main(["parse", text, "--lang", lang, "--today", "2026-11-23"])
    result = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("close_date", "impossible_date")
    ]
    assert result["fields"]["name"] in ("Acme", "POS")


@pytest.mark.parametrize(
    "command", [[], ["run"], ["console"], ["board"], ["admin"], ["admin", "invite"], ["parse"]]
)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    assert "usage: dealbot" in capsys.readouterr().out


def test_admin_add_list_and_invite_work_on_a_fresh_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DEALBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'admin.sqlite3'}")
    monkeypatch.setenv("DEALBOT_BOT_USERNAME", "acme_deals_bot")
    monkeypatch.delenv("DEALBOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["admin", "add", "--telegram-id", "42", "--name", "Boss", "--role", "admin"]) == 0
    assert main(["admin", "list"]) == 0
    assert main(["admin", "invite", "--role", "manager", "--uses", "3"]) == 0
    output = capsys.readouterr().out
    assert "42\tadmin" in output
    assert "https://t.me/acme_deals_bot?start=" in output
