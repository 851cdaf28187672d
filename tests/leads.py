"""Leads as a rep enters them, each in a unit of work of its own."""

from typing import Any

from storage.leads import LeadInput, create_lead
from storage.models import Lead
from tests.units import in_own_uow


async def new_lead(uow_factory, member, **fields: Any) -> Lead:
    """Create the lead ``LeadInput(**fields)`` as ``member`` and return it."""
    return await in_own_uow(uow_factory, create_lead, member, LeadInput(**fields))
