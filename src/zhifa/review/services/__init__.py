"""Every change of legal review state: one function per use case, each in one
transaction with its ledger record (the case is the record's subject, so a
case's chain shows every round). Keyword-only, `actor` first.

Refusals are the case engine's, so pages and the API treat them alike:

- `zhifa.cases.errors.InvalidInput` — the input is malformed or incomplete:
  `errors` maps a field (``materials``, ``missing``, ``note``, ``reviewer``,
  ``findings``, ``findings.<point>``, ``result``, ``suggestions``,
  ``reasons``, ``days``, ``via``, ``outcome``, ``decision``,
  ``participants``, …) to Chinese messages;
- `zhifa.cases.errors.TransitionRefused` — the law or the procedure refuses:
  `refusals` are `Refusal(guard, message, citation)`; the guard codes are
  listed in `REFUSAL_CODES`.

| function | who | what |
|---|---|---|
| `review_submit` | officer / unit head (the engine's roles) | 提交法制审核: fires `submit_legal_review`, snapshots the case, opens round n+1 |
| `review_return` | the assigned reviewer; legal unit head; agency head; an eligible reviewer if unassigned | 退回: materials incomplete, or the case changed after submission |
| `review_assign` | legal unit head, agency head; a reviewer claiming an unassigned request | 分配审核人员 |
| `conflict_declare` | the reviewer (or the legal unit head / agency head for them) | 审核人员回避 |
| `opinion_record` | the assigned reviewer | 审核要点 + 同意/存在问题 + 法制审核意见书 |
| `dispute_raise` | a unit head of the handling side | 对存在问题的意见提出异议 |
| `dispute_resolve` | agency head (alone or recording a 集体讨论) | 决定分歧 |
| `review_extend` | agency head | 批准延长审核期限 |
| `policy_set` | agency head | 本机关的审核期限、延长上限、人员比例 |
| `experience_record` | agency head | 平台启用前的行政处罚法制审核经历 (APL-23 "初次") |
"""

from zhifa.review.services._common import REFUSAL_CODES
from zhifa.review.services.disputes import dispute_raise, dispute_resolve
from zhifa.review.services.limits import policy_set, review_extend
from zhifa.review.services.opinion import opinion_record
from zhifa.review.services.reviewers import conflict_declare, experience_record, review_assign
from zhifa.review.services.submission import required_materials, review_return, review_submit

__all__ = [
    "REFUSAL_CODES",
    "conflict_declare",
    "dispute_raise",
    "dispute_resolve",
    "experience_record",
    "opinion_record",
    "policy_set",
    "required_materials",
    "review_assign",
    "review_extend",
    "review_return",
    "review_submit",
]
