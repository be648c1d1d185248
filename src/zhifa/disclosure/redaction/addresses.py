"""Residential addresses below the township: keep 省/市/区县/乡镇街道, mask the rest.

A span covers only the masked part (文三路100号3幢201室), so the kept
administrative prefix (浙江省杭州市西湖区) stays in the text and the span's
replacement is always "***".

Two rules, on the width-folded text:

`address.residential` — a *chain* of numbered units (12号, 3幢2单元501室,
3-2-501室, 5组, 第三村民小组, 100弄5号) with the words before it back to a
stop (punctuation, 住, 址, 于, 在, 位, 的, …; at most 30 characters). It is an
address to mask when
- the chain or the words before it are residential: 室, 单元, 户, 组, 弄;
  村, 小区, 社区, 新村, 花园, 家园, 公寓, 苑, 宿舍 (栋/幢/号楼 alone are
  buildings of any kind: 物流园C栋2号 stays); or
- a residential word comes just before it (住址, 家住, 现住, 户籍, 居住,
  暂住, 租住, or 住 alone; 住所 and 地址 only in a clause about a natural
  person: 男, 女, 身份证, 出生, 民族);
and the words before the chain hold a place word (路, 街, 巷, 村, …) or an
administrative suffix, or the chain alone is an apartment (3幢2单元501室:
two units or more, one of them 室/单元/户).
After 经营场所, 注册地址, 办公地址 …, and after 住所/地址 in a clause that is
not about a natural person (an organisation's registered address, public on
its licence), the chain is never masked. A business address without a
residential sign (文三路100号) is left too: the place of business or of the
violation is part of the published facts.

`address.context` — after 住址/家住/现住/户籍地/居住地/暂住 (or 住所/地址 in
a natural person's clause), the detail up to the end of the phrase: through
the last numbered unit or place word (家住张家村 → 家住***).

The kept prefix ends after the last administrative suffix (省, 自治区, 市, 州,
地区, 盟, 区, 县, 旗, 镇, 乡, 街道, 苏木, 新区, 开发区) that comes before the
first place word or digit; 小区, 社区, 园区, 景区, 校区, 厂区 and 市场, 超市,
城市 are not administrative.

Not caught: addresses with neither numbers nor a residential word before them
(在张家村收购 — a village named as a place), addresses spread over several
clauses, rural addresses written only as 村+name without 组 or 号, and
addresses in other scripts.
"""

from __future__ import annotations

import re

from .text import CJK, clause_before, is_mask_text
from .types import Span

_ZH_NUM = "一二三四五六七八九十百零〇两"
_UNITS = "号楼|号院|号|栋|幢|座|单元|室|楼|层|村民小组|小组|组|队|弄|户|排"
_CHAIN = re.compile(
    rf"(?:第?(?:[0-9]+(?:[-—][0-9]+)*|[{_ZH_NUM}]+|[A-Za-z](?=座|栋|幢|单元))(?:{_UNITS}))+"
    r"(?:[0-9]+(?:-[0-9]+)*室?)?"
)
# Units of a dwelling; 栋/幢/号楼 alone are buildings (物流园C栋2号), not homes.
_RESIDENTIAL_UNIT = re.compile("室|单元|户|组|弄")
_RESIDENTIAL_PLACE = re.compile("村|小区|社区|新村|花园|家园|公寓|苑|宿舍|里弄")
_PLACE = re.compile(
    "(?:路|街(?!道)|大道|巷|弄|胡同|村|社区|小区|花园|家园|公寓|苑|大厦|广场|屯|庄|湾|坊|园|宿舍|组)"
    "(?![市区县镇乡旗省街])"
)
_ADMIN = re.compile(
    "(?:特别行政区|自治区|自治州|自治县|地区|街道|苏木|新区|开发区|省|市|州|区|县|旗|盟|镇|乡)"
    "(?![路街巷道村场])"
)
_NOT_ADMIN_BEFORE = {
    "区": set("小社园景校厂营院片矿库站"),
    "市": set("超门夜城"),
}
_STOP = set(
    "住址于在位系为是的与及至到从往称即对将由其并或等:;,.!?、。；：，！？\"'“”《》〔〕()（）[]【】"
)
_LEFT_MAX = 30
_ADDRESS_CHAR = re.compile(f"[{CJK}0-9A-Za-z#-]")


def _words(text: str) -> list[str]:
    return text.split()


_CONTEXT_WORDS = {
    **dict.fromkeys(
        _words(
            "家庭住址 家庭地址 住址 家住 现住址 现住 现居住地 现居住 现居 居住地 居住在 居住于 "
            "暂住地 暂住 住在 租住 户籍地址 户籍所在地 户籍地 户籍"
        ),
        "strong",
    ),
    **dict.fromkeys(
        _words("生产经营场所 经营场所 经营地址 注册地址 办公地址 营业场所 生产地址 门店地址 店址"),
        "org",
    ),
    **dict.fromkeys(_words("住所地 住所 地址"), "weak"),
}
# One alternation of plain words, so the regex engine can skip ahead in C.
_CONTEXT = re.compile("|".join(sorted(_CONTEXT_WORDS, key=len, reverse=True)))
_UNIT_WORD = re.compile(_UNITS)
_CHAIN_CHARS = frozenset("0123456789-—第" + _ZH_NUM)
_NATURAL_PERSON = re.compile("男|女|身份证|公民身份|出生|民族|汉族")
# Where the detail after 住址/家住 … ends; a mask (*) ends it too, so a second
# run over redacted text finds nothing new.
_PHRASE_END = re.compile(r"[,，。;；:：\n、()（）〔〕\[\]【】《》“”\"'*]|\s")


def _admin_end(text: str) -> int:
    """Length of the administrative prefix of an address (0 when there is none)."""
    first_place = len(text)
    place = _PLACE.search(text)
    if place:
        first_place = place.start()
    digit = re.search(f"[0-9{_ZH_NUM}]", text)
    if digit:
        first_place = min(first_place, digit.start())
    end = 0
    for m in _ADMIN.finditer(text):
        if m.end() > first_place:
            break
        before = text[m.start() - 1] if m.start() else ""
        if before in _NOT_ADMIN_BEFORE.get(m.group(), ()):
            continue
        end = m.end()
    return end


def _context(folded: str, start: int) -> str | None:
    """ "home", "business" or None: what the words just before `start` say.

    住址, 家住, 户籍 … say home; 经营场所, 注册地址 … say business; 住所 and 地址
    say home in a clause about a natural person (男, 女, 身份证, 出生 …) and
    business otherwise (an organisation's 住所 is public).
    """
    window = clause_before(folded, start, 12)
    matches = list(_CONTEXT.finditer(window))
    if not matches:
        # 住 alone right before the address: 当事人张三住杭州市…
        return "home" if window.rstrip(" :：").endswith("住") else None
    last = matches[-1]
    if any(c in _STOP for c in window[last.end() :].strip(" :：")):
        return None
    kind = _CONTEXT_WORDS[last.group()]
    if kind == "strong":
        return "home"
    if kind == "weak" and _natural_clause(folded, last.start() + start - len(window)):
        return "home"
    return "business"


def _natural_clause(folded: str, start: int) -> bool:
    return bool(_NATURAL_PERSON.search(clause_before(folded, start, 80)))


def _left(folded: str, start: int) -> int:
    i = start
    while i > 0 and start - i < _LEFT_MAX:
        c = folded[i - 1]
        if c in _STOP or not _ADDRESS_CHAR.match(c):
            break
        i -= 1
    return i


def _span(folded: str, start: int, end: int, rule: str) -> Span | None:
    keep = _admin_end(folded[start:end])
    if start + keep >= end or is_mask_text(folded[start + keep : end]):
        return None
    return Span(start + keep, end, "address", rule, "***")


def _chains(folded: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """Chains of numbered units in folded[start:end] (what `_CHAIN.finditer` finds).

    Found from their units (号, 室, 组 …: plain words the regex engine skips to
    quickly), walking back over the numerals before each one.
    """
    end = len(folded) if end is None else end
    chains: list[re.Match[str]] = []
    pos = start
    for unit in _UNIT_WORD.finditer(folded, start, end):
        if unit.start() < pos:
            continue
        i = unit.start()
        while i > pos and folded[i - 1] in _CHAIN_CHARS:
            i -= 1
        if i == unit.start() and i > pos and folded[i - 1].isascii() and folded[i - 1].isalpha():
            i -= 1  # A座, B栋
        for first in range(i, unit.start()):
            m = _CHAIN.match(folded, first, end)
            if m:
                chains.append(m)
                pos = m.end()
                break
    return chains


def detect_addresses(folded: str) -> list[Span]:
    spans: list[Span] = []
    for m in _chains(folded):
        left = _left(folded, m.start())
        head, chain = folded[left : m.start()], m.group()
        units = _UNIT_WORD.findall(chain)
        has_place = bool(_PLACE.search(head) or _admin_end(head))
        apartment = len(units) >= 2 and bool(_RESIDENTIAL_UNIT.search(chain))
        context = _context(folded, left)
        if context == "business":
            continue
        residential = bool(
            context == "home" or _RESIDENTIAL_UNIT.search(chain) or _RESIDENTIAL_PLACE.search(head)
        )
        if (has_place and residential) or apartment:
            span = _span(folded, left, m.end(), "address.residential")
            if span:
                spans.append(span)
    for m in _CONTEXT.finditer(folded):
        kind = _CONTEXT_WORDS[m.group()]
        if kind == "org" or (kind == "weak" and not _natural_clause(folded, m.start())):
            continue
        start = m.end()
        while start < len(folded) and folded[start] in " :：":
            start += 1
        if folded[start : start + 1] in ("于", "在"):  # 租住于…, 居住在…
            start += 1
        stop = _PHRASE_END.search(folded, start, start + 60)
        stop_at = stop.start() if stop else min(len(folded), start + 60)
        ends = [c.end() for c in _chains(folded, start, stop_at)]
        ends += [p.end() for p in _PLACE.finditer(folded, start, stop_at)]
        if ends:
            span = _span(folded, start, max(ends), "address.context")
            if span:
                spans.append(span)
    return spans
