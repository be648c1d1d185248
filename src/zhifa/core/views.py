from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from zhifa.core import home as home_registry
from zhifa.core.access import Access, public, staff

LARGE_TEXT_COOKIE = "zhifa_large_text"


@staff()
def home(request):
    panels = []
    for assignment in request.user.active_roles():
        panels.append(
            {
                "assignment": assignment,
                "sections": home_registry.sections_for_role(request.user, assignment),
            }
        )
    roles = [panel["assignment"].role for panel in panels]
    return render(
        request,
        "core/home.html",
        {
            "panels": panels,
            "general": home_registry.sections_for_everyone(request.user),
            "actions": home_registry.actions_for(roles),
        },
    )


class LoginView(auth_views.LoginView):
    access = Access.public()
    template_name = "core/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    access = Access.public()


@public
def large_text(request):
    """Switch 适老化 mode (large text, high contrast) on or off; kept in a cookie.

    A plain link (GET) so it works without JavaScript and keeps portal pages
    cacheable; it only changes how pages look for this reader.
    """
    on = request.GET.get("on") == "1"
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if on:
        response.set_cookie(LARGE_TEXT_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response
