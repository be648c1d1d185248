"""Redaction (去标识化) of decisions before publication — a pure module, no database.

    from zhifa.disclosure.redaction import Known, Policy, redact

    result = redact(text, known=Known(names=["李四"], phones=["13800138000"]),
                    policy=Policy(party_name="mask"))
    result.text        # the redacted text
    result.spans       # [Span(start, end, kind, rule, replacement)], offsets into `text`
    result.manifest()  # [{kind, rule, reason, count, positions}] — never the removed values

Two layers (issue 8, rules.md PUB-03, PUB-08, PUB-11, §15.1 item 15):

1. everything the case knows (`Known`) is masked wherever it appears, also
   written with spaces, hyphens, full-width digits or +86 (known.py);
2. detectors catch what the case data missed: 公民身份号码, phones, bank
   cards and e-mail (numbers.py), residential addresses below the township
   (addresses.py), and names of natural persons by their context (names.py).

Organisation names, USCC, legal representatives of organisations, document
and case numbers, amounts, dates and legal citations are left; known
organisations, their addresses and individual businesses are *kept ranges*
no detector span cuts into, and a kept administrative prefix is always a run
of whole division names (addresses.py). A masked person's name is masked
also in a shop's 字号 (张三烧烤店 → 张某烧烤店; 玉兰副食店 → 某某副食店 for
钱玉兰; names.business_names, types.Known). Overlapping spans are merged
deterministically and known data wins over detectors (engine.merge).
Kinds: name, id_number, phone, bank_account, email, address.
The command line: `zhifa redact [--jsonl]` (cli.py).
"""

from .engine import apply_spans, merge, redact
from .masks import mask
from .types import KINDS, RULES, Known, Policy, Result, Span

__all__ = [
    "KINDS",
    "RULES",
    "Known",
    "Policy",
    "Result",
    "Span",
    "apply_spans",
    "mask",
    "merge",
    "redact",
]
