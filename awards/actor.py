"""The actor: a user working under one of their memberships (possibly acting for someone)."""

from dataclasses import dataclass, field

from .models import Membership, Unit, User
from .permissions import Cap, role_has


@dataclass(eq=False)
class Actor:
    """Built once per request (ActorMiddleware) or per job; selectors memoise its scope here."""

    user: User
    membership: Membership | None = None
    # Every membership the user may switch to today (the layout's role switcher).
    memberships: tuple[Membership, ...] = ()
    scope_cache: object | None = field(default=None, repr=False)  # selectors.org.UnitScope, read once

    @property
    def unit(self) -> Unit | None:
        return self.membership.unit if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def on_behalf_of(self) -> User | None:
        """The member an acting membership stands in for; recorded with everything done under it."""
        if self.membership and self.membership.acting_for_id:
            return self.membership.acting_for.user
        return None

    def can(self, cap: Cap) -> bool:
        return self.user.is_active and role_has(self.role, cap)
