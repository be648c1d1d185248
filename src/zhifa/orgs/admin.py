"""Admin site for organisations and users.

Saves go through `zhifa.orgs.services` so the admin obeys the same checks as
every other path; lists are scoped with `visible_to` for regional
administrators. Agencies and role grants are never deleted (they are
referenced by the record); a role is revoked by unticking 有效.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from zhifa.orgs import services
from zhifa.orgs.models import Agency, EnforcementCategory, Region, RoleAssignment, Unit, User


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "parent"]
    search_fields = ["code", "name"]
    list_filter = ["level"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        services.region_save(actor=request.user, region=obj)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["name", "is_legal_unit"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    list_display = [
        "name",
        "short_name",
        "uscc",
        "region",
        "kind",
        "is_justice_bureau",
        "legal_unit_name",
    ]
    list_filter = ["kind", "is_justice_bureau"]
    search_fields = ["name", "short_name", "uscc"]
    autocomplete_fields = ["region"]
    inlines = [UnitInline]
    filter_horizontal = ["categories"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "uscc", "region", "kind"]}),
        ("职权", {"fields": ["authority_basis", "categories", "delegated_by"]}),
        ("监督", {"fields": ["is_justice_bureau", "supervising_bureau"]}),
    ]

    @admin.display(description="法制审核机构")
    def legal_unit_name(self, obj):
        unit = obj.legal_unit
        return unit.name if unit else "未指定"

    def save_model(self, request, obj, form, change):
        services.agency_save(actor=request.user, agency=obj)

    def save_formset(self, request, form, formset, change):
        for unit in formset.save(commit=False):
            services.unit_save(actor=request.user, unit=unit)


@admin.register(EnforcementCategory)
class EnforcementCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["name", "agency", "is_legal_unit"]
    list_filter = ["is_legal_unit"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency"]

    def save_model(self, request, obj, form, change):
        services.unit_save(actor=request.user, unit=obj)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ["role", "agency", "unit", "region", "active"]
    autocomplete_fields = ["agency", "unit", "region"]

    def has_delete_permission(self, request, obj=None):
        return False


class ZhifaUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "name"]


class ZhifaUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = ZhifaUserChangeForm
    add_form = ZhifaUserCreationForm
    list_display = ["username", "name", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "name", "phone"]
    ordering = ["username"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["name", "phone", "email"]}),
        ("状态", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("时间", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "name", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "is_staff"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def save_formset(self, request, form, formset, change):
        for assignment in formset.save(commit=False):
            services.role_assignment_save(actor=request.user, assignment=assignment)


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "agency", "unit", "region", "active"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    form = RoleAssignmentForm
    list_display = ["user", "role", "agency", "unit", "region", "active"]
    list_filter = ["role", "active"]
    search_fields = ["user__username", "user__name", "agency__name", "region__name"]
    autocomplete_fields = ["user", "agency", "unit", "region"]

    def save_model(self, request, obj, form, change):
        services.role_assignment_save(actor=request.user, assignment=obj)
