"""Deny by default: every staff-side view declares who may use it.

A function view is wrapped with `@public` or `@staff(...)`; a class-based view
sets `access = Access.public()` or `access = Access.staff(...)`. The
middleware refuses any view that declared nothing, and a test walks the URL
configuration to make sure none is left undeclared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Access:
    public_: bool = False
    roles: frozenset[str] = frozenset()  # empty: any signed-in user

    @classmethod
    def public(cls) -> Access:
        return cls(public_=True)

    @classmethod
    def staff(cls, *roles: str) -> Access:
        return cls(roles=frozenset(roles))

    def allows(self, user) -> bool:
        if self.public_:
            return True
        if not user.is_authenticated:
            return False
        if not self.roles or user.is_superuser:
            return True
        return user.has_role(*self.roles)


def _mark(rule: Access) -> Callable:
    def decorate(view: Callable) -> Callable:
        view.zhifa_access = rule
        return view

    return decorate


def public(view: Callable) -> Callable:
    """Open to everyone, signed in or not (the public portal, login)."""
    return _mark(Access.public())(view)


def staff(*roles: str) -> Callable:
    """Signed-in users; if roles are given, only holders of one of them."""
    return _mark(Access.staff(*roles))


def access_rule_for(view: Callable) -> Access | None:
    rule = getattr(view, "zhifa_access", None)
    if rule is None and hasattr(view, "view_class"):
        rule = getattr(view.view_class, "access", None)
    return rule


def is_exempt(match) -> bool:
    """The Django admin enforces its own staff login and permissions."""
    return match is not None and "admin" in match.namespaces


class AccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_exempt(request.resolver_match):
            return None
        rule = access_rule_for(view_func)
        if rule is None:
            log.error("view %s declares no access rule; refused", request.resolver_match)
            raise PermissionDenied("该页面未声明访问权限，已拒绝访问。")
        if rule.public_:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rule.allows(request.user):
            raise PermissionDenied("您的角色无权访问此页面。")
        return None
