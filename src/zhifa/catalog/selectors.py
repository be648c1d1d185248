"""Reads of the catalog, scoped with `visible_to`."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from zhifa.catalog.models import DiscretionStandard, EnforcementItem, ItemVersion


def item_list_for_user(user) -> QuerySet[EnforcementItem]:
    return EnforcementItem.objects.visible_to(user).select_related("agency")


def item_get_for_user(user, public_id) -> EnforcementItem:
    """The item, or 404 for anyone who may not see it."""
    item = item_list_for_user(user).filter(public_id=public_id).first()
    if item is None:
        raise Http404("没有找到该执法事项。")
    return item


def version_in_force(item: EnforcementItem, day: date) -> ItemVersion | None:
    return item.version_on(day)


def standards_for_version(version: ItemVersion) -> QuerySet[DiscretionStandard]:
    return version.discretion_standards.prefetch_related("grades").order_by("id")


__all__ = ["item_get_for_user", "item_list_for_user", "standards_for_version", "version_in_force"]
