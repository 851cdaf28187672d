"""Who is acting: the member a service call is made for."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Role, User


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting member, as services need it: identity, team and role."""

    id: int
    team_id: int
    role: Role

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(id=user.id, team_id=user.team_id, role=user.role)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)
