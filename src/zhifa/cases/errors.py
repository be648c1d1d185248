"""What the case engine says when it refuses: always in Chinese, always with
the guard or field that refused and, for a rule of law, its citation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    guard: str
    message: str
    citation: str = ""

    def __str__(self) -> str:
        return f"{self.message}（{self.citation}）" if self.citation else self.message


class CaseError(Exception):
    """Base: nothing was changed."""

    def __init__(self, refusals: list[Refusal]):
        self.refusals = refusals
        super().__init__("；".join(str(r) for r in refusals))

    @property
    def messages(self) -> list[str]:
        return [str(r) for r in self.refusals]

    @property
    def guards(self) -> list[str]:
        return [r.guard for r in self.refusals]


class TransitionRefused(CaseError):
    """A guard of the law refused the step."""


class InvalidInput(CaseError):
    """The form data is wrong: `errors` maps field names to Chinese messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__([Refusal(f"field:{f}", m) for f, ms in errors.items() for m in ms])


class DuplicateSubmission(CaseError):
    def __init__(self):
        super().__init__(
            [Refusal("duplicate", "该表单已经提交过，未重复办理。请刷新页面查看结果。")]
        )
