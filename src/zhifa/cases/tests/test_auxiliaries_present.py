"""执法辅助人员 in 询问笔录 and 现场检查笔录: they may be recorded as present
(assisting, keeping the record) in a field of their own, and the record names
them, but they never count as one of the two certified officers (rules.md
§15.1 第1项, CERT-04; 行政处罚法 第四十二条).
"""

from __future__ import annotations

import pytest

from zhifa.cases import engine
from zhifa.cases.documents.render import blocks
from zhifa.cases.documents.types import DOCUMENT_TYPES
from zhifa.cases.errors import InvalidInput, TransitionRefused
from zhifa.cases.forms import FORMS
from zhifa.cases.guards import GUARD_FUNCTIONS, GuardContext
from zhifa.cases.models import Case, CaseRecord, Document
from zhifa.cases.tests import factories as f
from zhifa.cases.tests.factories import days_ago
from zhifa.officers.models import EmploymentStatus, LeaveReason
from zhifa.officers.tests.factories import OfficerFactory
from zhifa.procedures import PENALTY_GENERAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(time_machine, monkeypatch):
    f.freeze(time_machine)
    monkeypatch.setattr("zhifa.cases.documents.services.render_docx", f.quick_docx)
    return f.world()


def auxiliary(agency, name="协管员小周", **extra):
    return OfficerFactory(
        agency=agency,
        name=name,
        is_auxiliary=True,
        employment_status=EmploymentStatus.OTHER,
        **extra,
    )


def inspection(w, **extra) -> dict:
    return {
        "officers_present": f.ids(w.officers[:2]),
        "place": "本溪县小市镇商业街8号",
        "content": "现场发现散装熟食待售。",
    } | extra


def inquiry(w, **extra) -> dict:
    return {
        "officers_present": f.ids(w.officers[:2]),
        "person": "李四",
        "relation": "party",
        "place": "本县市场监督管理局询问室",
        "content": "问：散装熟食从何处进货？答：从批发市场。",
    } | extra


def table(document: Document) -> dict[str, str]:
    """The rows of the record's table, as the DOCX and PDF lay them out."""
    rendered = blocks(DOCUMENT_TYPES[document.doc_type], document.content, issued=True)
    return dict(next(b for b in rendered if b.kind == "table").rows)


@pytest.mark.parametrize(
    ("code", "data", "doc_type"),
    [
        ("record_inspection", inspection, "onsite_inspection_record"),
        ("record_inquiry", inquiry, "inquiry_record"),
    ],
)
def test_an_auxiliary_is_recorded_as_present_and_named_in_the_record(w, code, data, doc_type):
    case = f.general_case(w, until="investigation")
    helper = auxiliary(w.agency)

    engine.fire(case, code, w.users[0], data(w, auxiliaries_present=[helper.pk]))

    record = CaseRecord.objects.filter(case=case, transition=code).latest("id")
    assert [a["pk"] for a in record.data["auxiliaries_present"]] == [helper.pk]
    document = Document.objects.filter(case=case, doc_type=doc_type).latest("id")
    assert document.content["auxiliaries_present"] == "协管员小周"
    assert "协管员小周" not in document.content["officers_present"]
    rows = table(document)
    assert rows["在场辅助人员"] == "协管员小周"
    assert "张伟" in next(v for k, v in rows.items() if "执法人员" in k)


def test_a_record_without_auxiliaries_says_none(w):
    case = f.general_case(w, until="investigation")

    engine.fire(case, "record_inspection", w.users[0], inspection(w))

    document = Document.objects.filter(case=case, doc_type="onsite_inspection_record").latest("id")
    assert table(document)["在场辅助人员"] == "无"


def test_an_officer_and_an_auxiliary_are_not_the_two_officers(w):
    case = f.general_case(w, until="investigation")
    helper = auxiliary(w.agency)
    before = CaseRecord.objects.filter(case=case).count()

    with pytest.raises(TransitionRefused) as caught:
        engine.fire(
            case,
            "record_inspection",
            w.users[0],
            inspection(w, officers_present=[w.officers[0].pk], auxiliaries_present=[helper.pk]),
        )
    assert "officers_present" in caught.value.guards
    assert CaseRecord.objects.filter(case=case).count() == before

    # Entered as an officer, the auxiliary is not a choice; and the guard itself
    # never counts one even if handed it (the gate names the auxiliary).
    with pytest.raises(InvalidInput) as wrong:
        engine.fire(
            case,
            "record_inspection",
            w.users[0],
            inspection(w, officers_present=[w.officers[0].pk, helper.pk]),
        )
    assert "officers_present" in wrong.value.errors
    ctx = GuardContext(
        case=Case.objects.get(pk=case.pk),
        transition=PENALTY_GENERAL.transition("record_inspection"),
        actor=w.users[0],
        data={"officers_present": [w.officers[0], helper], "on": f.TODAY},
        today=f.TODAY,
    )
    message = GUARD_FUNCTIONS["officers_present"](ctx)
    assert message and "执法辅助人员" in message


def test_only_the_agencys_auxiliaries_who_are_on_post_may_be_listed(w):
    case = f.general_case(w, until="investigation")
    ours = auxiliary(w.agency)
    theirs = auxiliary(f.other_agency_user().role_assignments.get().agency, name="外局协管员")
    gone = auxiliary(
        w.agency, name="已离岗协管员", left_on=days_ago(2), left_reason=LeaveReason.RESIGNATION
    )

    form = FORMS["inspection"](case=case)
    choices = set(form.fields["auxiliaries_present"].queryset)
    assert ours in choices and gone in choices  # the date decides, see below
    assert theirs not in choices and w.officers[0] not in choices

    for people, expected in (
        ([theirs.pk], "不在可用的选项中"),
        ([w.officers[2].pk], "不在可用的选项中"),
        ([gone.pk], "已离岗"),
    ):
        with pytest.raises(InvalidInput) as caught:
            engine.fire(
                case, "record_inspection", w.users[0], inspection(w, auxiliaries_present=people)
            )
        assert expected in " ".join(caught.value.errors["auxiliaries_present"])
    # Present before leaving the post: a step dated then may list them.
    engine.fire(
        case,
        "record_inspection",
        w.users[0],
        inspection(w, auxiliaries_present=[gone.pk], on=days_ago(5)),
    )


def test_the_step_page_offers_the_auxiliaries_apart_from_the_officers(client, w):
    from django.urls import reverse

    case = f.general_case(w, until="investigation")
    auxiliary(w.agency)
    client.force_login(w.users[0])

    text = client.get(reverse("cases:transition", args=[case.pk, "record_inquiry"])).content
    text = text.decode()

    assert "在场辅助人员" in text and "协管员小周" in text
    officers = text.split("在场执法人员", 1)[1].split("在场辅助人员", 1)[0]
    assert "张伟" in officers and "协管员小周" not in officers


def test_the_cases_own_officers_come_first_and_ticked_on_a_new_record(w):
    # Any officer of the agency may be ticked, but on site it is normally the
    # two who handle the case: the phone form offers them first, already ticked.
    case = f.general_case(w, until="investigation")
    case.place = "本溪县小市镇商业街8号"
    own = set(
        case.case_officers.filter(removed_on__isnull=True).values_list("officer_id", flat=True)
    )
    colleague = OfficerFactory(agency=w.agency, name="阿明")  # sorts before them by name

    form = FORMS["inspection"](case=case)
    field = form.fields["officers_present"]

    offered = [o.pk for o in field.queryset]
    assert set(offered[: len(own)]) == own and colleague.pk in offered[len(own) :]
    assert set(field.initial) == own
    checked = {int(v) for v in form["officers_present"].value()}
    assert checked == own
    assert form["place"].value() == "本溪县小市镇商业街8号"  # where the case happened
    # What was posted wins over the default.
    posted = FORMS["inspection"](data={"officers_present": [colleague.pk]}, case=case)
    assert [int(v) for v in posted["officers_present"].value()] == [colleague.pk]


def test_the_no_recording_reason_is_asked_only_where_a_recording_is_required(client, w):
    from django.urls import reverse

    case = f.general_case(w, until="investigation")
    client.force_login(w.users[0])
    url = reverse("cases:transition", args=[case.pk, "record_inspection"])

    assert "未录音录像的理由" not in client.get(url).content.decode()

    f.av_rule(w, PENALTY_GENERAL.transition("record_inspection").recording_step)
    assert "未录音录像的理由" in client.get(url).content.decode()
