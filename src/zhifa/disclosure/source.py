"""What a publication is made from: the served decision as plain text, and
what the case knows about the people in it (redaction's first layer).

This is the only module of disclosure that reads case tables, and only on the
staff side while drafting; the portal never calls it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from zhifa.cases.documents.render import document_blocks


def decision_text(document) -> str:
    """The issued decision as the party received it, one line per block.

    PUB-02: apart from lawful redaction the published text must be identical
    to the decision served, so it is derived from the frozen document, never
    retyped. Table rows read "label：value"; signature blanks are left out.
    """
    lines: list[str] = []
    for block in document_blocks(document):
        if block.kind in ("draft", "sign"):
            continue
        if block.kind == "table":
            for label, value in block.rows:
                if value:
                    lines.append(f"{label}：{value}")
            continue
        if block.text:
            lines.append(block.text)
    return "\n".join(lines)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class KnownPeople:
    """The personal data the case holds (natural persons only: an
    organisation's name, USCC, address and legal representative stay public)."""

    # Natural persons other than the party (none are registered on a case yet).
    names: list[str] = field(default_factory=list)
    # The penalised natural persons: their names follow the agency's policy
    # (PUB-08 / PUB-10), and so does the operator of an individual business.
    party_names: list[str] = field(default_factory=list)
    id_numbers: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    # Kept, and protected from the detectors.
    organisations: list[str] = field(default_factory=list)
    representatives: list[str] = field(default_factory=list)
    organisation_addresses: list[str] = field(default_factory=list)
    # Individual businesses: kept, but a person's name in the 字号 is masked.
    businesses: list[str] = field(default_factory=list)


# GB 32100: a unified social credit code 92… is an individual business (个体工商户).
INDIVIDUAL_BUSINESS_USCC = "92"


def is_individual_business(party) -> bool:
    return (party.uscc or "").strip().upper().startswith(INDIVIDUAL_BUSINESS_USCC)


def known_people(case) -> KnownPeople:
    """What the case knows, sorted into what is masked and what is kept.

    An individual business (USCC 92…) is a natural person in business
    (民法典第五十四条): its operator, recorded as 法定代表人或负责人, is the
    party, so the operator's name follows the agency's policy for the
    party's name and is masked also where it stands in the shop's 字号; the
    business's name and registered place of business stay (they are public
    on its licence, 个体工商户条例 and 企业信息公示暂行条例). A company's legal
    representative is published (PUB-10) and kept.
    """
    known = KnownPeople()
    for party in case.parties.all():
        if party.kind == "natural":
            known.party_names.append(party.name)
            if party.id_number:
                known.id_numbers.append(party.id_number)
            if party.address:
                known.addresses.append(party.address)
        elif is_individual_business(party):
            known.businesses.append(party.name)
            if party.legal_representative:
                known.party_names.append(party.legal_representative)
            if party.address:
                known.organisation_addresses.append(party.address)
        else:
            known.organisations.append(party.name)
            if party.legal_representative:
                known.representatives.append(party.legal_representative)
            if party.address:
                known.organisation_addresses.append(party.address)
        if party.phone:
            known.phones.append(party.phone)
    return known


def primary_party(case):
    return case.parties.order_by("id").first()
