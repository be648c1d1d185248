"""The classes settings.REST_FRAMEWORK names as defaults (see `zhifa.core.api`).

Kept apart from `zhifa.core.api` because DRF imports its default classes
while `rest_framework.views` and `generics` are still loading: this module
must import neither.
"""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission

from zhifa.core.access import Access


class DeclaredAccess(BasePermission):
    """Applies the view's `api_access` rule once DRF knows who is asking."""

    message = "您的角色无权使用此接口。"

    def has_permission(self, request, view) -> bool:
        rule: Access | None = getattr(view, "api_access", None)
        if rule is None:
            self.message = "该接口未声明访问权限，已拒绝访问。"
            return False
        if not rule.public_ and not request.user.is_authenticated:
            # DRF turns this into 401 NotAuthenticated (with WWW-Authenticate).
            return False
        return rule.allows(request.user)


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "页码无效。"
