"""The redaction engine's value types: what it is told, what it returns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

KINDS = ("name", "id_number", "phone", "bank_account", "email", "address")
Kind = Literal["name", "id_number", "phone", "bank_account", "email", "address"]

# Every rule that can produce a span, with the reason a reviewer is shown.
# Rules starting with "known." are layer 1 (what the case knows); the others
# are layer 2 detectors.
RULES: dict[str, str] = {
    "known.name": "案件登记的自然人姓名",
    "known.party_name": "案件登记的当事人（自然人）姓名，按本机关公开政策处理",
    "known.id_number": "案件登记的身份证件号码",
    "known.phone": "案件登记的联系电话",
    "known.address": "案件登记的住址",
    "known.bank_account": "案件登记的银行账号",
    "known.email": "案件登记的电子邮箱",
    "known.name_in_business": "案件登记的自然人的名字出现在个体工商户字号中（可据以识别本人）",
    "id_number.checksum": "18位公民身份号码（出生日期与GB 11643校验码均有效）",
    "id_number.legacy": "15位旧公民身份号码（出生日期有效）",
    "id_number.context": "“身份证”等字样后的15位或18位号码",
    "phone.mobile": "手机号码",
    "phone.landline": "固定电话号码（区号-号码）",
    "phone.context": "“电话”“手机”等字样后的号码",
    "phone.account": "“微信号”“QQ”等字样后的联系账号",
    "bank_account.luhn": "银行卡号（13至19位，通过Luhn校验）",
    "bank_account.context": "“账号”“卡号”等字样后的号码",
    "email.address": "电子邮箱地址",
    "address.residential": "区县、乡镇以下的住址（门牌、楼栋、单元、室、村组等）",
    "address.context": "“住址”“家住”等字样后的详细地址",
    "name.party": "“当事人”等字样后的自然人姓名",
    "name.role": "证人、被询问人等当事人以外自然人的姓名",
    "name.person": "后随性别或身份证号码的自然人姓名",
    "name.repeat": "已识别的自然人姓名在文中再次出现",
    "name.business": "已识别的自然人的名字出现在店铺字号中（可据以识别本人）",
}


def _strings(values: Iterable[str] | None, field_name: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        raise TypeError(f"{field_name} 应为字符串列表，而不是单个字符串。")
    out = []
    for value in values:
        if not isinstance(value, str):
            raise TypeError(f"{field_name} 中的每一项都应为字符串。")
        if value.strip():
            out.append(value.strip())
    return tuple(out)


@dataclass(frozen=True)
class Known:
    """What the case knows (layer 1): masked wherever it appears in the text.

    names: natural persons other than the party (witnesses, employees, …);
    party_names: the penalised natural person(s) — treated by `Policy.party_name`;
    id_numbers, phones, addresses, bank_accounts, emails: masked always;
    organisations, representatives: names of legal persons and other
    organisations and their legal representatives or 负责人 — kept
    (published under PUB-10): never masked, not even a known person's name
    inside one (杭州张三餐饮有限公司 stays);
    organisation_addresses: the registered address (住所) or place of
    business of an organisation or individual business — public on its
    licence and part of the published facts: kept, never masked by a
    detector (known personal data in `addresses` still wins);
    businesses: names of individual businesses (个体工商户, 民法典第五十四条:
    a natural person in business). The name stays, except a natural
    person's name in it, which is masked as that person's name is
    elsewhere: 张三烧烤店 → 张某烧烤店, and for 钱玉兰 the given name in
    玉兰副食店 → 某某副食店 (otherwise 钱某某 next to 玉兰副食店 would name her).
    """

    names: Sequence[str] = ()
    party_names: Sequence[str] = ()
    id_numbers: Sequence[str] = ()
    phones: Sequence[str] = ()
    addresses: Sequence[str] = ()
    bank_accounts: Sequence[str] = ()
    emails: Sequence[str] = ()
    organisations: Sequence[str] = ()
    representatives: Sequence[str] = ()
    organisation_addresses: Sequence[str] = ()
    businesses: Sequence[str] = ()

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            object.__setattr__(self, name, _strings(getattr(self, name), name))

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Known:
        """From a JSON object such as `{"names": [...], "phones": [...]}`.

        Unknown keys are refused (a misspelt key would silently leave data
        unmasked). Raises `ValueError` with a Chinese message.
        """
        if not isinstance(data, Mapping):
            raise ValueError("known 应为 JSON 对象。")
        allowed = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ValueError(
                f"known 中有无法识别的字段：{'、'.join(unknown)}（可用字段：{'、'.join(sorted(allowed))}）。"
            )
        values = {}
        for key, value in data.items():
            if value is None:
                continue
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"known.{key} 应为字符串列表。")
            values[key] = value
        return cls(**values)


@dataclass(frozen=True)
class Policy:
    """The agency's publication policy (rules.md PUB-08, PUB-10).

    party_name: "mask" (default; PUB-08 lists only third parties' names, but
    many agencies mask every natural person) or "keep" (PUB-10: counterfeit
    and IP penalties publish the penalised natural person's name).
    """

    party_name: Literal["mask", "keep"] = "mask"

    def __post_init__(self) -> None:
        if self.party_name not in ("mask", "keep"):
            raise ValueError("party_name 只能是 mask 或 keep。")


@dataclass(frozen=True, slots=True)
class Span:
    """One masked stretch: `original[start:end]` became `replacement`."""

    start: int
    end: int
    kind: str
    rule: str
    replacement: str

    @property
    def known(self) -> bool:
        return self.rule.startswith("known.")

    @property
    def reason(self) -> str:
        return RULES.get(self.rule, self.rule)


@dataclass(frozen=True)
class Result:
    """The redacted text and its spans (offsets into the original, code points)."""

    text: str
    spans: list[Span] = field(default_factory=list)

    def manifest(self) -> list[dict[str, object]]:
        """What kind of data was removed where and by which rule — never the values.

        One entry per (kind, rule): `{"kind", "rule", "reason", "count",
        "positions": [[start, end], …]}`, sorted by kind then rule.
        """
        groups: dict[tuple[str, str], list[list[int]]] = {}
        for span in self.spans:
            groups.setdefault((span.kind, span.rule), []).append([span.start, span.end])
        order = {kind: i for i, kind in enumerate(KINDS)}
        return [
            {
                "kind": kind,
                "rule": rule,
                "reason": RULES.get(rule, rule),
                "count": len(positions),
                "positions": positions,
            }
            for (kind, rule), positions in sorted(
                groups.items(), key=lambda item: (order.get(item[0][0], 99), item[0][1])
            )
        ]
