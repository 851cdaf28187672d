"""One service call in a unit of work of its own, as one update or one request makes it."""

from typing import Any


async def in_own_uow(uow_factory, service, *args: Any, **kwargs: Any) -> Any:
    """Call ``service(uow, *args, **kwargs)`` in a fresh unit of work and return its result."""
    async with uow_factory() as uow:
        return await service(uow, *args, **kwargs)
