"""The provisions legal review refusals cite, and who counts as whom.

Citation status (rules.md §0.1): 行政处罚法 is V1; the 国办发〔2018〕118号
sections are U (numbers and the checklist confirmed only second-hand), so
they are cited for what the national policy says, never as a number.
"""

from __future__ import annotations

from zhifa.cases.errors import Refusal, TransitionRefused
from zhifa.orgs.models import Role, RoleAssignment

APL = "《中华人民共和国行政处罚法》"
ART_43 = f"{APL}第四十三条"
ART_58_1 = f"{APL}第五十八条第一款"
ART_58_2 = f"{APL}第五十八条第二款"
GB118 = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"
# 四、（十一） 明确审核机构 (GB118-16): the legal unit and its staff.
GB118_UNIT = f"{GB118}四、（十一）"
# 四、（十三） 明确审核内容 (GB118-18/19): the checklist, the written opinion, resubmission.
GB118_CONTENT = f"{GB118}四、（十三）"
# 四、（十四） 明确审核责任 (GB118-20): materials, time limits, disagreement.
GB118_DUTY = f"{GB118}四、（十四）"
RECUSAL = f"{ART_43}；{GB118_UNIT}"


def refuse(code: str, message: str, citation: str = "") -> TransitionRefused:
    return TransitionRefused([Refusal(code, message, citation)])


def holds(user, role: str, agency, *, unit=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    qs = RoleAssignment.objects.filter(user=user, role=role, agency=agency, active=True)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.exists()


def is_agency_head(user, agency) -> bool:
    return holds(user, Role.AGENCY_HEAD, agency)


def is_legal_unit_head(user, agency) -> bool:
    unit = agency.legal_unit
    return unit is not None and holds(user, Role.UNIT_HEAD, agency, unit=unit)


def in_legal_unit(user, agency) -> bool:
    """A member of the agency's legal unit (by role or by the officer registry);
    an agency without a designated legal unit has no such condition."""
    from zhifa.officers.models import Officer

    unit = agency.legal_unit
    if unit is None:
        return True
    if RoleAssignment.objects.filter(user=user, agency=agency, unit=unit, active=True).exists():
        return True
    return Officer.objects.filter(user=user, unit=unit, left_on__isnull=True).exists()


def name_of(user) -> str:
    return getattr(user, "name", "") or getattr(user, "username", "") or str(user)
