"""The one codec for inline-button data: a short prefix and opaque ids, at most 64 bytes.

Nothing a button carries is trusted: whatever it names is looked up and
permission-checked in ``storage/`` again when it is pressed.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from datetime import date
from typing import Annotated, Any, ClassVar, TypeVar, get_type_hints

from bot.buttons.fields import (
    INDEX,
    PART,
    ROW_ID,
    SEPARATOR,
    SHORT,
    VERSION,
    Code,
    Day,
    Field,
    Nonce,
    OneOf,
    Page,
    Rest,
    RowId,
    ShortText,
    Token,
)

MAX_BYTES = 64
_DATA = re.compile(rf"{PART.pattern}(?:{re.escape(SEPARATOR)}{PART.pattern})*")

# One prefix per feature.
LANGUAGE = "lang"
LEAD_FORM = "lf"
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


def encode(prefix: str, *parts: object) -> str:
    """Join a prefix and parts into button data.

    Raises:
        ValueError: a part holds a separator or the result exceeds 64 bytes.
    """
    texts = [prefix, *(str(part) for part in parts)]
    for text in texts:
        if not PART.fullmatch(text):
            raise ValueError(f"button data part {text!r} is not a short token")
    data = SEPARATOR.join(texts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError("button data exceeds 64 bytes")
    return data


def pattern(prefix: str) -> str:
    """The ``pattern=`` regex of a CallbackQueryHandler for one feature."""
    return rf"^{re.escape(prefix)}(:|$)"


# --- typed buttons ---------------------------------------------------------------------
#
# Each button kind is a frozen dataclass with a LAYOUT such as "dc:{action}:{deal_id}":
# literal parts and named fields. Each field's annotation carries how it is read and
# written (a row id within range, a page, a day, one of a few codes, a draft nonce).
# ``parse`` is the one place that refuses forged or out-of-range data: it answers None,
# which every handler treats as "not found / no longer open".


ButtonT = TypeVar("ButtonT", bound="Button")


class Button:
    """The base of every button kind: ``pack()`` it onto a button, ``parse()`` it back."""

    LAYOUT: ClassVar[str]

    @classmethod
    def _layout(cls) -> list[tuple[str, Field | None]]:
        return _layout_of(cls)

    def pack(self) -> str:
        """The button's data, at most 64 bytes; optional fields left unset are left out."""
        texts: list[str] = []
        for name, kind in self._layout():
            if kind is None:
                texts.append(name)
            elif (value := getattr(self, name)) is not None:
                texts.append(kind.write(value))
        data = SEPARATOR.join(text for text in texts if text != "")
        # One match for the whole data (all ASCII, so characters are bytes); ``encode``
        # says which part is wrong when it is not.
        if len(data) <= MAX_BYTES and _DATA.fullmatch(data):
            return data
        prefix, *parts = data.split(SEPARATOR)
        return encode(prefix, *parts)

    @classmethod
    def parse(cls: type[ButtonT], data: str | None) -> ButtonT | None:
        """This kind's fields out of ``data``, or None when data does not fit it."""
        if not data or len(data.encode()) > MAX_BYTES:
            return None
        texts = data.split(SEPARATOR)
        layout = cls._layout()
        optional = {f.name for f in dataclasses.fields(cls) if f.default is None}  # type: ignore[arg-type]
        values: dict[str, object] = {}
        for position, (name, kind) in enumerate(layout):
            if isinstance(kind, Rest):
                values[name] = kind.read(SEPARATOR.join(texts[position:]))
                if values[name] is None:
                    return None
                return cls(**values)
            if position >= len(texts):
                if kind is not None and name in optional:
                    continue
                return None
            if kind is None:
                if texts[position] != name:
                    return None
                continue
            value = kind.read(texts[position])
            if value is None:
                return None
            values[name] = value
        if len(texts) > len(layout):
            return None
        return cls(**values)


@functools.cache
def _layout_of(cls: type[Button]) -> list[tuple[str, Field | None]]:
    """A kind's LAYOUT as (literal, None) and (field name, how it reads) pairs."""
    hints = get_type_hints(cls, include_extras=True)
    layout: list[tuple[str, Field | None]] = []
    for part in cls.LAYOUT.split(SEPARATOR):
        if part.startswith("{"):
            name = part[1:-1]
            layout.append((name, hints[name].__metadata__[0]))
        else:
            layout.append((part, None))
    return layout


def parse(data: str | None, *kinds: type[ButtonT]) -> ButtonT | None:
    """The first of ``kinds`` that ``data`` fits, or None for forged or stale data."""
    for kind in kinds:
        if (button := kind.parse(data)) is not None:
            return button
    return None


async def pressed(update: Any, *kinds: type[ButtonT]) -> ButtonT | None:
    """Answer a button press (the client stops its spinner) and read it as one of ``kinds``."""
    query = update.callback_query
    await query.answer()
    return parse(query.data, *kinds)


# --- the button kinds, by feature ------------------------------------------------------

_LANGUAGE = OneOf("vi", "th", "en")
_YES_NO = OneOf("y", "n")
_DAY = Day()
_REST = Rest()


def _button(layout: str) -> type:
    """A frozen dataclass decorator that also sets the kind's LAYOUT."""

    def make(cls: type) -> type:
        cls.LAYOUT = layout  # type: ignore[attr-defined]
        return dataclasses.dataclass(frozen=True)(cls)

    return make


@_button(f"{LANGUAGE}:{{code}}")
class ChooseLanguage(Button):
    code: Annotated[str, _LANGUAGE]


@_button(f"{GATE}:{{choice}}")
class GateChoice(Button):
    choice: Annotated[str, OneOf("c", "d")]  # continue the open flow, or discard it


@_button(f"{DEAL_LIST}:{{kind}}:{{page}}")
class DealListPage(Button):
    kind: Code
    page: Page


@_button(f"{DEAL_CARD}:{{action}}:{{deal_id}}:{{version}}")
class CardButton(Button):
    action: Code
    deal_id: RowId
    version: Annotated[int | None, VERSION] = None  # the card's version, where it is a card


@_button(f"{DEAL_CARD}:ak:{{deal_id}}:{{code}}")
class ActivityChoice(Button):
    deal_id: RowId
    code: Code


@_button(f"{STAGE_PICK}:{{deal_id}}:{{version}}:{{stage_id}}")
class StageChoice(Button):
    deal_id: RowId
    version: Annotated[int, VERSION]
    stage_id: RowId


@_button(f"{MOVE_FLOW}:{{nonce}}:r:{{reason}}")
class LostReason(Button):
    nonce: Nonce
    reason: Code


@_button(f"{MOVE_FLOW}:{{nonce}}:x")
class MoveCancel(Button):
    nonce: Nonce


@_button(f"{PUSH}:{{action}}:{{deal_id}}")
class PushButton(Button):
    action: Annotated[str, OneOf("d", "w", "l")]  # ask a date, won, ask a reason
    deal_id: RowId


@_button(f"{PUSH}:c:{{deal_id}}:{{day}}")
class PushDate(Button):
    deal_id: RowId
    day: Annotated[date, _DAY]


@_button(f"{PUSH}:r:{{deal_id}}:{{reason}}")
class PushReason(Button):
    deal_id: RowId
    reason: Code


@_button(f"{SETTINGS}:{{what}}:{{value}}")
class Setting(Button):
    what: Code
    value: Annotated[str | None, SHORT] = None


@_button(f"{LEAD}:{{action}}:{{lead_id}}")
class LeadButton(Button):
    action: Code
    lead_id: RowId


@_button(f"{LEAD_LIST}:{{page}}")
class LeadPage(Button):
    page: Page


@_button(f"{CONTACT}:{{tab}}:{{contact_id}}")
class ContactTab(Button):
    tab: Code
    contact_id: RowId


@_button(f"{ACCOUNT}:{{account_id}}")
class AccountCard(Button):
    account_id: RowId


@_button(f"{SHARED_CONTACT}:{{nonce}}:{{action}}:{{account_id}}")
class SharedContactButton(Button):
    nonce: Nonce
    action: Code
    account_id: Annotated[int | None, ROW_ID] = None


@_button(f"{REPORT}:{{kind}}:{{view}}:{{who}}:{{period}}")
class ReportButton(Button):
    kind: Annotated[str, OneOf("p", "c")]  # a page of figures, or a chart
    view: Code
    who: ShortText  # a member's id, or the team
    period: Annotated[str, OneOf("m", "q", "y", "a")]


@_button(f"{IMPORT}:{{nonce}}:{{action}}")
class ImportChoice(Button):
    nonce: Nonce
    action: Code


@_button(f"{PICK}:{{nonce}}:{{deal_id}}")
class PickDeal(Button):
    nonce: Nonce
    deal_id: RowId


@_button(f"{PICK}:{{nonce}}:m:{{page}}")
class PickMore(Button):
    nonce: Nonce
    page: Page


@_button(f"{QUICK_FORM}:{{nonce}}:d:{{day}}")
class QuickDay(Button):
    nonce: Nonce
    day: Annotated[date, _DAY]


@_button(f"{QUICK_FORM}:{{nonce}}:a:{{choice}}")
class QuickAmount(Button):
    nonce: Nonce
    choice: Annotated[str, Token(r"\d{1,2}|n")]  # a number's index, or "part of the name"


@_button(f"{QUICK_FORM}:{{nonce}}:x")
class QuickCancel(Button):
    nonce: Nonce


@_button(f"{QUICK_FORM}:{{nonce}}:m:{{page}}")
class QuickMore(Button):
    nonce: Nonce
    page: Page


@_button(f"{QUICK_FORM}:{{nonce}}:{{choice}}")
class QuickLink(Button):
    nonce: Nonce
    choice: Annotated[str, Token(r"[1-9]\d{0,18}|new")]  # a row id, or a new one


@_button(f"{DEAL}:edit:{{deal_id}}")
class DealEdit(Button):
    deal_id: RowId


@_button(f"{DEAL}:undo:{{deal_id}}:{{answer}}")
class DealUndo(Button):
    deal_id: RowId
    answer: Annotated[str | None, _YES_NO] = None


@_button(f"{DEAL}:rc:{{nonce}}:{{answer}}")
class ReopenAnswer(Button):
    nonce: Nonce
    answer: Annotated[str, _YES_NO]


@_button(f"{CONVERT}:{{nonce}}:{{action}}:{{argument}}")
class ConvertButton(Button):
    nonce: Nonce
    action: Code
    argument: Annotated[str | None, SHORT] = None  # a stage id or a day


@_button(f"{LEAD_FORM}:{{nonce}}:{{action}}:{{choice_id}}")
class LeadFormButton(Button):
    nonce: Nonce
    action: Code
    choice_id: Annotated[int | None, ROW_ID] = None  # a source's or a campaign's


@_button(f"{NEW_DEAL}:c:{{contact_id}}")
class NewDealFromContact(Button):
    contact_id: RowId


@_button(f"{NEW_DEAL}:{{nonce}}:{{step}}:{{action}}:{{args}}")
class NewDealButton(Button):
    nonce: Nonce
    step: Annotated[int, INDEX]
    action: Code
    args: Annotated[tuple[str, ...], _REST] = ()


KINDS: tuple[type[Button], ...] = tuple(
    kind for kind in Button.__subclasses__() if kind.__module__ == __name__
)
