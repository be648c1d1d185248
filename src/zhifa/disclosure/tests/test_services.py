"""The publication lifecycle through its services: draft, masks, the publish
gate, withdrawal, correction, expiry, error reports and the party's reply."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zhifa.cases.tests import factories as f
from zhifa.disclosure import services
from zhifa.disclosure.models import (
    ErrorReport,
    PartyReply,
    Publication,
    PublicationStatus,
    SearchDocument,
)
from zhifa.disclosure.services import DisclosureError, NotAllowed
from zhifa.disclosure.source import decision_text
from zhifa.disclosure.tests.factories import PERSON, decided, overturn, publish
from zhifa.ledger import canonical
from zhifa.ledger.models import Entry
from zhifa.orgs.models import Role
from zhifa.workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db
S = PublicationStatus


@pytest.fixture
def w(time_machine):
    f.freeze(time_machine)
    return f.world()


@pytest.fixture
def person_case(w, django_capture_on_commit_callbacks):
    return decided(w, django_capture_on_commit_callbacks, party=PERSON)


def payload(action: str) -> dict:
    return canonical.decode(bytes(Entry.objects.get(action=action).data))["payload"]


def source_of(pub: Publication) -> str:
    from zhifa.cases.models import Document

    return decision_text(Document.objects.get(pk=pub.document_id))


def test_draft_masks_what_the_case_knows_about_the_person(w, person_case):
    _, pub = person_case

    pub = services.publication_draft(actor=w.users[0], publication=pub)

    assert pub.status == S.DRAFTED
    for value in (PERSON["name"], PERSON["id_number"], PERSON["address"]):
        assert value in source_of(pub)
        assert value not in pub.text
    assert pub.party_display.startswith("王") and pub.party_display != PERSON["name"]
    kinds = {m["kind"] for m in pub.masks}
    assert {"name", "id_number", "address"} <= kinds
    assert Entry.objects.filter(action="disclosure.drafted").count() == 1


def test_published_text_is_the_served_text_except_the_masks(w, person_case):
    _, pub = person_case
    pub = publish(w, pub)
    source = source_of(pub)

    # PUB-02: put the masked values back and the served text reappears.
    rebuilt, pos, last = [], 0, 0
    for m, entry in zip(sorted(pub.masks, key=lambda m: m["start"]), pub.manifest, strict=True):
        rebuilt.append(pub.text[pos : entry["start"]])
        rebuilt.append(source[m["start"] : m["end"]])
        pos, last = entry["end"], m["end"]
    rebuilt.append(pub.text[pos:])
    assert "".join(rebuilt) == source
    assert last <= len(source)


def test_manifest_says_what_was_removed_where_never_the_value(w, person_case):
    _, pub = person_case
    pub = publish(w, pub)

    assert pub.manifest and all(
        set(e) == {"start", "end", "kind", "rule", "origin"} for e in pub.manifest
    )
    assert PERSON["id_number"] not in str(pub.manifest)
    recorded = str(payload("disclosure.published"))
    assert PERSON["name"] not in recorded and PERSON["id_number"] not in recorded


def test_publish_is_blocked_until_a_reviewer_confirms(w, person_case):
    _, pub = person_case
    pub = services.publication_draft(actor=w.users[0], publication=pub)

    with pytest.raises(DisclosureError, match="尚未经人工核对确认"):
        services.publication_publish(actor=w.head, publication=pub)
    assert Publication.objects.get(pk=pub.pk).status == S.DRAFTED


def test_detected_personal_data_left_visible_blocks_confirmation(w, person_case):
    _, pub = person_case
    pub = services.publication_draft(actor=w.users[0], publication=pub)
    Publication.objects.filter(pk=pub.pk).update(masks=[])  # as if every mask were lost
    pub.refresh_from_db()

    with pytest.raises(DisclosureError, match="既未遮蔽也未说明"):
        services.publication_redaction_confirm(actor=w.unit_head, publication=pub)


def test_unmasking_needs_a_reason_and_releases_the_hit(w, person_case):
    _, pub = person_case
    pub = services.publication_draft(actor=w.users[0], publication=pub)
    index = next(i for i, m in enumerate(pub.masks) if m["kind"] == "address")

    with pytest.raises(DisclosureError, match="必须说明理由"):
        services.publication_mask_remove(actor=w.users[0], publication=pub, index=index, reason="")
    pub = services.publication_mask_remove(
        actor=w.users[0], publication=pub, index=index, reason="经核实为经营场所地址，依法公开"
    )

    assert PERSON["address"] in pub.text
    assert pub.released[0]["reason"] == "经核实为经营场所地址，依法公开"
    pub = services.publication_redaction_confirm(actor=w.unit_head, publication=pub)
    assert pub.redaction_confirmed_at is not None


def test_reviewer_masks_every_occurrence_of_a_phrase(w, person_case):
    _, pub = person_case
    pub = services.publication_draft(actor=w.users[0], publication=pub)
    pub = services.publication_redaction_confirm(actor=w.unit_head, publication=pub)
    assert "散装熟食" in pub.text

    pub = services.publication_mask_add(
        actor=w.users[0], publication=pub, kind="other", phrase="散装熟食"
    )

    assert "散装熟食" not in pub.text
    assert pub.redaction_confirmed_at is None  # a change needs a fresh confirmation
    assert "散装熟食" not in str(payload("disclosure.mask_added"))


def test_publish_indexes_and_publishing_twice_is_refused(w, person_case):
    _, pub = person_case
    pub = publish(w, pub)

    assert pub.status == S.PUBLISHED and pub.published_at is not None
    assert pub.text_sha256 and pub.period_rule == "disclosure.period_general"
    assert pub.period_ends_on == timezone.localdate().replace(year=timezone.localdate().year + 3)
    assert SearchDocument.objects.filter(publication=pub).exists()
    with pytest.raises(DisclosureError, match="不能重复公开"):
        services.publication_publish(actor=w.head, publication=pub)
    assert Entry.objects.filter(action="disclosure.published").count() == 1


def test_an_officer_drafts_but_cannot_publish_and_outsiders_cannot_draft(w, person_case):
    _, pub = person_case
    outsider = f.other_agency_user(Role.AGENCY_HEAD)
    with pytest.raises(NotAllowed):
        services.publication_draft(actor=outsider, publication=pub)
    pub = services.publication_draft(actor=w.users[0], publication=pub)
    pub = services.publication_redaction_confirm(actor=w.unit_head, publication=pub)
    with pytest.raises(NotAllowed):
        services.publication_publish(actor=w.users[0], publication=pub)


def test_revocation_creates_a_withdrawal_obligation_due_in_three_working_days(
    w, django_capture_on_commit_callbacks
):
    case, pub = decided(w, django_capture_on_commit_callbacks, until="served")
    publish(w, pub)

    overturn(w, case, django_capture_on_commit_callbacks)

    pub.refresh_from_db()
    assert pub.status == S.PUBLISHED and pub.withdrawal_cause == "revoked"
    assert pub.withdrawal_due_on == add_working_days(timezone.localdate(), 3)
    assert Entry.objects.filter(action="disclosure.withdrawal_required").count() == 1


def test_withdrawal_needs_a_public_reason_and_leaves_only_the_notice(
    w, django_capture_on_commit_callbacks
):
    case, pub = decided(w, django_capture_on_commit_callbacks, until="served")
    pub = publish(w, pub)
    overturn(w, case, django_capture_on_commit_callbacks)

    with pytest.raises(DisclosureError, match="必须说明理由"):
        services.publication_withdraw(actor=w.head, publication=pub, reason=" ")
    pub = services.publication_withdraw(
        actor=w.head, publication=pub, reason="该决定已被本溪县人民政府行政复议决定撤销。"
    )

    assert pub.status == S.WITHDRAWN and pub.withdrawn_at is not None
    assert pub.text == "" and pub.text_sha256
    assert not SearchDocument.objects.filter(publication=pub).exists()
    assert payload("disclosure.withdrawn")["on_time"] is True


def test_revocation_before_publication_cancels_the_obligation(
    w, django_capture_on_commit_callbacks
):
    case, pub = decided(w, django_capture_on_commit_callbacks, until="served")

    overturn(w, case, django_capture_on_commit_callbacks)

    pub.refresh_from_db()
    assert pub.status == S.CANCELLED


def test_a_change_without_overturning_leaves_the_publication(w, django_capture_on_commit_callbacks):
    case, pub = decided(w, django_capture_on_commit_callbacks, until="served")
    pub = publish(w, pub)
    overturn(w, case, django_capture_on_commit_callbacks, kind="upheld")
    pub.refresh_from_db()
    assert pub.withdrawal_cause == ""


def test_correction_publishes_a_new_version_that_supersedes_the_old(w, person_case):
    _, pub = person_case
    first = publish(w, pub)

    second = services.publication_correct(
        actor=w.head, publication=first, note="补充遮蔽涉及商业秘密的经营品类。"
    )
    assert second.status == S.DRAFTED and second.version == 2 and second.series == first.series
    second = services.publication_mask_add(
        actor=w.users[0], publication=second, kind="other", phrase="散装熟食"
    )
    second = services.publication_redaction_confirm(actor=w.unit_head, publication=second)
    second = services.publication_publish(actor=w.head, publication=second)

    first.refresh_from_db()
    assert first.status == S.SUPERSEDED and first.text == "" and first.superseded_at
    assert second.status == S.PUBLISHED and "散装熟食" not in second.text
    assert second.period_ends_on == first.period_ends_on
    assert list(Publication.objects.filter(series=first.series).order_by("version")) == [
        first,
        second,
    ]


def test_correction_may_fix_the_title_but_never_the_text(w, person_case):
    _, first = person_case
    first = publish(w, first)
    second = services.publication_correct(
        actor=w.head, publication=first, note="标题含有字号，更正。", title="  某某食品店经营案 "
    )
    assert second.title == "某某食品店经营案" and second.text == first.text
    with pytest.raises(DisclosureError, match="待发布的更正稿"):
        services.publication_correct(actor=w.head, publication=first, note="再次更正")


def test_publications_expire_at_the_end_of_their_period(w, person_case):
    _, pub = person_case
    pub = publish(w, pub)
    Publication.objects.filter(pk=pub.pk).update(
        period_ends_on=timezone.localdate() - timedelta(days=1)
    )

    done = services.publications_expire()

    assert [p.pk for p in done] == [pub.pk]
    pub.refresh_from_db()
    assert pub.status == S.EXPIRED and pub.text == ""
    assert Entry.objects.filter(action="disclosure.expired").count() == 1
    assert services.publications_expire() == []


def test_early_removal_is_refused_after_a_serious_penalty(w, person_case):
    _, pub = person_case
    pub = publish(w, pub)
    Publication.objects.filter(pk=pub.pk).update(penalty_types=["fine", "revoke_permit"])
    pub.refresh_from_db()
    with pytest.raises(DisclosureError, match="不得提前停止公示"):
        services.publication_remove_early(actor=w.head, publication=pub, reason="已履行")

    Publication.objects.filter(pk=pub.pk).update(penalty_types=["fine"])
    pub.refresh_from_db()
    pub = services.publication_remove_early(
        actor=w.head, publication=pub, reason="当事人已履行处罚并申请信用修复，经审核同意。"
    )
    assert pub.status == S.EXPIRED and pub.removal_reason


def test_error_report_is_answered_in_time_and_recorded(w, person_case):
    _, pub = person_case
    pub = publish(w, pub)

    report = services.error_report_submit(
        publication=pub, content="决定日期写错了。", reporter_contact="13700000000"
    )
    assert report.answer_due_on == add_working_days(timezone.localdate(), 20)
    with pytest.raises(NotAllowed):
        services.error_report_answer(
            actor=f.other_agency_user(Role.AGENCY_HEAD),
            report=report,
            answer="x",
            outcome="no_error",
        )
    report = services.error_report_answer(
        actor=w.unit_head, report=report, answer="经核查，决定日期无误。", outcome="no_error"
    )

    assert report.status == ErrorReport.Status.ANSWERED
    actions = list(
        Entry.objects.filter(action__startswith="disclosure.error").values_list("action", flat=True)
    )
    assert actions == ["disclosure.error_reported", "disclosure.error_answered"]
    assert "13700000000" not in str(payload("disclosure.error_reported"))


def test_error_report_refuses_empty_and_enormous_content(w, person_case):
    _, pub = person_case
    pub = publish(w, pub)
    with pytest.raises(DisclosureError):
        services.error_report_submit(publication=pub, content="  ")
    with pytest.raises(DisclosureError):
        services.error_report_submit(publication=pub, content="错" * 5000)
    assert not ErrorReport.objects.exists()


def test_the_party_replies_with_its_id_and_a_moderator_shows_it(w, person_case):
    _, pub = person_case
    pub = publish(w, pub)

    with pytest.raises(DisclosureError, match="不符"):
        services.reply_submit(publication=pub, identifier="110105194912310021", text="说明")
    reply = services.reply_submit(
        publication=pub,
        identifier=PERSON["id_number"].lower(),
        text="本人已全额缴纳罚款并完成整改。",
    )
    assert reply.status == PartyReply.Status.PENDING
    with pytest.raises(DisclosureError, match="必须说明理由"):
        services.reply_moderate(actor=w.unit_head, reply=reply, approve=False)
    reply = services.reply_moderate(actor=w.unit_head, reply=reply, approve=True)

    assert reply.status == PartyReply.Status.APPROVED
    assert Entry.objects.filter(action="disclosure.reply_moderated").count() == 1


def test_supervisor_sees_the_region_and_outsiders_see_nothing(w, person_case):
    from zhifa.orgs.tests.factories import UserFactory, grant

    _, pub = person_case
    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, region=w.agency.region)
    assert list(Publication.objects.visible_to(supervisor)) == [pub]
    assert list(Publication.objects.visible_to(w.users[0])) == [pub]
    assert not Publication.objects.visible_to(f.other_agency_user()).exists()


def test_expire_command_reports_what_it_removed(w, person_case, capsys):
    from django.core.management import CommandError, call_command

    _, pub = person_case
    pub = publish(w, pub)
    call_command("disclosure_expire")
    assert "没有公示期届满" in capsys.readouterr().out
    call_command("disclosure_expire", date=pub.period_ends_on.isoformat())
    assert pub.decision_number in capsys.readouterr().out
    assert Publication.objects.get(pk=pub.pk).status == S.EXPIRED
    with pytest.raises(CommandError):
        call_command("disclosure_expire", date="2026-13-01")


# --------------------------------------------------------------------------
# What the case knows, sorted into masked and kept (source.known_people)


def test_an_individual_business_is_redacted_as_its_operator(w, django_capture_on_commit_callbacks):
    """A 个体工商户 (USCC 92…) is a natural person in business (民法典第五十四条):
    its operator's name follows the party-name policy, also in the 字号; the
    business's name and registered place of business stay."""
    from zhifa.orgs.codes import uscc_with_check

    business = {
        "kind": "organisation",
        "name": "本溪县建华烧烤店",
        "uscc": uscc_with_check("92210521MA0YC3KQ0"),
        "legal_representative": "孙建华",
        "address": "本溪县小市镇站前街8号2单元101室",
        "phone": "13904145678",
    }
    _, pub = decided(w, django_capture_on_commit_callbacks, party=business)

    pub = services.publication_draft(actor=w.users[0], publication=pub)

    assert pub.party_display == "本溪县某某烧烤店"
    assert "孙建华" not in pub.text and "建华" not in pub.text
    assert "本溪县某某烧烤店" in pub.text and "孙某某" in pub.text
    assert "本溪县小市镇站前街8号2单元101室" in pub.text  # its place of business, public
    assert "13904145678" not in pub.text


def test_a_companys_name_representative_and_address_stay(w, django_capture_on_commit_callbacks):
    company = f.COMPANY | {"address": "本溪县小市镇商业街8号3幢201室"}
    _, pub = decided(w, django_capture_on_commit_callbacks, party=company)

    pub = services.publication_draft(actor=w.users[0], publication=pub)

    assert pub.party_display == company["name"]
    for value in (company["name"], company["legal_representative"], company["address"]):
        assert value in pub.text
    assert company["uscc"] in pub.text


# --------------------------------------------------------------------------
# The answer period of an error report: status U, configurable, recorded


def test_error_report_answer_period_is_the_unverified_default_and_says_so(w, person_case):
    from zhifa.disclosure.selectors import correction_reply_period

    _, pub = person_case
    pub = publish(w, pub)

    services.error_report_submit(publication=pub, content="决定日期写错了。")

    recorded = payload("disclosure.error_reported")
    assert recorded["answer_rule"] == "disclosure.correction_reply"
    assert recorded["answer_period"] == "20 个工作日"
    assert recorded["answer_period_unverified"] is True
    assert "政府信息公开条例" in recorded["answer_basis"]
    period = correction_reply_period(pub.region_code)
    assert "未经核实" in period.text and "参照" in period.text


def test_error_report_answer_period_follows_the_regions_own_rule(w, person_case):
    from zhifa.rules.models import RuleOverride

    _, pub = person_case
    pub = publish(w, pub)
    RuleOverride.objects.create(
        rule_id="disclosure.correction_reply",
        region_code=pub.region_code[:2] + "0000",
        value=10,
        basis="某省行政执法公示办法 第十二条",
    )

    report = services.error_report_submit(publication=pub, content="决定日期写错了。")

    assert report.answer_due_on == add_working_days(timezone.localdate(), 10)
    recorded = payload("disclosure.error_reported")
    assert recorded["answer_period"] == "10 个工作日"
    assert recorded["answer_period_unverified"] is False
    assert "某省行政执法公示办法" in recorded["answer_basis"]
