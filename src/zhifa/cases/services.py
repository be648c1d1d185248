"""Use cases of case handling outside the transitions: registering a case,
its parties, its evidence. Each runs in one transaction with its ledger
record. State changes go through `zhifa.cases.engine.fire`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.cases.errors import DuplicateSubmission, InvalidInput, Refusal, TransitionRefused
from zhifa.cases.guards import user_roles
from zhifa.cases.models import Case, CaseEvidence, EvidenceKind, Party, SourceKind, engine_writing
from zhifa.cases.parties import clean_party
from zhifa.ledger import services as ledger
from zhifa.ledger.evidence import HEAD_SIZE, accepted_types, detect_media_type, evidence_store
from zhifa.ledger.services import personal_ref
from zhifa.orgs.models import Agency, Region, Role, Unit
from zhifa.procedures import GUARDS, get_procedure

STAFF = (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)


def _require_staff(actor, agency: Agency, roles=STAFF, what: str = "登记案件") -> None:
    if not (user_roles(actor, agency) & set(roles)):
        raise TransitionRefused(
            [
                Refusal(
                    "role_in_agency",
                    f"您不是{agency.name}的执法人员或负责人，不能{what}。",
                    GUARDS["role_in_agency"][1],
                )
            ]
        )


def _party_errors(exc: ValidationError, prefix: str = "party") -> InvalidInput:
    if hasattr(exc, "error_dict"):
        return InvalidInput(
            {
                f"{prefix}.{k}": [str(m) for e in v for m in e.messages]
                for k, v in exc.error_dict.items()
            }
        )
    return InvalidInput({prefix: exc.messages})


def _party_payload(party: Party) -> dict[str, str]:
    ident = party.uscc or party.id_number
    return {
        "kind": party.kind,
        "id_ref": personal_ref(ident) if ident else "",
        "minor": party.is_minor,
    }


def _case_number(agency: Agency, on: date) -> str:
    from zhifa.cases.documents import next_number

    number, _ = next_number(agency, "案", on.year)
    return number


@dataclass(frozen=True)
class NewCase:
    title: str
    source_kind: str
    source_received_on: date
    region: Region
    party: dict[str, Any]
    source_detail: str = ""
    place: str = ""
    unit: Unit | None = None
    act_date: date | None = None


def _validate_new(agency: Agency, new: NewCase, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not new.title.strip():
        errors["title"] = ["请填写案由。"]
    if new.source_kind not in SourceKind.values:
        errors["source_kind"] = [f"案件来源应为：{'、'.join(SourceKind.labels)}。"]
    if new.source_received_on > today:
        errors["source_received_on"] = ["发现或收到日期不能晚于今天。"]
    if new.act_date and new.act_date > today:
        errors["act_date"] = ["违法行为发生日期不能晚于今天。"]
    if new.unit and new.unit.agency_id != agency.pk:
        errors["unit"] = ["承办机构不属于本执法主体。"]
    if not new.region.code.startswith(agency.region.prefix):
        errors["region"] = [f"违法行为发生地不在{agency.name}的辖区（{agency.region.name}）内。"]
    return errors


def _create(agency: Agency, actor, procedure: str, status: str, new: NewCase, today: date) -> Case:
    errors = _validate_new(agency, new, today)
    try:
        party = clean_party(new.party, act_date=new.act_date)
    except ValidationError as exc:
        errors.update(_party_errors(exc).errors)
        party = None
    if errors:
        raise InvalidInput(errors)
    token = engine_writing.set(True)
    try:
        case = Case.objects.create(
            agency=agency,
            unit=new.unit,
            number=_case_number(agency, today),
            procedure=procedure,
            status=status,
            title=new.title.strip(),
            source_kind=new.source_kind,
            source_detail=new.source_detail,
            source_received_on=new.source_received_on,
            region=new.region,
            place=new.place,
            act_date=new.act_date,
            registered_on=today,
            created_by=actor,
        )
    finally:
        engine_writing.reset(token)
    p = Party.objects.create(case=case, **party)
    ledger.record(
        agency=agency,
        subject=case,
        actor=actor,
        action="case.register",
        payload={
            "case": case.number,
            "procedure": procedure,
            "status": status,
            "source": new.source_kind,
            "party": _party_payload(p),
        },
    )
    return case


def register_case(*, actor, agency: Agency, new: NewCase, today: date | None = None) -> Case:
    """案件来源登记: a general-procedure case in its initial state."""
    _require_staff(actor, agency)
    with transaction.atomic():
        return _create(
            agency,
            actor,
            "penalty.general",
            get_procedure("penalty.general").initial,
            new,
            today or timezone.localdate(),
        )


def open_summary_case(*, actor, agency: Agency, new: NewCase, today: date | None = None) -> Case:
    """A summary-procedure case opened on the spot by an officer."""
    _require_staff(actor, agency, roles=(Role.OFFICER,), what="适用简易程序当场处罚")
    with transaction.atomic():
        return _create(
            agency,
            actor,
            "penalty.summary",
            get_procedure("penalty.summary").initial,
            new,
            today or timezone.localdate(),
        )


def update_party(*, actor, party: Party, data: dict[str, Any]) -> Party:
    case = party.case
    _require_staff(actor, case.agency, what="修改当事人信息")
    if case.decided_on:
        raise TransitionRefused(
            [
                Refusal(
                    "decided_first",
                    "决定已作出，当事人信息不能再修改。",
                    "《中华人民共和国行政处罚法》第五十九条",
                )
            ]
        )
    try:
        cleaned = clean_party(data, act_date=case.act_date)
    except ValidationError as exc:
        raise _party_errors(exc) from exc
    with transaction.atomic():
        for k, v in cleaned.items():
            setattr(party, k, v)
        party.save()
        ledger.record(
            agency=case.agency,
            subject=case,
            actor=actor,
            action="case.party_changed",
            payload={"case": case.number, "party": _party_payload(party)},
        )
    return party


OPEN_FOR_EVIDENCE = {
    "registered",
    "investigation",
    "examination",
    "statement",
    "hearing",
    "deliberation",
    "decided",
    "onsite",
    "served",
    "filed",
}


def _pre_check(case: Case, file, kind: str) -> dict[str, list[str]]:
    """Refusals decided from the bytes before anything is stored, so a refused
    upload leaves no blob and no ledger entry. Needs a seekable file (Django
    uploads are); other streams are checked by evidence_store alone."""
    if not hasattr(file, "seek"):
        return {}
    file.seek(0)
    digest = hashlib.sha256()
    head = b""
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        if len(head) < HEAD_SIZE:
            head += chunk[: HEAD_SIZE - len(head)]
        digest.update(chunk)
    file.seek(0)
    errors: dict[str, list[str]] = {}
    existing = CaseEvidence.objects.filter(case=case, blob__sha256=digest.hexdigest()).first()
    if existing:
        errors["file"] = [f"同一文件已作为“{existing.title}”附入本案，未重复附入。"]
    mime, detected = detect_media_type(head)
    # A type the storage refuses anyway gets the storage's own message.
    acceptable = mime in accepted_types()
    if (
        acceptable
        and kind == EvidenceKind.AUDIOVISUAL
        and not mime.startswith(("audio/", "video/", "image/"))
    ):
        errors["kind"] = [f"视听资料须为音频、视频或图片，上传的文件按内容检测为“{detected}”。"]
    return errors


def _same_bytes(file, sha256: str) -> bool:
    """Whether a resent file is the one stored under its key. A stream that
    cannot be re-read is taken on trust: the key alone identifies it."""
    if not hasattr(file, "seek"):
        return True
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest() == sha256


def client_key_for(user, key: str) -> str:
    """A client's upload key scoped to its user, fixed-length (as the step
    forms' submission keys are): a key sent by one user never matches
    another's. The phone page's queue and the API share it, so one upload
    retried through either is still one upload."""
    digest = hashlib.sha256(f"{user.pk}\x00{key}".encode()).hexdigest()
    return f"web:{digest[:60]}"  # the prefix of the first release: stored keys stay valid


def _replayed(case: Case, file, client_key: str | None) -> None:
    """Raise DuplicateSubmission if this key already attached this file."""
    if not client_key:
        return
    earlier = CaseEvidence.objects.filter(case=case, client_key=client_key).select_related("blob")
    earlier = earlier.first()
    if earlier is None:
        return
    if _same_bytes(file, earlier.blob.sha256):
        raise DuplicateSubmission()
    raise InvalidInput(
        {"client_key": [f"该上传编号已用于本案证据“{earlier.title}”，与本次文件不符，未附入。"]}
    )


def add_evidence(
    *,
    actor,
    case: Case,
    file,
    kind: str,
    title: str,
    step: str = "",
    source: str = CaseEvidence.Source.DESK,
    captured_at: datetime | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    accuracy_m: int | None = None,
    device: str = "",
    original_name: str = "",
    client_key: str | None = None,
) -> CaseEvidence:
    """Store a file through the ledger's evidence storage and attach it to the case.

    `client_key` makes the call idempotent for an upload queue that resends
    when an answer is lost: if the key already attached the same bytes to
    this case, DuplicateSubmission is raised and nothing is written (the
    caller looks the earlier row up by the key); the same key with other bytes
    is refused.
    """
    _require_staff(actor, case.agency, what="为本案附入证据")
    # Before the other checks: a resend must succeed even when the first
    # upload's own row would now make it "the same file twice".
    _replayed(case, file, client_key)
    errors: dict[str, list[str]] = {}
    if kind not in EvidenceKind.values:
        errors["kind"] = [
            f"证据种类应为：{'、'.join(EvidenceKind.labels)}（行政处罚法第四十六条）。"
        ]
    if not (title or "").strip():
        errors["title"] = ["请填写证据名称。"]
    if case.status not in OPEN_FOR_EVIDENCE:
        errors["case"] = [f"案件已{case.status_label}，不能再附入证据。"]
    if captured_at and captured_at > timezone.now() + timedelta(minutes=5):
        errors["captured_at"] = ["采集时间不能晚于现在。"]
    if latitude is not None and not (-90 <= latitude <= 90):
        errors["latitude"] = ["纬度应在 -90 到 90 之间。"]
    if longitude is not None and not (-180 <= longitude <= 180):
        errors["longitude"] = ["经度应在 -180 到 180 之间。"]
    if not errors:
        errors = _pre_check(case, file, kind)
    if errors:
        raise InvalidInput(errors)
    # A file the storage refuses (type, size) raises EvidenceError with its code.
    blob = evidence_store(
        agency=case.agency, subject=case, actor=actor, file=file, original_name=original_name
    )
    try:
        with transaction.atomic():
            entry = ledger.record(
                agency=case.agency,
                subject=case,
                actor=actor,
                action="case.evidence_added",
                payload={
                    "case": case.number,
                    "blob": str(blob.public_id),
                    "sha256": blob.sha256,
                    "kind": kind,
                    "step": step,
                },
            )
            return CaseEvidence.objects.create(
                case=case,
                blob=blob,
                kind=kind,
                title=title.strip(),
                step=step,
                source=source,
                captured_at=captured_at,
                latitude=latitude,
                longitude=longitude,
                accuracy_m=accuracy_m,
                device=device,
                uploaded_by=actor,
                uploaded_at=timezone.now(),
                entry=entry,
                client_key=client_key or "",
            )
    except IntegrityError:
        # Two sends of one key at once (a retry while the first was still
        # being received): the first won, with its row and ledger entry.
        if client_key and CaseEvidence.objects.filter(case=case, client_key=client_key).exists():
            raise DuplicateSubmission() from None
        raise
