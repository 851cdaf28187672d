"""What an imported cell may name: the team's stages, sources, campaigns, ratings, types.

Optional values are matched leniently (case, accents, any language's name, a name's
common short form) because a deal is never dropped for the sake of one optional field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import select

from storage.actors import Actor
from storage.campaigns import campaign_names
from storage.errors import InvalidInput, NotFound
from storage.models import DealType, Rating, Source, Stage, StageKind, Team
from storage.people import Person, team_people
from storage.text import fold
from storage.uow import UnitOfWork

T = TypeVar("T")


class Names(Protocol):
    def names(self, kind: str, code: str) -> Sequence[str]:
        """Every language's name of a coded value: kind is stage, source, rating or type."""
        ...


@dataclass(frozen=True)
class StageRef:
    id: int
    probability: int


@dataclass(frozen=True)
class Vocabulary:
    """The team's names for what cells may say, in every language, folded."""

    base_currency: str
    stages: dict[str, StageRef]
    default_stage: StageRef
    sources: dict[str, int]
    ratings: dict[str, Rating]
    deal_types: dict[str, DealType]
    people: list[Person]
    # Folded name -> the campaign's own name.
    campaigns: dict[str, str]


_WORD = re.compile(r"\w+")


def _words(text: str) -> str:
    return " " + " ".join(_WORD.findall(text)) + " "


def lenient_match(options: Mapping[str, T], cell: str) -> T | None:
    """The one option ``cell`` names: by its folded name, else the one option whose name
    holds the cell's words in order ("Giới thiệu" is "Được giới thiệu") or is held in
    them; None when nothing or more than one option fits."""
    key = fold(cell)
    if not key:
        return None
    if key in options:
        return options[key]
    wanted = _words(key)
    if wanted.strip() == "":
        return None
    found = {
        value
        for name, value in options.items()
        if len(name) > 1 and (wanted in _words(name) or _words(name) in wanted)
    }
    return found.pop() if len(found) == 1 else None


async def load_vocabulary(uow: UnitOfWork, actor: Actor, reader: Names) -> Vocabulary:
    team = await uow.session.get(Team, actor.team_id)
    if team is None:
        raise NotFound("teams", actor.team_id)
    stage_rows = await uow.session.execute(
        select(Stage).where(Stage.team_id == team.id).order_by(Stage.position, Stage.id)
    )
    stages: dict[str, StageRef] = {}
    default = None
    for stage in stage_rows.scalars():
        entry = StageRef(stage.id, stage.probability)
        if default is None and stage.kind is StageKind.OPEN:
            default = entry
        names = [stage.name, *(reader.names("stage", stage.code) if stage.code else ())]
        for name in [*names, stage.code or ""]:
            if name:
                stages.setdefault(fold(name), entry)
    sources: dict[str, int] = {}
    source_rows = await uow.session.execute(select(Source).where(Source.team_id == team.id))
    for source in source_rows.scalars():
        names = [source.name, *(reader.names("source", source.code) if source.code else ())]
        for name in [*names, source.code or ""]:
            if name:
                sources.setdefault(fold(name), source.id)
    ratings = {
        fold(name): rating
        for rating in Rating
        for name in [rating.value, *reader.names("rating", rating.value)]
    }
    deal_types = {
        fold(name): kind
        for kind in DealType
        for name in [kind.value, *reader.names("type", kind.value)]
    }
    if default is None:
        raise InvalidInput("stage", "unknown")
    campaigns = await campaign_names(uow.session, team.id)
    people = await team_people(uow, team.id)
    return Vocabulary(
        team.currency, stages, default, sources, ratings, deal_types, people, campaigns
    )
