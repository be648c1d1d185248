"""What a user may see: the agencies they work in and the regions they oversee.

This is the one place that turns role assignments into a filter. Each scoped
model's `visible_to(user)` builds its query from `Scope.of(user).q(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    everything: bool
    agency_ids: frozenset[int]
    region_prefixes: frozenset[str]

    @classmethod
    def of(cls, user) -> Scope:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(False, frozenset(), frozenset())
        cached = getattr(user, "_zhifa_scope", None)
        if cached is not None:
            return cached
        if user.is_superuser:
            scope = cls(True, frozenset(), frozenset())
        else:
            rows = user.role_assignments.filter(active=True).values_list(
                "agency_id", "region__prefix"
            )
            scope = cls(
                False,
                frozenset(a for a, _ in rows if a is not None),
                frozenset(p for _, p in rows if p is not None),
            )
        user._zhifa_scope = scope
        return scope

    def q(self, *, agency: str | None, region_code: str) -> Q:
        """A filter on `agency` (an agency id lookup) or `region_code` (a region code lookup)."""
        q = Q(pk__in=[])
        if agency is not None and self.agency_ids:
            q |= Q(**{f"{agency}__in": sorted(self.agency_ids)})
        for prefix in sorted(self.region_prefixes):
            q |= Q(**{f"{region_code}__startswith": prefix})
        return q

    def agency_ids_in_view(self) -> list[int]:
        """The agencies this scope sees, as ids: its own, and every agency in
        a region it oversees. Filtering rows by a list of ids, rather than by
        a join to the region's code, lets the database estimate how many rows
        match (PostgreSQL took a region prefix for one row and sorted 100,000
        cases to show a page; bench/case_list.py). Not cached: an agency
        created since still counts."""
        from zhifa.orgs.models import Agency

        ids = set(self.agency_ids)
        if self.region_prefixes:
            in_regions = self.q(agency=None, region_code="region__code")
            ids |= set(Agency.objects.filter(in_regions).values_list("pk", flat=True))
        return sorted(ids)

    @staticmethod
    def forget(user) -> None:
        """Drop the cached scope after the user's roles change."""
        if hasattr(user, "_zhifa_scope"):
            del user._zhifa_scope


class AgencyOwnedQuerySet(models.QuerySet):
    """Rows that belong to one agency through an `agency` foreign key: seen by
    that agency's staff and by supervisors of a region containing it."""

    def visible_to(self, user):
        scope = Scope.of(user)
        if scope.everything:
            return self.all()
        return self.filter(agency_id__in=scope.agency_ids_in_view())
