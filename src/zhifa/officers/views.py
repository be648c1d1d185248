"""Staff registry pages: the officers an agency has, their certificates and
what can be done to them. Views parse and render; services decide and write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.core.access import staff
from zhifa.officers import forms, selectors, services
from zhifa.officers.models import Certificate, Officer
from zhifa.orgs.models import Agency


def _officer_for(request, public_id) -> Officer:
    officer = (
        Officer.objects.visible_to(request.user)
        .select_related("agency", "unit")
        .filter(public_id=public_id)
        .first()
    )
    if officer is None:
        raise Http404("执法人员不存在或无权查看")
    return officer


def _require_manager(request, agency: Agency) -> None:
    if not services.can_manage_personnel(request.user, agency):
        raise PermissionDenied("只有本机关负责人或系统管理员可以维护执法人员信息。")


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@staff()
def officer_list(request):
    q = request.GET.get("q", "").strip()[:50]
    agencies = Agency.objects.visible_to(request.user).order_by("name")
    agency = None
    if request.GET.get("agency"):
        agency = agencies.filter(public_id=request.GET["agency"]).first()
    officers = selectors.officer_list_for_user(request.user, agency=agency, q=q)
    today = timezone.localdate()
    rows = []
    for officer in officers:
        certs = list(officer.certificates.all())
        rows.append(
            {
                "officer": officer,
                "certificates": [
                    (c, c.get_status_display() if c.status_on(today) == c.status else "过期")
                    for c in certs
                ],
                "can_manage": services.can_manage_personnel(request.user, officer.agency),
            }
        )
    manageable = [a for a in agencies if services.can_manage_personnel(request.user, a)]
    return render(
        request,
        "officers/list.html",
        {
            "rows": rows,
            "q": q,
            "agencies": agencies,
            "agency": agency,
            "can_register": bool(manageable),
        },
    )


@staff()
def officer_new(request):
    agencies = Agency.objects.visible_to(request.user)
    manageable = Agency.objects.filter(
        pk__in=[a.pk for a in agencies if services.can_manage_personnel(request.user, a)]
    )
    if not manageable.exists():
        raise PermissionDenied("只有机关负责人或系统管理员可以登记执法人员。")
    form = forms.OfficerRegisterForm(request.POST or None, agencies=manageable)
    if request.method == "POST" and form.is_valid():
        try:
            officer = services.officer_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已登记{officer.name}。")
            return redirect("officers:detail", public_id=officer.public_id)
    return render(request, "officers/new.html", {"form": form})


def _detail_context(request, officer: Officer, **forms_override) -> dict:
    can_manage = services.can_manage_personnel(request.user, officer.agency)
    certificates = officer.certificates.prefetch_related("categories", "events", "annual_reviews")
    today = timezone.localdate()
    context = {
        "officer": officer,
        "can_manage": can_manage,
        "id_number": officer.id_number if can_manage else officer.masked_id_number,
        "certificates": [(c, c.status_on(today)) for c in certificates.select_related("area")],
        "exams": officer.exams.select_related("category"),
        "trainings": officer.trainings.all(),
        "qualification": getattr(officer, "legal_qualification", None),
        "today": today,
        "card_url_name": "officers:certificate_card",
    }
    if can_manage:
        certs = officer.certificates.all()
        context.update(
            {
                "issue_form": forms.CertificateIssueForm(agency=officer.agency),
                "status_form": forms.StatusChangeForm(
                    certificates=certs, initial={"on_date": today}
                ),
                "review_form": forms.AnnualReviewForm(
                    certificates=certs, initial={"year": today.year, "reviewed_on": today}
                ),
                "exam_form": forms.ExamForm(agency=officer.agency),
                "leave_form": forms.LeaveForm(initial={"left_on": today}),
            }
        )
    context.update(forms_override)
    return context


@staff()
def officer_detail(request, public_id):
    officer = _officer_for(request, public_id)
    return render(request, "officers/detail.html", _detail_context(request, officer))


def _action(request, public_id, form_name: str, build, run, done: str):
    officer = _officer_for(request, public_id)
    _require_manager(request, officer.agency)
    form = build(officer, request.POST)
    if form.is_valid():
        try:
            run(officer, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("officers:detail", public_id=officer.public_id)
    return render(
        request,
        "officers/detail.html",
        _detail_context(request, officer, **{form_name: form}),
        status=400,
    )


@staff()
@require_POST
def certificate_issue(request, public_id):
    def run(officer, data):
        services.certificate_issue(actor=request.user, officer=officer, **data)

    return _action(
        request,
        public_id,
        "issue_form",
        lambda o, d: forms.CertificateIssueForm(d, agency=o.agency),
        run,
        "已发证。",
    )


@staff()
@require_POST
def certificate_status(request, public_id):
    def run(officer, data):
        cert, action = data["certificate"], data["action"]
        common = {"actor": request.user, "certificate": cert, "on_date": data["on_date"]}
        if action == "hand_back":
            services.certificate_hand_back(**common)
        else:
            getattr(services, f"certificate_{action}")(reason=data["reason"], **common)

    return _action(
        request,
        public_id,
        "status_form",
        lambda o, d: forms.StatusChangeForm(d, certificates=o.certificates.all()),
        run,
        "证件状态已更新，并记入全过程记录。",
    )


@staff()
@require_POST
def annual_review(request, public_id):
    def run(officer, data):
        services.annual_review_record(actor=request.user, **data)

    return _action(
        request,
        public_id,
        "review_form",
        lambda o, d: forms.AnnualReviewForm(d, certificates=o.certificates.all()),
        run,
        "年审结果已登记。",
    )


@staff()
@require_POST
def exam_record(request, public_id):
    def run(officer, data):
        services.exam_record(actor=request.user, officer=officer, **data)

    return _action(
        request,
        public_id,
        "exam_form",
        lambda o, d: forms.ExamForm(d, agency=o.agency),
        run,
        "考试记录已登记。",
    )


@staff()
@require_POST
def officer_leave(request, public_id):
    def run(officer, data):
        services.officer_leave(actor=request.user, officer=officer, **data)

    return _action(
        request,
        public_id,
        "leave_form",
        lambda o, d: forms.LeaveForm(d),
        run,
        "已登记离岗，其执法证件已注销。",
    )


@staff()
def certificate_redirect(request, public_id):
    """From a certificate to its holder's page."""
    cert = Certificate.objects.visible_to(request.user).filter(public_id=public_id).first()
    if cert is None:
        raise Http404("执法证件不存在或无权查看")
    return redirect("officers:detail", public_id=cert.officer.public_id)
