"""What every JSON API view (/api/v1/) shares: access, errors, pagination.

Access. `AccessMiddleware` runs before a view and sees only the session: a
mobile app or an integration authenticates with `Authorization: Token …`,
which DRF reads inside the view, so the middleware cannot judge API
requests. API views therefore tell the middleware `access = Access.public()`
("not yours to check") and declare their real rule as `api_access`, which
the `DeclaredAccess` permission applies after DRF has authenticated the
request (token or session). The rule is the same `Access` object the staff
pages use, so deny by default still holds: an API view without `api_access`
is refused for everyone, and an anonymous request gets 401 with a Chinese
message. `ApiView` sets all of this up; derive every API view from it.

Errors. Every error body is JSON in Chinese: `{"detail": "..."}` for
401/403/404/405, and `{"errors": {field: [messages]}}` for 400, where nested
fields are joined with dots (`party.name`), as the services name them.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from zhifa.core.access import Access
from zhifa.core.api_defaults import DeclaredAccess

NOT_AUTHENTICATED = (
    "未登录或未提供令牌：请在请求头中提供“Authorization: Token 令牌”，"
    "令牌由系统管理员用 zhifa api_token 用户名 签发。"
)


class ApiView(APIView):
    # The middleware cannot see a token; `DeclaredAccess` checks `api_access`.
    access = Access.public()
    api_access: Access = Access.staff()
    permission_classes = [DeclaredAccess]


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"party.name": ["..."]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "__all__" if key == "non_field_errors" else str(key)
            out.update(flatten_errors(value, f"{prefix}.{name}" if prefix else name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(d, (dict, list)) for d in detail):
            return {prefix or "__all__": [str(d) for d in detail]}
        out = {}
        for index, value in enumerate(detail):
            out.update(flatten_errors(value, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix or "__all__": [str(detail)]}


def exception_handler(exc, context) -> Response | None:
    if isinstance(exc, exceptions.NotAuthenticated):
        replaced = exceptions.NotAuthenticated(NOT_AUTHENTICATED)
        replaced.auth_header = getattr(exc, "auth_header", None)  # → WWW-Authenticate
        exc = replaced
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": flatten_errors(exc.detail)}
    return response


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of /api/v1/, for signed-in users and token holders."""

    access = Access.public()
    api_access = Access.staff()
    permission_classes = [DeclaredAccess]
