"""Opportunities: create, update, product lines, activities, delete; importable from here."""

from storage.opportunities.create import (
    create_opportunity,
    get_opportunity,
    insert_opportunity,
)
from storage.opportunities.edit import (
    add_activity,
    check_version,
    commit_audited,
    commit_guarded,
    delete_opportunity,
    set_lines,
    update_opportunity,
)
from storage.opportunities.inputs import ENTITY, UPDATABLE, LineInput, OpportunityInput
from storage.opportunities.parts import entered_closed_on

__all__ = [
    "ENTITY",
    "UPDATABLE",
    "LineInput",
    "OpportunityInput",
    "add_activity",
    "check_version",
    "commit_audited",
    "commit_guarded",
    "create_opportunity",
    "delete_opportunity",
    "entered_closed_on",
    "get_opportunity",
    "insert_opportunity",
    "set_lines",
    "update_opportunity",
]
