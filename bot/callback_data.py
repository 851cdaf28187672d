"""The one codec for inline-button data: a short prefix and opaque ids, at most 64 bytes.

Nothing a button carries is trusted: whatever it names is looked up and
permission-checked in ``storage/`` again when it is pressed.
"""

from __future__ import annotations

import re

from storage.ids import MAX_ID

MAX_BYTES = 64
SEPARATOR = ":"

# One prefix per feature.
LANGUAGE = "lang"
DRAFT = "draft"
LEAD_FORM = "lf"
MENU = "menu"
QUICK_FORM = "qn"
DEAL = "deal"
NEW_DEAL = "nd"  # /new form: nd:<draft nonce>:<step>:<action>[:...]; nd:c:<contact id>
DEAL_CARD = "dc"  # a card's buttons: dc:<action>:<deal id>[:...]
STAGE_PICK = "sp"  # sp:<deal id>:<version the user saw>:<stage id>
DEAL_LIST = "dl"  # dl:<list>:<page>
MOVE_FLOW = "mv"  # mv:<draft nonce>:<action>[:...] (lost reason, activity text)
PUSH = "pu"  # digest and reminder buttons: pu:<d|c|w|l|r>:<deal id>[:<date or reason>]
SETTINGS = "st"  # /settings: st:<what>[:<value>]
LEAD = "ld"  # a lead's card: ld:<o|cv|dq>:<lead id> (open, convert, disqualify)
LEAD_LIST = "ll"  # /leads: ll:<page>
CONVERT = "cl"  # /convert: cl:<draft nonce>:<action>[:<stage id or date>]
CONTACT = "ct"  # a contact's card: ct:<d|o>:<contact id> (Details or Opportunities tab)
ACCOUNT = "ac"  # an account's card: ac:<account id>
SHARED_CONTACT = "sc"  # a shared Telegram contact: sc:<draft nonce>:<action>[:<account id>]
REPORT = "rp"  # manager views: rp:<p|c>:<view or chart>:<who>:<period>
IMPORT = "im"  # a CSV import preview: im:<draft nonce>:<s|u|x> (skip, update, cancel)
GATE = "gt"  # "you are in the middle of …": gt:<c|d> (continue it, discard it and start)
PICK = "pk"  # "which deal?": pk:<draft nonce>:<deal id> or pk:<draft nonce>:m:<page>

_PART = re.compile(r"[A-Za-z0-9_.-]{1,40}")


def encode(prefix: str, *parts: object) -> str:
    """Join a prefix and parts into button data.

    Raises:
        ValueError: a part holds a separator or the result exceeds 64 bytes.
    """
    texts = [prefix, *(str(part) for part in parts)]
    for text in texts:
        if not _PART.fullmatch(text):
            raise ValueError(f"button data part {text!r} is not a short token")
    data = SEPARATOR.join(texts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError("button data exceeds 64 bytes")
    return data


def parse(data: str | None) -> tuple[str, list[str]]:
    """Split button data into its prefix and parts; unknown shapes give ("", [])."""
    if not data:
        return "", []
    prefix, *parts = data.split(SEPARATOR)
    # A forged id longer than any row id reads as 0, which names no row: every handler
    # then answers "not found" instead of the database driver overflowing.
    return prefix, [part if not part.isdigit() or int(part) <= MAX_ID else "0" for part in parts]


def pattern(prefix: str) -> str:
    """The ``pattern=`` regex of a CallbackQueryHandler for one feature."""
    return rf"^{re.escape(prefix)}(:|$)"
