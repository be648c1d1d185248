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
After 经营场所, 注册地址, 办公地址 …, and after 住所/地址 (also 住所为…, 地址位于…)
in a clause that is not about a natural person (an organisation's registered
address, public on its licence), the chain is never masked; an address the
case knows as an organisation's (`Known.organisation_addresses`) is never
masked at all (engine.redact). A business address without a
residential sign (文三路100号) is left too: the place of business or of the
violation is part of the published facts.

`address.context` — after 住址/家住/现住/户籍地/居住地/暂住 (or 住所/地址 in
a natural person's clause), the detail up to the end of the phrase: through
the last numbered unit or place word (家住张家村 → 家住***).

The kept prefix is the longest run of whole administrative division names
the address starts with (`_admin_end`): each a name of 1–7 CJK characters (12
before 自治…) and a suffix (省, 自治区, 市, 州, 地区, 盟, 区, 县, 旗, 镇, 乡,
街道, 苏木, 新区, 开发区). Numerals and place words may be in a name (五莲县,
八里甸子镇, 庄浪县, 张村驿镇, 路桥区); digits, house units, 住 and residential
compounds may not (花园东区, 朝晖九区 are compounds); 小区, 社区, 园区, 景区, 校区,
厂区, 市场, 超市, 城市 are not divisions. The prefix is the longest such run (小市镇, not 小市 + 镇南街) and never ends
right before a road word (杭州|路), so a mask never starts inside a division's
name; a name ending in another division's suffix is a street (新宁镇 + 县府路,
城区 + 县前街). A chain of Chinese numerals
running on into a name (二户来村) is no house number.

Not caught: addresses with neither numbers nor a residential word before them
(在张家村收购 — a village named as a place), addresses spread over several
clauses, rural addresses written only as 村+name without 组 or 号, and
addresses in other scripts.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
# Administrative suffixes, longest first at each position (自治县 before 县).
_ADMIN_SUFFIX = re.compile(
    "特别行政区|自治区|自治州|自治县|自治旗|地区|街道|苏木|新区|开发区|省|市|州|区|县|旗|盟|镇|乡"
)
# Not a suffix before these (市场, 区域, 乡村) …
_NOT_ADMIN_AFTER = frozenset("村场域")
# … and not the end of the prefix before these (杭州路, 某县道; but 台州市路桥区).
_NOT_PREFIX_END_BEFORE = frozenset("路街巷道")
# … or preceded by these (小区, 社区, 园区, 超市, 城市).
_NOT_ADMIN_BEFORE = {
    # 朝晖九区, 花园东区: sections of a residential compound.
    "区": set("小社园景校厂营院片矿库站宅活属住舍一二三四五六七八九十"),
    "市": set("超门夜城菜"),
}
# What a division's name never holds: digits and letters, house numbers,
# residential compounds (花园东区 is a compound's section, not a district).
_NOT_IN_ADMIN_NAME = re.compile(
    "[0-9A-Za-z#*-]|号|栋|幢|室|单元|层|住|址|市场|花园|小区|社区|家园|公寓|宿舍|大厦|广场|苑"
)
# A place word may start a division's name (庄浪县, 屯昌县, 坊子区) or stand in
# its last two characters (张村驿镇, 石家庄市); anywhere else it ends a
# village or street whose name runs on (张家村家住某某县 is no county).
_PLACE_IN_NAME = re.compile("村|庄|屯|湾|坊|园|组|弄")
# A name never ends with 区, 县, 镇, 省, 盟 or 街道 (but 宁乡市, 通州区, 红旗镇,
# 小市镇 end with 乡, 州, 旗, 市), nor with 市 before 市, 区 or 县 (青岛市市南区
# is 青岛市 + 市南区).
# Road words may start a division's name (路桥区, 路南区) or stand in the name
# of a 街道 (人民路街道); elsewhere they mean a street (解放路北段区政府…).
_ROAD_WORD = re.compile("路|街|巷|大道|胡同")
_ADMIN_NAME_MAX = 7  # 八里甸子镇, 呼和浩特市, 某某达斡尔族乡
_AUTONOMOUS_NAME_MAX = 12  # 双江拉祜族佤族布朗族傣族自治县
_NAME_EVENT = re.compile(
    "(?P<bad>市场|花园|小区|社区|家园|公寓|宿舍|大厦|广场|单元)"
    f"|(?P<suffix>{_ADMIN_SUFFIX.pattern})"
    f"|(?P<bad1>[^{CJK}]|号|栋|幢|室|层|住|址|苑)"
    f"|(?P<road>{_ROAD_WORD.pattern})"
    f"|(?P<place>{_PLACE_IN_NAME.pattern})"
)
_STOP = set(
    "住址于在位系为是的与及至到从往称即对将由其并或等:;,.!?、。；：，！？\"'“”《》〔〕()（）[]【】"
)
_LEFT_MAX = 30
_ADDRESS_CHAR = re.compile(f"[{CJK}0-9A-Za-z#-]")
_CJK_CHAR = re.compile(f"[{CJK}]")


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
# A verb linking a context word to its address: 住所为…, 地址位于…, 住址是…
_LINK = re.compile("位于|设于|设在|坐落于|为|是|系|在|于")
# Where the detail after 住址/家住 … ends; a mask (*) ends it too, so a second
# run over redacted text finds nothing new.
_PHRASE_END = re.compile(r"[,，。;；:：\n、()（）〔〕\[\]【】《》“”\"'*]|\s")


@lru_cache(maxsize=4096)
def _admin_units(text: str, start: int, stop: int) -> tuple[int, ...]:
    """Where the name of an administrative division starting at `start` may
    end (浙江省, 本溪满族自治县, 张村驿镇, 五莲县, 观音阁街道; 小市 and 小市镇).

    A name is 1–7 CJK characters (12 before 自治…), numerals and place words
    included (八里甸子镇, 庄浪县, 屯昌县), then a suffix; nothing at or after
    `stop` is looked at. Cached: the detectors ask about the same positions of
    the same (folded) text again and again, and a str caches its hash.
    """
    ends: list[int] = []
    limit = min(stop, start + _AUTONOMOUS_NAME_MAX + 5)
    road_seen = False
    places: list[int] = []
    # One scan over what matters, in order: the suffixes, and the words a
    # name may not hold (bad), may hold only first (road) or late (place).
    for m in _NAME_EVENT.finditer(text, start, limit):
        at, what = m.start(), m.lastgroup
        if what in ("bad", "bad1"):
            break  # every later candidate would hold it
        if at == start:
            if what == "suffix":
                break  # a name needs a character before its suffix
            continue  # 路桥区, 庄浪县: a road or place word may start a name
        if what == "road":
            road_seen = True
            continue
        if what == "place":
            places.append(at)
            continue
        suffix = m.group()
        longest = _AUTONOMOUS_NAME_MAX if suffix.startswith(("自治", "特别")) else _ADMIN_NAME_MAX
        if at - start > longest:
            break
        if road_seen and suffix != "街道":
            break
        if any(p < at - 2 for p in places):
            break
        if m.end() < stop and text[m.end()] in _NOT_ADMIN_AFTER:
            continue
        last = text[at - 1]
        if (last in "区县镇省盟" or text.endswith("街道", start, at)) and not (
            suffix == "街道" and last == "区"
        ):
            continue  # 城区县前街, 新宁镇县府路: a street after a division (but 东区街道)
        if last == "市" and suffix in ("市", "区", "县"):
            continue
        if last in _NOT_ADMIN_BEFORE.get(suffix, ()):
            continue
        ends.append(m.end())
    return tuple(ends)


def _admin_end(text: str, start: int = 0, stop: int | None = None) -> int:
    """Length of the administrative prefix of the address text[start:stop]
    (0 when there is none): the longest run of whole division names it
    starts with, so a kept prefix never ends inside a name (本溪满族自治县小市镇,
    not …小市 + 镇南街)."""
    stop = len(text) if stop is None else stop
    best, frontier, seen = start, [start], {start}
    while frontier:
        pos = frontier.pop()
        for end in _admin_units(text, pos, stop):
            if end not in seen:
                seen.add(end)
                frontier.append(end)
                # 杭州路, 某县道: the suffix starts a street's name; only a
                # division name following it (台州市路桥区) makes it one.
                if end == stop or text[end] not in _NOT_PREFIX_END_BEFORE:
                    best = max(best, end)
    return best - start


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
    between = window[last.end() :].strip(" :：")
    link = _LINK.match(between)
    if link:
        between = between[link.end() :]
    if any(c in _STOP for c in between):
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
    """Where the words before a chain begin: back to a stop, unless the stop
    character begins a division's name (于洪区, 东至县, 即墨区, 从江县): the
    head then starts with the whole name, never in the middle of it."""
    i = start
    while i > 0 and start - i < _LEFT_MAX:
        c = folded[i - 1]
        if not _ADDRESS_CHAR.match(c):
            break
        if c in _STOP and not (
            _CJK_CHAR.match(c) and {i + 1, i + 2} & set(_admin_units(folded, i - 1, start))
        ):
            break  # (a short name only: 为长兴县 is 为 + 长兴县)
        i -= 1
    return i


def _span(folded: str, start: int, end: int, rule: str) -> Span | None:
    keep = _admin_end(folded, start, end)
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
                if _inside_a_name(folded, m):
                    break
                chains.append(m)
                pos = m.end()
                break
    return chains


def _inside_a_name(folded: str, m: re.Match[str]) -> bool:
    """Chinese numerals and a unit word running on into more words are part
    of a place's name (二户来村, 三组团), not a house number: the mask would
    cut the name in two."""
    if any(c.isdigit() for c in m.group()):
        return False
    after = folded[m.end() : m.end() + 1]
    return bool(after) and bool(_CJK_CHAR.match(after)) and after not in _STOP


def detect_addresses(folded: str) -> list[Span]:
    spans: list[Span] = []
    for m in _chains(folded):
        left = _left(folded, m.start())
        head, chain = folded[left : m.start()], m.group()
        units = _UNIT_WORD.findall(chain)
        apartment = len(units) >= 2 and bool(_RESIDENTIAL_UNIT.search(chain))
        context = _context(folded, left)
        if context == "business":
            continue
        residential = bool(
            context == "home" or _RESIDENTIAL_UNIT.search(chain) or _RESIDENTIAL_PLACE.search(head)
        )
        if apartment or (
            residential and bool(_PLACE.search(head) or _admin_end(folded, left, m.start()))
        ):
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
        link = _LINK.match(folded, start)  # 租住于…, 居住在…, 住址为…
        if link:
            start = link.end()
        stop = _PHRASE_END.search(folded, start, start + 60)
        stop_at = stop.start() if stop else min(len(folded), start + 60)
        # Place words inside the division names (庄河市, 屯城镇, 路桥区) are
        # not the detail: look for it after the whole administrative prefix.
        detail = start + _admin_end(folded, start, stop_at)
        ends = [c.end() for c in _chains(folded, detail, stop_at)]
        ends += [p.end() for p in _PLACE.finditer(folded, detail, stop_at)]
        if ends:
            span = _span(folded, start, max(ends), "address.context")
            if span:
                spans.append(span)
    return spans
