"""`dealbot parse`: print how a one-line deal is read, as JSON."""

from __future__ import annotations

import argparse
import json
import os
from datetime import date

from bot.i18n import translator
from bot.labels import STAGE_NAMES, stage_aliases
from bot.parsing import parse_deal_line, to_json_dict
from storage import clock


def run_parse(args: argparse.Namespace) -> int:
    """Parse with the default pipeline (stages named by code) and print the result."""
    try:
        today = (
            date.fromisoformat(args.today)
            if args.today
            else clock.today(os.environ.get("DEALBOT_TIMEZONE") or "Asia/Ho_Chi_Minh")
        )
    except ValueError:
        print(json.dumps({"error": "--today must be YYYY-MM-DD"}))
        return 2
    currency = (args.currency or os.environ.get("DEALBOT_CURRENCY") or "VND").upper()
    stages = [
        (code, stage_aliases(code, translator("en")._(name))) for code, name in STAGE_NAMES.items()
    ]
    parse = parse_deal_line(args.text, args.lang, today, currency, stages)
    print(json.dumps(to_json_dict(parse), ensure_ascii=False, indent=2))
    return 0 if not parse.errors and not parse.ambiguities else 1
