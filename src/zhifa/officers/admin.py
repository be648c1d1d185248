"""Admin site for the officer registry.

Every change goes through `zhifa.officers.services`, so the admin obeys the
same checks and leaves the same ledger records as every other path. A
certificate's status is never edited: it changes only through the actions on
the certificate list (暂扣、恢复、注销、交回、年审), each calling its service.
Lists are scoped with `visible_to`; exams, training and qualifications are
facts, so they can be added but not edited or deleted.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.dateparse import parse_date

from zhifa.officers import services
from zhifa.officers.models import (
    AnnualReview,
    Certificate,
    CertificateEvent,
    CertificationTarget,
    Exam,
    LeaveReason,
    LegalQualification,
    Officer,
    ReviewOutcome,
    Training,
)
from zhifa.officers.selectors import id_number_for
from zhifa.orgs.models import Agency, Region, Role, Unit
from zhifa.orgs.scope import Scope


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def _adopt(obj, saved) -> None:
    """Make the admin's unsaved `obj` the row a service created, so the admin
    goes on (inlines, redirect) with it."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


class PersonnelAdmin(admin.ModelAdmin):
    """Regional administrators (Role.ADMIN) and superusers; scoped lists;
    nothing is deleted (the record refers to it); a service's refusal comes
    back as a message instead of an error page."""

    def _is_admin(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.has_role(Role.ADMIN))

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._is_admin(request)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied) as exc:
            # The admin's transaction has rolled back: nothing was saved.
            if request.method != "POST":
                raise
            self.message_user(request, f"未保存：{_error_text(exc)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in (Agency, Unit, Officer):
            kwargs["queryset"] = db_field.related_model.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FactInline(admin.TabularInline):
    """Rows are added through a service, never changed or deleted."""

    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        user = request.user
        return user.is_superuser or user.has_role(Role.ADMIN)


class ExamInline(FactInline):
    model = Exam
    fields = ["kind", "category", "taken_on", "score", "passed"]


class TrainingInline(FactInline):
    model = Training
    fields = ["year", "title", "hours", "completed_on"]


class LegalQualificationInline(FactInline):
    model = LegalQualification
    fields = ["certificate_number", "obtained_on"]
    max_num = 1


class CertificateInline(admin.TabularInline):
    model = Certificate
    fields = ["number", "status", "issued_on", "expires_on", "area", "handed_back_on"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfficerActionForm(ActionForm):
    left_reason = forms.ChoiceField(
        label="离岗原因", choices=[("", "—"), *LeaveReason.choices], required=False
    )
    on_date = forms.DateField(
        label="日期（默认今天）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    handed_back = forms.BooleanField(label="证件已交回", required=False)


def _id_number_column(request):
    """The ID number column, in full only for those who administer the
    officer's personnel, masked for everyone else. One callable per request,
    so the form's field list and its read-only list name the same object."""
    column = getattr(request, "_officer_id_number_column", None)
    if column is None:

        @admin.display(description="公民身份号码")
        def id_number_shown(obj):
            return id_number_for(request.user, obj)

        column = request._officer_id_number_column = id_number_shown
    return column


def _action_date(request):
    return parse_date(request.POST.get("on_date", "") or "") or timezone.localdate()


@admin.register(Officer)
class OfficerAdmin(PersonnelAdmin):
    list_display = [
        "name",
        "agency",
        "unit",
        "post",
        "employment_status",
        "is_auxiliary",
        "id_number_shown",
        "left_on",
    ]
    list_filter = ["is_auxiliary", "employment_status", "left_reason"]
    search_fields = ["name", "post", "certificates__number"]
    autocomplete_fields = ["user"]
    inlines = [CertificateInline, ExamInline, TrainingInline, LegalQualificationInline]
    action_form = OfficerActionForm
    actions = ["leave"]
    add_fields = [
        "agency",
        "unit",
        "name",
        "id_number",
        "post",
        "employment_status",
        "phone",
        "is_auxiliary",
        "user",
    ]

    @admin.display(description="公民身份号码")
    def id_number_shown(self, obj):
        # Replaced per request by _id_number_column; masked is the safe default.
        return obj.masked_id_number

    def get_list_display(self, request):
        return [
            _id_number_column(request) if f == "id_number_shown" else f for f in self.list_display
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return [
            "agency",
            _id_number_column(request),
            "is_auxiliary",
            "unit",
            "name",
            "post",
            "employment_status",
            "phone",
            "user",
            "left_on",
            "left_reason",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["agency", _id_number_column(request), "is_auxiliary", "left_on", "left_reason"]

    def get_inlines(self, request, obj):
        # Facts about a person are recorded once the person is registered.
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.officer_register(
                actor=request.user,
                agency=data["agency"],
                name=data["name"],
                id_number=data["id_number"],
                post=data["post"],
                employment_status=data["employment_status"],
                unit=data.get("unit"),
                phone=data.get("phone", ""),
                is_auxiliary=data.get("is_auxiliary", False),
                user=data.get("user"),
            )
            _adopt(obj, created)
            return
        fields = {k: data[k] for k in form.changed_data if k in services.OFFICER_UPDATABLE}
        updated = services.officer_update(
            actor=request.user, officer=Officer.objects.get(pk=obj.pk), **fields
        )
        _adopt(obj, updated)

    def save_formset(self, request, form, formset, change):
        officer = Officer.objects.get(pk=form.instance.pk)
        for row in formset.save(commit=False):
            if row.pk:
                continue  # existing facts are read-only
            if isinstance(row, Exam):
                services.exam_record(
                    actor=request.user,
                    officer=officer,
                    kind=row.kind,
                    taken_on=row.taken_on,
                    passed=row.passed,
                    score=row.score,
                    category=row.category,
                )
            elif isinstance(row, Training):
                services.training_record(
                    actor=request.user,
                    officer=officer,
                    year=row.year,
                    title=row.title,
                    hours=row.hours,
                    completed_on=row.completed_on,
                )
            elif isinstance(row, LegalQualification):
                services.legal_qualification_record(
                    actor=request.user,
                    officer=officer,
                    certificate_number=row.certificate_number,
                    obtained_on=row.obtained_on,
                )

    @admin.action(description="登记离岗（注销其全部有效证件）")
    def leave(self, request, queryset):
        reason = request.POST.get("left_reason", "")
        if not reason:
            self.message_user(request, "请先在上方选择离岗原因。", messages.ERROR)
            return
        day = _action_date(request)
        handed_back = request.POST.get("handed_back") in ("on", "true", "1")
        done = 0
        for officer in queryset:
            try:
                services.officer_leave(
                    actor=request.user,
                    officer=officer,
                    left_on=day,
                    reason=reason,
                    handed_back_on=day if handed_back else None,
                )
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{officer.name}：{_error_text(exc)}", messages.ERROR)
        if done:
            self.message_user(request, f"已登记 {done} 人离岗，其有效证件已注销。")


class CertificateEventInline(admin.TabularInline):
    model = CertificateEvent
    fields = ["on_date", "action", "reason", "actor", "ledger_seq", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AnnualReviewInline(admin.TabularInline):
    model = AnnualReview
    fields = ["year", "due_on", "reviewed_on", "outcome", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["officer", "number", "categories", "area", "issued_on", "expires_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "expires_on" in self.fields:
            self.fields["expires_on"].required = False
            self.fields["expires_on"].help_text = "留空则按本地区规定的有效期自动计算。"


class CertificateActionForm(ActionForm):
    reason = forms.CharField(label="原因", required=False, max_length=200)
    on_date = forms.DateField(
        label="日期（默认今天）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@admin.register(Certificate)
class CertificateAdmin(PersonnelAdmin):
    form = CertificateForm
    list_display = [
        "number",
        "officer",
        "agency",
        "status",
        "issued_on",
        "expires_on",
        "area",
        "handed_back_on",
    ]
    list_filter = ["status", "categories"]
    search_fields = ["number", "officer__name"]
    filter_horizontal = ["categories"]
    inlines = [AnnualReviewInline, CertificateEventInline]
    action_form = CertificateActionForm
    actions = [
        "suspend",
        "reinstate",
        "revoke",
        "hand_back",
        "review_passed",
        "review_failed",
    ]
    shown_fields = [
        "number",
        "officer",
        "agency",
        "categories_shown",
        "area",
        "issued_on",
        "expires_on",
        "status",
        "status_reason",
        "handed_back_on",
        "renewed_from",
    ]

    @admin.display(description="执法类别")
    def categories_shown(self, obj):
        return "、".join(c.name for c in obj.categories.all())

    def get_fields(self, request, obj=None):
        if obj is None:
            return CertificateForm.Meta.fields
        return self.shown_fields

    def get_readonly_fields(self, request, obj=None):
        # Status and everything else change only through the actions.
        return self.shown_fields if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "officer":
            kwargs["queryset"] = Officer.objects.visible_to(request.user).filter(
                left_on__isnull=True, is_auxiliary=False
            )
        if db_field.name == "area":
            kwargs["queryset"] = Region.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on a certificate is edited in place
        data = form.cleaned_data
        created = services.certificate_issue(
            actor=request.user,
            officer=data["officer"],
            number=data["number"],
            categories=list(data["categories"]),
            area=data["area"],
            issued_on=data["issued_on"],
            expires_on=data.get("expires_on"),
        )
        _adopt(obj, created)

    def save_related(self, request, form, formsets, change):
        # The service set the categories; the inlines are read-only.
        return

    def _each(self, request, queryset, call, done_text: str) -> None:
        done = 0
        for cert in queryset.select_related("officer", "agency"):
            try:
                call(cert)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request, f"证件 {cert.number}：{_error_text(exc)}", messages.ERROR
                )
        if done:
            self.message_user(request, done_text.format(n=done))

    def _reason(self, request) -> str | None:
        reason = request.POST.get("reason", "").strip()
        if not reason:
            self.message_user(request, "请先在上方填写原因。", messages.ERROR)
            return None
        return reason

    @admin.action(description="暂扣所选证件")
    def suspend(self, request, queryset):
        reason, day = self._reason(request), _action_date(request)
        if reason:
            self._each(
                request,
                queryset,
                lambda c: services.certificate_suspend(
                    actor=request.user, certificate=c, reason=reason, on_date=day
                ),
                "已暂扣 {n} 个证件。",
            )

    @admin.action(description="恢复所选证件")
    def reinstate(self, request, queryset):
        reason, day = self._reason(request), _action_date(request)
        if reason:
            self._each(
                request,
                queryset,
                lambda c: services.certificate_reinstate(
                    actor=request.user, certificate=c, reason=reason, on_date=day
                ),
                "已恢复 {n} 个证件。",
            )

    @admin.action(description="注销所选证件")
    def revoke(self, request, queryset):
        reason, day = self._reason(request), _action_date(request)
        if reason:
            self._each(
                request,
                queryset,
                lambda c: services.certificate_revoke(
                    actor=request.user, certificate=c, reason=reason, on_date=day
                ),
                "已注销 {n} 个证件。",
            )

    @admin.action(description="登记证件已交回")
    def hand_back(self, request, queryset):
        day = _action_date(request)
        self._each(
            request,
            queryset,
            lambda c: services.certificate_hand_back(
                actor=request.user, certificate=c, on_date=day
            ),
            "已登记 {n} 个证件交回。",
        )

    def _review(self, request, queryset, outcome: str, label: str) -> None:
        day = _action_date(request)
        note = request.POST.get("reason", "").strip()
        self._each(
            request,
            queryset,
            lambda c: services.annual_review_record(
                actor=request.user,
                certificate=c,
                year=day.year,
                outcome=outcome,
                reviewed_on=day,
                note=note,
            ),
            f"已登记 {{n}} 个证件年审{label}。",
        )

    @admin.action(description="登记年审合格（日期所在年度）")
    def review_passed(self, request, queryset):
        self._review(request, queryset, ReviewOutcome.PASSED, "合格")

    @admin.action(description="登记年审不合格并暂扣（日期所在年度）")
    def review_failed(self, request, queryset):
        self._review(request, queryset, ReviewOutcome.FAILED, "不合格")


class CertificationTargetForm(forms.ModelForm):
    class Meta:
        model = CertificationTarget
        fields = ["region", "department_target", "township_target", "basis"]

    # Checked here so that the model's constraint (whose message Django cannot
    # %-format) is skipped for a field that already failed.
    def _share(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and not 0 < value <= 1:
            raise forms.ValidationError("持证率目标应大于 0 且不超过 1（例如 0.7 表示 70%）。")
        return value

    def clean_department_target(self):
        return self._share("department_target")

    def clean_township_target(self):
        return self._share("township_target")


@admin.register(CertificationTarget)
class CertificationTargetAdmin(PersonnelAdmin):
    form = CertificationTargetForm
    list_display = ["region", "department_target", "township_target", "basis"]
    search_fields = ["region__name", "region__code", "basis"]
    fields = ["region", "department_target", "township_target", "basis"]

    def get_queryset(self, request):
        # Targets belong to regions; a regional user sees those in their regions.
        qs = admin.ModelAdmin.get_queryset(self, request).select_related("region")
        scope = Scope.of(request.user)
        if scope.everything:
            return qs
        codes = [p for p in scope.region_prefixes]
        if not codes:
            return qs.none()
        from django.db.models import Q

        q = Q(pk__in=[])
        for prefix in codes:
            q |= Q(region__code__startswith=prefix)
        return qs.filter(q)

    def save_model(self, request, obj, form, change):
        services.certification_target_save(actor=request.user, target=obj)
