"""Pure parsers for what users type: amounts, dates, phones, e-mails, one-line commands."""

from bot.parsing.amounts import AmountResult, find_amounts, parse_amount
from bot.parsing.contacts import find_emails, find_phones, parse_email, parse_phone
from bot.parsing.dates import DateResult, find_dates, parse_date
from bot.parsing.oneline import (
    DealLineParse,
    FieldAmbiguity,
    FieldError,
    LeadLineParse,
    parse_deal_line,
    parse_lead_line,
    to_json_dict,
)
from bot.parsing.results import Ambiguous, Found, Money, ParseError

__all__ = [
    "Ambiguous",
    "AmountResult",
    "DateResult",
    "DealLineParse",
    "FieldAmbiguity",
    "FieldError",
    "Found",
    "LeadLineParse",
    "Money",
    "ParseError",
    "find_amounts",
    "find_dates",
    "find_emails",
    "find_phones",
    "parse_amount",
    "parse_date",
    "parse_deal_line",
    "parse_email",
    "parse_lead_line",
    "parse_phone",
    "to_json_dict",
]
