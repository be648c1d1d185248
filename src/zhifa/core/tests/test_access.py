"""Deny by default: every URL declares who may use it, and undeclared views are refused."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path

from zhifa import urls as project_urls
from zhifa.core.access import AccessMiddleware, access_rule_for, staff
from zhifa.orgs.tests.factories import AgencyFactory, Role, UserFactory, grant


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # the admin site checks staff login and permissions itself
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def test_every_url_declares_an_access_rule():
    undeclared = [
        route for route, view in _walk(get_resolver().url_patterns) if access_rule_for(view) is None
    ]
    assert undeclared == [], f"these URLs have no access rule: {undeclared}"


def undeclared_view(request):
    return HttpResponse("secret")


@staff(Role.SUPERVISOR)
def supervisors_only(request):
    return HttpResponse("ok")


urlpatterns = [
    path("undeclared/", undeclared_view),
    path("supervisors/", supervisors_only),
    *project_urls.urlpatterns,
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_a_rule_is_refused_even_for_superusers(client):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/undeclared/").status_code == 403


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_role_rule_refuses_other_roles_and_redirects_anonymous(client):
    assert client.get("/supervisors/").status_code == 302
    officer = UserFactory()
    grant(officer, Role.OFFICER, agency=AgencyFactory())
    client.force_login(officer)
    assert client.get("/supervisors/").status_code == 403
    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, region=AgencyFactory().region)
    client.force_login(supervisor)
    assert client.get("/supervisors/").status_code == 200


def test_middleware_refuses_undeclared_view_directly():
    request = RequestFactory().get("/x/")
    request.resolver_match = None
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="未声明访问权限"):
        AccessMiddleware(lambda r: None).process_view(request, undeclared_view, (), {})


@pytest.mark.django_db
def test_staff_home_requires_login(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")
