"""What the case pages share: fetching a case the user may see, the agencies
they act for, and how a deadline or a step reads on a page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from zhifa.cases import deadlines, engine, selectors
from zhifa.cases.models import Case, Deadline
from zhifa.catalog.models import AvStep
from zhifa.ledger import selectors as ledger_selectors
from zhifa.ledger.models import Log
from zhifa.orgs.models import Agency, Role, Unit
from zhifa.procedures.spec import Transition

# Who handles cases (registers them, uploads evidence); the engine and the
# services check the role each step needs.
CASE_STAFF = (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)

# Steps taken on site, on a phone: the transition page puts the camera first.
ONSITE = frozenset(
    {"record_inspection", "record_inquiry", "preserve_evidence", "decide_on_spot", "serve"}
)


def case_for(request: HttpRequest, pk: int) -> Case:
    """The case, if the user may see it; 404 otherwise (its existence is information)."""
    try:
        return selectors.case_get_for_user(request.user, pk)
    except Case.DoesNotExist:
        raise Http404("案件不存在或无权查看") from None


def acting_agencies(user, roles: Iterable[str] = CASE_STAFF) -> QuerySet[Agency]:
    """The agencies in which the user holds one of `roles`."""
    ids = user.active_roles().filter(role__in=list(roles), agency__isnull=False)
    return (
        Agency.objects.filter(pk__in=ids.values("agency_id"))
        .select_related("region")
        .order_by("name")
    )


def acting_unit(user, agency: Agency) -> Unit | None:
    """The user's own 承办机构 in that agency, if their role names one."""
    assignment = (
        user.active_roles()
        .filter(agency=agency, unit__isnull=False)
        .order_by("created_at", "pk")
        .first()
    )
    return assignment.unit if assignment else None


def safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@dataclass(frozen=True)
class DeadlineView:
    deadline: Deadline
    status: str  # deadlines.status(): a CSS class deadline-<status>
    text: str  # the same in words, never colour alone

    @property
    def due(self) -> date | None:
        return self.deadline.effective_due


def deadline_view(d: Deadline, today: date) -> DeadlineView:
    status = deadlines.status(d, today)
    due = d.effective_due
    if status == "done":
        text = f"已于{d.stopped_on:%Y-%m-%d}完成"
    elif due is None:
        text = "届满日待定"
    elif status == "lapsed":
        text = f"已于{due:%Y-%m-%d}届满，可以继续办理"
    elif status == "party_overdue":
        text = f"当事人逾期{(today - due).days}天"
    else:
        days = (due - today).days
        text = f"逾期{-days}天" if days < 0 else "今天届满" if days == 0 else f"剩{days}天"
    return DeadlineView(d, status, text)


# The list shows the agency's own deadline first; then what the party owes;
# the party's own periods last (they bind nobody at the agency).
_RANK = {"": 0, "duty": 1, "right": 2}


def nearest(running: Iterable[Deadline], today: date) -> DeadlineView | None:
    """The running deadline to show for a case: the agency's that falls due
    first (one with no known date last), else the party's."""
    ordered = sorted(
        (d for d in running if not d.stopped_on),
        key=lambda d: (
            _RANK[deadlines.whose(d.code)],
            d.effective_due is None,
            d.effective_due or date.max,
        ),
    )
    return deadline_view(ordered[0], today) if ordered else None


def step_choices(case: Case) -> list[tuple[str, str]]:
    """Steps evidence may be attached to: what can be done in the current
    state first (the recording guard looks for the transition's code)."""
    proc = case.definition
    current = proc.from_state(case.status)
    rest = [t for t in proc.transitions if t not in current and t.recording_step]
    return [(t.code, t.label) for t in (*current, *rest)]


def step_url(case: Case, t: Transition) -> str:
    """Where staff do `t` on `case`: the owning service's page for a step
    another app owns (提交法制审核), else the generic step page."""
    return engine.step_page(case, t) or reverse("cases:transition", args=[case.pk, t.code])


def step_label(case: Case, step: str) -> str:
    if not step:
        return "—"
    try:
        return case.definition.transition(step).label
    except KeyError:
        pass
    try:
        return AvStep(step).label
    except ValueError:
        return step


def state_label(case: Case, code: str) -> str:
    try:
        return case.definition.state(code).label
    except KeyError:
        return code


def _checkpoint_sizes(records) -> dict[int, int]:
    """The size of the latest signed checkpoint of each log the records are in."""
    logs = Log.objects.in_bulk({r.entry.log_id for r in records})
    sizes = {}
    for pk, log in logs.items():
        checkpoint = ledger_selectors.latest_checkpoint(log)
        sizes[pk] = checkpoint.tree_size if checkpoint else 0
    return sizes


def timeline_rows(case: Case) -> list[dict]:
    """The case's records for `cases/_timeline.html` (the case page, the review page)."""
    records = selectors.timeline(case)
    sizes = _checkpoint_sizes(records)
    return [
        {
            "record": r,
            "on": r.on,
            # Entered on another day than the step happened: show both.
            "late": r.recorded_on != r.on,
            "from": state_label(case, r.from_state),
            "to": state_label(case, r.to_state),
            "moved": r.from_state != r.to_state,
            "seq": r.entry.seq,
            "covered": r.entry.seq < sizes.get(r.entry.log_id, 0),
        }
        for r in records
    ]
