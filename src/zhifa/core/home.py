"""What each role has to do: the sections of the staff home page.

Apps register providers here from their AppConfig.ready(); the home page asks
every provider registered for each of the user's roles. Core knows roles only
as strings, so no app above it is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass
class TodoItem:
    text: str
    url: str = ""
    detail: str = ""
    due: date | None = None
    severity: str = "info"  # info / warn / danger


@dataclass
class TodoSection:
    title: str
    items: list[TodoItem] = field(default_factory=list)
    empty: str = "暂无待办事项。"
    citation: str = ""
    total: int | None = None  # when items are truncated, the full count

    @property
    def count(self) -> int:
        return self.total if self.total is not None else len(self.items)


# provider(user, assignment) -> TodoSection | None; assignment is None for
# providers registered for every signed-in user.
Provider = Callable[..., "TodoSection | None"]
_providers: list[tuple[frozenset[str] | None, Provider]] = []


def register(roles: Iterable[str] | None, provider: Provider) -> None:
    entry = (frozenset(roles) if roles is not None else None, provider)
    if entry not in _providers:
        _providers.append(entry)


def sections_for_role(user, assignment) -> list[TodoSection]:
    sections = []
    for roles, provider in _providers:
        if roles is not None and assignment.role in roles:
            section = provider(user, assignment)
            if section is not None:
                sections.append(section)
    return sections


def sections_for_everyone(user) -> list[TodoSection]:
    sections = []
    for roles, provider in _providers:
        if roles is None:
            section = provider(user, None)
            if section is not None:
                sections.append(section)
    return sections


@dataclass(frozen=True)
class Action:
    """A big button on the home page: the things a role does most often."""

    label: str
    url_name: str
    hint: str = ""


_actions: list[tuple[frozenset[str], Action]] = []


def register_action(roles: Iterable[str], action: Action) -> None:
    entry = (frozenset(roles), action)
    if entry not in _actions:
        _actions.append(entry)


def actions_for(roles: Iterable[str]) -> list[Action]:
    held = set(roles)
    seen: list[Action] = []
    for allowed, action in _actions:
        if allowed & held and action not in seen:
            seen.append(action)
    return seen
