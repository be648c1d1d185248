"""Admin for the 音像记录事项清单, 随机抽查事项清单 and 服务指南; saves go through
`zhifa.catalog.lists`, a refusal comes back as a message."""

from __future__ import annotations

from django.contrib import admin

from zhifa.catalog import lists, services
from zhifa.catalog.admin import ServiceSavedAdmin
from zhifa.catalog.models import (
    AvRecordingRule,
    EnforcementItem,
    ItemVersion,
    RandomInspectionItem,
    ServiceGuide,
)


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AvRecordingRule)
class AvRecordingRuleAdmin(NoDeleteMixin, ServiceSavedAdmin):
    list_display = ["agency", "step", "item", "requirement", "citation"]
    list_filter = ["step", "requirement"]

    def save_model(self, request, obj, form, change):
        saved = lists.av_rule_save(
            actor=request.user,
            agency=obj.agency,
            item=obj.item,
            step=obj.step,
            requirement=obj.requirement,
            citation=obj.citation,
            note=obj.note,
        )
        obj.pk = saved.pk
        obj._state.adding = False


@admin.register(RandomInspectionItem)
class RandomInspectionItemAdmin(NoDeleteMixin, ServiceSavedAdmin):
    list_display = ["agency", "item", "inspecting_body", "targets", "ratio", "frequency"]

    def save_model(self, request, obj, form, change):
        saved = lists.random_inspection_item_save(
            actor=request.user,
            agency=obj.agency,
            item=obj.item,
            inspecting_body=obj.inspecting_body,
            basis=obj.basis,
            targets=obj.targets,
            content=obj.content,
            method=obj.method,
            frequency=obj.frequency,
            ratio=obj.ratio,
            entry=obj if change else None,
        )
        obj.pk = saved.pk
        obj._state.adding = False


@admin.register(ServiceGuide)
class ServiceGuideAdmin(NoDeleteMixin, ServiceSavedAdmin):
    list_display = ["version", "accepting_unit", "approving_unit", "time_limit"]

    def get_queryset(self, request):
        visible = EnforcementItem.objects.visible_to(request.user)
        return admin.ModelAdmin.get_queryset(self, request).filter(version__item__in=visible)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is ItemVersion:
            visible = EnforcementItem.objects.visible_to(request.user)
            kwargs["queryset"] = ItemVersion.objects.filter(item__in=visible)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in lists.GUIDE_FIELDS}
        saved = lists.service_guide_save(actor=request.user, version=obj.version, **fields)
        obj.pk = saved.pk
        obj._state.adding = False

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return True
        return services.can_manage_catalog(request.user, obj.version.item.agency)
