"""Admin site for the catalog, scoped with `visible_to`.

Writes go through `zhifa.catalog.services`: criteria and settings are saved
by their services; versions are published by an action. Items, versions and
benchmarks are created through the services (demo loader, later the Excel
import and the staff UI), so here they are read-only; the admin shows them
and their history.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from zhifa.catalog import services
from zhifa.catalog.models import (
    AgencyCatalogSettings,
    DiscretionGrade,
    DiscretionStandard,
    EnforcementItem,
    ItemVersion,
    LegalBasis,
    MajorDecisionCriterion,
)
from zhifa.orgs.models import Agency


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyInline):
    model = ItemVersion
    fields = ["link", "name", "kind", "status", "effective_from", "effective_to"]
    readonly_fields = fields

    @admin.display(description="版本")
    def link(self, obj):
        url = reverse("admin:catalog_itemversion_change", args=[obj.pk])
        return format_html('<a href="{}">第 {} 版</a>', url, obj.version)


@admin.register(EnforcementItem)
class EnforcementItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "__str__", "agency", "created_at"]
    list_filter = ["agency"]
    search_fields = ["code", "versions__name"]
    inlines = [VersionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class BasisInline(ReadOnlyInline):
    model = LegalBasis
    fields = ["role", "law", "article", "clause", "text"]
    readonly_fields = fields


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyAdmin):
    list_display = ["item", "version", "name", "kind", "status", "effective_from", "effective_to"]
    list_filter = ["status", "kind"]
    inlines = [BasisInline]
    actions = ["publish"]

    def get_queryset(self, request):
        visible = EnforcementItem.objects.visible_to(request.user)
        return super().get_queryset(request).filter(item__in=visible)

    @admin.action(description="发布所选草稿版本")
    def publish(self, request, queryset):
        for version in queryset:
            try:
                services.item_version_publish(actor=request.user, version=version)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{version}：{_error_text(exc)}", messages.ERROR)
            else:
                self.message_user(request, f"已发布：{version}", messages.SUCCESS)


class GradeInline(ReadOnlyInline):
    model = DiscretionGrade
    fields = [
        "grade",
        "conditions",
        "circumstances",
        "penalty_types",
        "fine_min",
        "fine_max",
        "gains_multiple_min",
        "gains_multiple_max",
    ]
    readonly_fields = fields


@admin.register(DiscretionStandard)
class DiscretionStandardAdmin(ReadOnlyAdmin):
    list_display = ["violation", "version", "basis"]
    inlines = [GradeInline]

    def get_queryset(self, request):
        visible = EnforcementItem.objects.visible_to(request.user)
        return super().get_queryset(request).filter(version__item__in=visible)


class ServiceSavedAdmin(admin.ModelAdmin):
    """Saves through a service; a refusal comes back as a message."""

    def get_queryset(self, request):
        visible = Agency.objects.visible_to(request.user)
        return super().get_queryset(request).filter(agency__in=visible)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Agency:
            kwargs["queryset"] = Agency.objects.visible_to(request.user)
        if db_field.related_model is EnforcementItem:
            kwargs["queryset"] = EnforcementItem.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied) as exc:
            if request.method != "POST":
                raise
            self.message_user(request, f"未保存：{_error_text(exc)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(MajorDecisionCriterion)
class MajorDecisionCriterionAdmin(ServiceSavedAdmin):
    list_display = ["agency", "kind", "description", "party_kind", "amount_threshold", "citation"]
    list_filter = ["kind", "party_kind"]

    def save_model(self, request, obj, form, change):
        saved = services.major_criterion_save(
            actor=request.user,
            agency=obj.agency,
            kind=obj.kind,
            description=obj.description,
            citation=obj.citation,
            item=obj.item,
            penalty_types=obj.penalty_types or (),
            party_kind=obj.party_kind,
            amount_threshold=obj.amount_threshold,
            criterion=obj if change else None,
        )
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.major_criterion_delete(actor=request.user, criterion=obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or services.can_manage_catalog(request.user, obj.agency)


@admin.register(AgencyCatalogSettings)
class AgencyCatalogSettingsAdmin(ServiceSavedAdmin):
    list_display = ["agency", "review_all_general_procedure"]

    def save_model(self, request, obj, form, change):
        saved = services.catalog_settings_save(
            actor=request.user,
            agency=obj.agency,
            review_all_general_procedure=obj.review_all_general_procedure,
            supervision_channels=obj.supervision_channels,
            remedies=obj.remedies,
        )
        obj.pk = saved.pk
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return False


from zhifa.catalog import admin_lists  # noqa: E402, F401  (registers the list admins)
