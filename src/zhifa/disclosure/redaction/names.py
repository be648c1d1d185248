"""Names of natural persons, found by their context (no dictionary, no model).

A name here is a surname from `names_data.SURNAMES` (or a two-character
surname such as 欧阳) followed by one or two given-name characters. It is
looked for only where a person's name is expected:

- right after a role word (`name.role`): 证人, 被询问人, 驾驶员, 户主, 员工,
  经办人, 委托代理人, 律师, 举报人, 消费者, 联系人, 之妻, 之子, 姓名 …
  (names_data.OTHER_ROLES), optionally with a colon; lists go on after
  、/和/及/与, also past a bracketed remark (证人李四（…）、王五);
- after 当事人, 被处罚人, 经营者 (`name.party`): the party's own name, masked
  or kept as `Policy.party_name` says; without a colon the name must be
  followed by punctuation (当事人张三，), as these words are mostly followed
  by verbs (当事人安装…);
- before a sex or an ID number (`name.person`): 李四，男，… / 李四（身份证…,
  when the name starts a clause;
- anywhere else a name found above occurs again (`name.repeat`).

After 法定代表人, 负责人, 投资人, 执行事务合伙人 the name is *kept*: legal
representatives of organisations are published (issue 8, PUB-10), and the
same string is then never masked by a detector.

How long is the given name? One or two characters, whichever is followed by
a boundary: punctuation, a digit or the end (strong), or a word that often
follows a name such as 称, 证实, 在, 驾驶, 明确 (weak; names_data.FOLLOW_WORDS).
A strong boundary beats a weak one; between equals the longer name wins.
Given names never contain the characters of `STOP_GIVEN` (称, 说, 的, 在, …),
so 证人李四称 is 李四, not 李四称. Anything containing 某 is an anonymised
name already and is left. A candidate that begins a common word
(`COMMON_WORDS`: 于现场, 陈述, 应当, 安装, 宿舍, 杭州 …) is refused.

Not caught: names with no role word, sex or ID number next to them (张三称…
in the middle of a text with no earlier mention), surnames outside the list,
given names of three or more characters, names in pinyin or other scripts,
and a given name whose second character is a weak follower when the next
character is not (张大为今天 → 张大 only). Names of organisations' staff that
look like a role word followed by a common word may be masked by mistake; a
reviewer confirms every mask before publication.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import masks
from .names_data import (
    COMMON_WORDS,
    COMPOUND_SURNAMES,
    FOLLOW_WORDS,
    KEEP_ROLES,
    OTHER_ROLES,
    PARTY_ROLES,
    STOP_GIVEN,
    SURNAMES,
)
from .text import CJK
from .types import Span

_ROLE_CLASS = {
    **dict.fromkeys(OTHER_ROLES, "other"),
    **dict.fromkeys(PARTY_ROLES, "party"),
    **dict.fromkeys(KEEP_ROLES, "keep"),
}
_ROLE = re.compile(
    "(?P<role>"
    + "|".join(sorted(_ROLE_CLASS, key=len, reverse=True))
    + r")(?P<colon>\s*[:：]\s*|\s?)"
)
_FOLLOW = re.compile("|".join(re.escape(w) for w in FOLLOW_WORDS))
_COMMON = re.compile("|".join(sorted(COMMON_WORDS, key=len, reverse=True)))
_CJK_CHAR = re.compile(f"[{CJK}]")
_STOP_CLASS = "".join(sorted(STOP_GIVEN))
_DOTTED = re.compile(f"(?:(?![{_STOP_CLASS}])[{CJK}]){{1,5}}[·•・]")
# What follows a person's name at the start of a clause: a sex or an ID number
# (李四，男，… / 李四（身份证…). The name before it is found in `_person_names`.
_PERSON_MARK = re.compile(
    r"[,，(（]\s?(?:性别\s?[:：]?\s?)?[男女](?=[,，;；、)）\s]|$)|[,，(（]\s?(?:公民)?身份"
)
_CLAUSE_START = frozenset(" \t\n\r,，.。;；:：、!！?？")

STRONG, WEAK = 2, 1
# After a name in a list: an optional bracketed remark, then 、 和 及 与.
_LIST_NEXT = re.compile(r"(?:[(（][^()（）]{0,40}[)）])?[、和及与]")


def _next_in_list(text: str, end: int) -> int | None:
    """Where the next name of a list starts (证人李四（…）、王五), or None."""
    m = _LIST_NEXT.match(text, end)
    return m.end() if m else None


def _boundary(text: str, i: int) -> int:
    if i >= len(text) or not _CJK_CHAR.match(text, i):
        return STRONG
    return WEAK if _FOLLOW.match(text, i) else 0


def _surname_at(text: str, i: int) -> str | None:
    if text[i : i + 2] in COMPOUND_SURNAMES:
        return text[i : i + 2]
    return text[i] if i < len(text) and text[i] in SURNAMES else None


def name_at(text: str, i: int, *, strict: bool = False) -> tuple[int, int] | None:
    """The name starting at `i`, as (start, end), or None.

    strict: only a name followed by a strong boundary (punctuation, digit, end).
    """
    if _COMMON.match(text, i):
        return None
    dotted = _DOTTED.match(text, i)
    if dotted:  # 买买提·艾力: any first part, then up to 6 characters
        head, lengths = dotted.end() - i, range(1, 7)
    else:
        surname = _surname_at(text, i)
        if surname is None:
            return None
        head, lengths = len(surname), range(1, 3)
    best: tuple[int, int] | None = None  # (boundary, end)
    for length in lengths:
        end = i + head + length
        given = text[i + head : end]
        if len(given) < length or not _CJK_CHAR.match(given[-1]) or given[-1] in STOP_GIVEN:
            break
        boundary = _boundary(text, end)
        if strict and boundary < STRONG:
            continue
        if boundary and (best is None or boundary >= best[0]):
            best = (boundary, end)
    return (i, best[1]) if best else None


def _person_names(folded: str) -> list[tuple[int, int]]:
    """Names that start a clause and are followed by a sex or an ID number."""
    hits = []
    for m in _PERSON_MARK.finditer(folded):
        end = m.start() - (folded[m.start() - 1 : m.start()] == " ")
        for length in (2, 3, 4):
            start = end - length
            if start < 0:
                break
            if start == 0 or folded[start - 1] in _CLAUSE_START:
                hit = name_at(folded, start)
                if hit and hit[1] == end:
                    hits.append(hit)
                    break
    return hits


def detect_names(
    folded: str, *, mask_party: bool, keep: set[str] | None = None
) -> tuple[list[Span], set[str]]:
    """Names of natural persons in the folded text.

    Returns the spans to mask and the set of names to keep (found after a
    representative's role, or the party's when `mask_party` is False, plus
    the given `keep`); no span is returned for a name in that set.
    """
    keep = set(keep or ())
    found: dict[tuple[int, int], str] = {}
    search_from = 0
    while m := _ROLE.search(folded, search_from):
        # Roles may overlap (其妻子李四: 其妻, then 妻子), so the next search
        # starts inside this one unless a name was found after it.
        search_from = m.start() + 1
        role_class = _ROLE_CLASS[m.group("role")]
        strict = role_class == "party" and not m.group("colon").strip()
        pos = m.end()
        while True:
            hit = name_at(folded, pos, strict=strict)
            if not hit:
                break
            search_from = hit[1]
            start, end = hit
            if role_class == "keep" or (role_class == "party" and not mask_party):
                keep.add(folded[start:end])
            else:
                found.setdefault(hit, "name.party" if role_class == "party" else "name.role")
            pos = _next_in_list(folded, end)
            if pos is None:
                break
    for hit in _person_names(folded):
        found.setdefault(hit, "name.person")
    names = {folded[s:e] for s, e in found} - keep
    spans = [
        Span(s, e, "name", rule, masks.mask_name(folded[s:e]))
        for (s, e), rule in found.items()
        if folded[s:e] in names
    ]
    for name in sorted(names):
        i = folded.find(name)
        while i != -1:
            if (i, i + len(name)) not in found:
                spans.append(Span(i, i + len(name), "name", "name.repeat", masks.mask_name(name)))
            i = folded.find(name, i + len(name))
    return spans, keep


# What follows a 字号 in the name of a shop or small business (行业 and 组织形式:
# 玉兰副食店, 建国烧烤店, 秀英理发馆, 德成商行, 小军五金经营部).
_BUSINESS_SUFFIX = (
    "店|馆|铺|坊|摊|超市|商行|商店|经营部|门市部|批发部|服务部|维修部|修理部|工作室|诊所|"
    "药房|酒家|酒楼|餐厅|农家乐|养殖场|加工厂|作坊"
)
# Between the 字号 and the suffix: at most six characters of trade words
# (副食, 烧烤, 五金建材), never a function word or punctuation.
_TRADE = re.compile(
    f"(?:(?![的了在于称对将是为和与及把被从向到])[{CJK}]){{0,6}}?(?:{_BUSINESS_SUFFIX})"
)


def given_name(name: str) -> str:
    """The given name of a Chinese name (张三丰 → 三丰, 欧阳修文 → 修文); '' for
    names this cannot split (买买提·艾力, Latin letters)."""
    core = "".join(name.split())
    if not core or any(c in core for c in "·•・.") or not _CJK_CHAR.match(core[-1]):
        return ""
    surname = core[:2] if core[:2] in COMPOUND_SURNAMES and len(core) > 2 else core[0]
    return core[len(surname) :]


def business_names(
    folded: str, names: Iterable[str], inside: Iterable[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Where the given name of a masked person stands as the 字号 of a shop.

    PUB-08 masks natural persons' names; an individual business is a natural
    person (民法典第五十四条) and its 字号 is often the operator's given name:
    钱某某（玉兰副食店） still names 钱玉兰. So a given name of two or more
    characters is masked where it is followed by trade words and a shop's
    suffix (玉兰副食店), or anywhere inside a known business name (`inside`).
    One-character given names are left (伟记 could be anyone's), and so is a
    given name that is also a common shop name of another owner (the
    reviewer unmasks it, with a reason).
    """
    givens = {g for g in map(given_name, names) if len(g) >= 2}
    if not givens:
        return []
    inside = list(inside)
    pattern = re.compile("|".join(map(re.escape, sorted(givens, key=len, reverse=True))))
    return [
        m.span()
        for m in pattern.finditer(folded)
        if _TRADE.match(folded, m.end()) or any(s <= m.start() and m.end() <= e for s, e in inside)
    ]
