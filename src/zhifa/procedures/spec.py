"""The shape of a procedure definition (程序定义): data, not code.

Procedures are data (architecture.md): a definition lists the states of a
case and the transitions between them — who may fire each one, the guards
that must pass (by code; the case engine binds each code to the function
that checks it), the form it takes, the documents it issues, the ledger
event it writes, the deadlines it starts and stops, and the domain event it
emits after commit. The case engine (`zhifa.cases.engine`) executes these
definitions and nothing else; the public flowchart (`zhifa.catalog.flowchart`)
is drawn from the same objects, so what is published is what is enforced.

This package imports nothing from Django models, so every app may read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class State:
    code: str
    label: str
    optional: bool = False  # a step taken only in some cases (drawn dashed)
    note: str = ""  # short condition shown under the label
    terminal: bool = False  # nothing can be fired from here
    # The case is "open" (its decision deadline runs, recusal may be raised).
    open: bool = True


@dataclass(frozen=True)
class DeadlineStart:
    """A deadline the transition starts: `code` names it in the case,
    `rule` is the statutes.toml period, `anchor` the date it runs from."""

    code: str
    rule: str
    label: str
    anchor: str = "date"  # a date field of the form, or "today"
    when: str = ""  # optional condition code evaluated by the engine
    # Whose time it is. "": the agency's duty (late is late). "right": a period
    # the party has (陈述申辩, 听证申请): when it runs out the agency may go
    # on, nobody is late. "duty": the party's own obligation (缴纳罚款): when it
    # runs out it is the party who is late, not the agency.
    party: str = ""


@dataclass(frozen=True)
class Transition:
    code: str
    sources: tuple[str, ...]
    target: str  # "" = stays in its state (a record taken during a step)
    label: str
    roles: tuple[str, ...]
    guards: tuple[str, ...] = ()
    form: str = ""  # form code; "" = no fields beyond an optional note
    documents: tuple[str, ...] = ()  # document types issued by this transition
    event: str = ""  # ledger action; default "case.<code>"
    starts: tuple[DeadlineStart, ...] = ()
    stops: tuple[str, ...] = ()  # deadline codes this transition satisfies
    emits: tuple[str, ...] = ()  # domain events sent after commit
    limit: str = ""  # statutory time limit as shown to the public
    rules: tuple[str, ...] = ()  # statutes.toml ids the limit comes from
    recording_step: str = ""  # AvRecordingRule step code this transition closes
    public: bool = True  # drawn on the public flowchart
    help: str = ""  # one sentence for the officer: what this step is
    # A step that belongs to another app's service, which writes what goes with
    # it (e.g. the review request of 提交法制审核): `service` names it
    # ("app.function"), and the engine refuses the step unless that service
    # fires it. `page` is the URL name of the page where staff do it (it takes
    # the case id), `via` says in Chinese what that page is. The generic step
    # page and the API point there instead of firing the step themselves.
    service: str = ""
    page: str = ""
    via: str = ""
    # Where the law itself names who takes the step (e.g. 回避 decided by the
    # agency head, 行政处罚法 第四十三条): the role refusal cites it instead of
    # the general role guard's source.
    role_basis: str = ""

    @property
    def role_citation(self) -> str:
        """The source the role refusal of this step cites."""
        from zhifa.procedures.guards import GUARDS

        return self.role_basis or GUARDS["role_in_agency"][1]

    @property
    def ledger_action(self) -> str:
        return self.event or f"case.{self.code}"

    @property
    def direct(self) -> bool:
        """May the generic step page and the API fire it (no owning service)?"""
        return not self.service

    @property
    def is_record(self) -> bool:
        """A record taken inside a step: the state does not change."""
        return not self.target

    # The flowchart draws one edge per source; these two keep the older
    # single-source reading of a transition working for it.
    @property
    def source(self) -> str:
        return self.sources[0]


@dataclass(frozen=True)
class Procedure:
    code: str
    label: str
    kind: str  # 执法类型 (penalty, license, coercion, inspection)
    initial: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    # Whether the case engine runs this procedure. A definition the engine does
    # not run yet is still the published flowchart; the catalog says so.
    executable: bool = True
    citation: str = ""
    guards: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (label, citation)

    def state(self, code: str) -> State:
        for state in self.states:
            if state.code == code:
                return state
        raise KeyError(code)

    def transition(self, code: str) -> Transition:
        for t in self.transitions:
            if t.code == code:
                return t
        raise KeyError(code)

    def from_state(self, code: str) -> list[Transition]:
        return [t for t in self.transitions if code in t.sources]

    def edges(self) -> list[tuple[str, str, Transition]]:
        """(source, target, transition) for every state change, in definition order."""
        return [(s, t.target, t) for t in self.transitions if t.target for s in t.sources]
