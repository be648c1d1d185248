"""Staff pages to maintain enforcement items (权责清单): list, create, new
versions, publishing and discretion benchmarks (裁量基准). Views parse and
render; `zhifa.catalog.services` decides and writes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.catalog import forms, lists, selectors, services
from zhifa.catalog.models import (
    AvRecordingRule,
    EnforcementItem,
    ItemKind,
    ItemVersion,
    LegalBasis,
    PenaltyType,
    RandomInspectionItem,
    ServiceGuide,
)
from zhifa.core.access import staff
from zhifa.orgs.models import Agency

PAGE_SIZE = 50


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _require_manager(request, agency: Agency) -> None:
    if not services.can_manage_catalog(request.user, agency):
        raise PermissionDenied("只有本机关负责人或系统管理员可以维护执法事项清单。")


def _manageable_agencies(user):
    visible = Agency.objects.visible_to(user)
    return Agency.objects.filter(
        pk__in=[a.pk for a in visible if services.can_manage_catalog(user, a)]
    ).order_by("name")


def _current(versions: list[ItemVersion], day) -> ItemVersion | None:
    """Same rule as `EnforcementItem.version_on`, on prefetched versions."""
    in_force = [
        v
        for v in versions
        if v.status == ItemVersion.Status.PUBLISHED
        and v.effective_from <= day
        and (v.effective_to is None or v.effective_to >= day)
    ]
    return max(in_force, key=lambda v: (v.effective_from, v.version), default=None)


@staff()
def item_list(request):
    q = request.GET.get("q", "").strip()[:50]
    agencies = Agency.objects.visible_to(request.user).order_by("name")
    agency = None
    if request.GET.get("agency"):
        try:
            agency = agencies.filter(public_id=request.GET["agency"]).first()
        except ValidationError:
            agency = None
    kind = request.GET.get("kind", "")
    if kind not in ItemKind.values:
        kind = ""
    items = selectors.item_list_for_user(request.user).prefetch_related(
        Prefetch("versions", queryset=ItemVersion.objects.order_by("version"))
    )
    if agency is not None:
        items = items.filter(agency=agency)
    if kind:
        items = items.filter(versions__kind=kind)
    if q:
        items = items.filter(Q(code__icontains=q) | Q(versions__name__icontains=q))
    items = items.distinct().order_by("agency__name", "code")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for item in page:
        versions = list(item.versions.all())
        latest = versions[-1] if versions else None
        rows.append({"item": item, "current": _current(versions, today), "latest": latest})
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/staff_items.html",
        {
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "q": q,
            "agencies": agencies,
            "agency": agency,
            "kinds": ItemKind.choices,
            "kind": kind,
            "can_create": _manageable_agencies(request.user).exists(),
            "managed_agencies": _manageable_agencies(request.user),
        },
    )


@staff()
def item_new(request):
    manageable = _manageable_agencies(request.user)
    if not manageable.exists():
        raise PermissionDenied("只有机关负责人或系统管理员可以新增执法事项。")
    form = forms.ItemCreateForm(request.POST or None, agencies=manageable)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已新增执法事项“{item.code}”（第 1 版，草稿）。")
            return redirect("catalog:staff_item", public_id=item.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/staff_item_new.html", {"form": form}, status=status)


def _benchmark_version(item: EnforcementItem) -> ItemVersion | None:
    latest = item.versions.order_by("-version").first()
    if latest is not None and latest.kind == ItemKind.PENALTY:
        return latest
    return None


def _detail_context(request, item: EnforcementItem, **overrides) -> dict:
    can_manage = services.can_manage_catalog(request.user, item.agency)
    versions = (
        item.versions.select_related("category", "unit")
        .prefetch_related(
            Prefetch("bases", queryset=LegalBasis.objects.order_by("role", "id")),
            "discretion_standards__grades",
        )
        .order_by("-version")
    )
    latest = versions[0] if versions else None
    labels = dict(PenaltyType.choices)
    for version in versions:
        for standard in version.discretion_standards.all():
            for grade in standard.grades.all():
                grade.penalty_labels = [labels.get(c, c) for c in grade.penalty_types]
    context = {
        "item": item,
        "versions": versions,
        "current": item.version_on(timezone.localdate()),
        "can_manage": can_manage,
        "publish_errors": [],
    }
    if can_manage:
        benchmark_version = _benchmark_version(item)
        context.update(
            {
                "version_form": forms.VersionCreateForm(
                    initial={"name": latest.name if latest else ""}
                ),
                "benchmark_version": benchmark_version,
                "standard_form": forms.StandardForm() if benchmark_version else None,
            }
        )
    if can_manage:
        context.update(_lists_context(item))
    context.update(overrides)
    return context


# -- 事前公开 lists maintained from the item page (zhifa.catalog.lists)


def _is_inspection(item: EnforcementItem) -> bool:
    """The version in force, else the latest, is an inspection item."""
    version = item.version_on(timezone.localdate()) or item.versions.order_by("-version").first()
    return version is not None and version.kind == ItemKind.INSPECTION


def _guide_version(item: EnforcementItem) -> ItemVersion | None:
    """The version in force, else the latest version."""
    return item.version_on(timezone.localdate()) or item.versions.order_by("-version").first()


def _inspection_entry(item: EnforcementItem) -> RandomInspectionItem | None:
    return RandomInspectionItem.objects.filter(agency=item.agency, item=item).order_by("id").first()


def _lists_context(item: EnforcementItem) -> dict:
    inspection = _is_inspection(item)
    entry = _inspection_entry(item) if inspection else None
    guide_version = _guide_version(item)
    guide = ServiceGuide.objects.filter(version=guide_version).first() if guide_version else None
    return {
        "av_rules": list(
            AvRecordingRule.objects.filter(agency=item.agency, item=item).order_by("step")
        ),
        "av_form": forms.AvRuleForm(),
        "inspection_entry": entry,
        "inspection_form": (
            forms.RandomInspectionForm(
                initial={name: getattr(entry, name) for name in forms.RandomInspectionForm.FIELDS}
                if entry
                else {"inspecting_body": item.agency.name}
            )
            if inspection
            else None
        ),
        "guide_version": guide_version,
        "guide": guide,
        "guide_form": (
            forms.ServiceGuideForm(
                initial={name: getattr(guide, name) for name in lists.GUIDE_FIELDS} if guide else {}
            )
            if guide_version
            else None
        ),
    }


@staff()
def item_detail(request, public_id):
    item = selectors.item_get_for_user(request.user, public_id)
    return render(request, "catalog/staff_item.html", _detail_context(request, item))


def _invalid(request, item, **overrides):
    return render(
        request, "catalog/staff_item.html", _detail_context(request, item, **overrides), status=400
    )


@staff()
@require_POST
def version_new(request, public_id):
    item = selectors.item_get_for_user(request.user, public_id)
    _require_manager(request, item.agency)
    form = forms.VersionCreateForm(request.POST)
    if form.is_valid():
        try:
            version = services.item_version_create(
                actor=request.user, item=item, **form.service_kwargs()
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已起草第 {version.version} 版（草稿）。")
            return redirect("catalog:staff_item", public_id=item.public_id)
    return _invalid(request, item, version_form=form)


@staff()
@require_POST
def version_publish(request, public_id, number):
    item = selectors.item_get_for_user(request.user, public_id)
    _require_manager(request, item.agency)
    version = item.versions.filter(version=number).first()
    if version is None:
        raise Http404("没有找到该版本。")
    try:
        services.item_version_publish(actor=request.user, version=version)
    except ValidationError as exc:
        return _invalid(request, item, publish_errors=exc.messages)
    messages.success(request, f"第 {version.version} 版已发布。")
    return redirect("catalog:staff_item", public_id=item.public_id)


@staff()
@require_POST
def standard_save(request, public_id):
    item = selectors.item_get_for_user(request.user, public_id)
    _require_manager(request, item.agency)
    version = _benchmark_version(item)
    if version is None:
        raise Http404("该执法事项的最新版本不是行政处罚事项，不能设置裁量基准。")
    form = forms.StandardForm(request.POST)
    if form.is_valid():
        try:
            services.discretion_standard_save(
                actor=request.user,
                version=version,
                violation=form.cleaned_data["violation"],
                basis=form.cleaned_data["basis"],
                grades=form.grades(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已保存第 {version.version} 版的裁量基准。")
            return redirect("catalog:staff_item", public_id=item.public_id)
    return _invalid(request, item, standard_form=form)


@staff()
@require_POST
def av_rule_save(request, public_id):
    item = selectors.item_get_for_user(request.user, public_id)
    _require_manager(request, item.agency)
    form = forms.AvRuleForm(request.POST)
    if form.is_valid():
        try:
            rule = lists.av_rule_save(
                actor=request.user, agency=item.agency, item=item, **form.service_kwargs()
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已保存“{rule.get_step_display()}”的音像记录要求。")
            return redirect("catalog:staff_item", public_id=item.public_id)
    return _invalid(request, item, av_form=form)


@staff()
@require_POST
def random_inspection_save(request, public_id):
    item = selectors.item_get_for_user(request.user, public_id)
    _require_manager(request, item.agency)
    if not _is_inspection(item):
        raise Http404("该执法事项不是行政检查事项，不能列入随机抽查事项清单。")
    form = forms.RandomInspectionForm(request.POST)
    if form.is_valid():
        try:
            lists.random_inspection_item_save(
                actor=request.user,
                agency=item.agency,
                item=item,
                entry=_inspection_entry(item),
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "已保存随机抽查事项。")
            return redirect("catalog:staff_item", public_id=item.public_id)
    return _invalid(request, item, inspection_form=form)


@staff()
@require_POST
def service_guide_save(request, public_id):
    item = selectors.item_get_for_user(request.user, public_id)
    _require_manager(request, item.agency)
    version = _guide_version(item)
    if version is None:
        raise Http404("该执法事项没有版本。")
    form = forms.ServiceGuideForm(request.POST)
    if form.is_valid():
        try:
            lists.service_guide_save(actor=request.user, version=version, **form.service_kwargs())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已保存第 {version.version} 版的服务指南。")
            return redirect("catalog:staff_item", public_id=item.public_id)
    return _invalid(request, item, guide_form=form)
