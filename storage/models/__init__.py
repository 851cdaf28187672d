"""SQLAlchemy models of the CRM domain, one module per entity, all importable from here."""

from storage.models.base import NAMING_CONVENTION, Base
from storage.models.catalog import Campaign, Product, Source, Stage
from storage.models.enums import (
    RESULT_OF_KIND,
    ActivityKind,
    DealType,
    LeadStatus,
    Rating,
    Result,
    Role,
    StageKind,
)
from storage.models.fx import ExchangeRate
from storage.models.opportunities import Activity, Opportunity, OpportunityLine, StageChange
from storage.models.people import Account, Contact, Lead
from storage.models.plumbing import (
    AuditEntry,
    Draft,
    InboxState,
    InboxUpdate,
    OutboxEntry,
    OutboxStatus,
    ProcessedKey,
)
from storage.models.teams import Invite, Team, User

__all__ = [
    "NAMING_CONVENTION",
    "RESULT_OF_KIND",
    "Account",
    "Activity",
    "ActivityKind",
    "AuditEntry",
    "Base",
    "Campaign",
    "Contact",
    "DealType",
    "Draft",
    "ExchangeRate",
    "InboxState",
    "InboxUpdate",
    "Invite",
    "Lead",
    "LeadStatus",
    "Opportunity",
    "OpportunityLine",
    "OutboxEntry",
    "OutboxStatus",
    "ProcessedKey",
    "Product",
    "Rating",
    "Result",
    "Role",
    "Source",
    "Stage",
    "StageChange",
    "StageKind",
    "Team",
    "User",
]
