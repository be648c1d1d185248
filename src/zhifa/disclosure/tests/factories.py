"""Real decisions for disclosure tests: the case test world driven through the
engine, with on-commit callbacks executed so the case events reach disclosure."""

from __future__ import annotations

from zhifa.cases.models import Document
from zhifa.cases.tests import factories as f
from zhifa.disclosure.models import Publication


def resident_id(birth: str, seq: str = "001") -> str:
    from zhifa.cases.parties import resident_id_check_char

    first17 = f"210521{birth}{seq}"
    return first17 + resident_id_check_char(first17)


# A sixteen-year-old at the time of the act (TODAY is 2026-07-15).
MINOR = f.PERSON | {
    "name": "刘小军",
    "id_number": resident_id("20100301"),
    "address": "本溪县小市镇某村2号",
}

PERSON = f.PERSON | {"name": "王小明", "id_number": "11010519491231002X", "phone": "13912345678"}


def decided(w, capture, *, until="decided", party=None, **kwargs):
    """A general-procedure case decided (or further) with its obligation."""
    with capture(execute=True):
        case = f.general_case(w, until=until, party=party, **kwargs)
    return case, publication_of(case)


def publication_of(case) -> Publication:
    doc = Document.objects.get(case=case, doc_type="penalty_decision")
    return Publication.objects.get(document_id=doc.pk, previous__isnull=True)


def overturn(w, case, capture, kind="revoked"):
    with capture(execute=True):
        return f.fire(
            case,
            "record_outcome",
            w.unit_head,
            {"kind": kind, "body": "本溪县人民政府", "reference": "本县政复决〔2026〕4号"},
        )


def publish(w, pub: Publication) -> Publication:
    """Draft, confirm and publish as the agency would."""
    from zhifa.disclosure import services

    pub = services.publication_draft(actor=w.users[0], publication=pub)
    pub = services.publication_redaction_confirm(actor=w.unit_head, publication=pub)
    return services.publication_publish(actor=w.head, publication=pub)
