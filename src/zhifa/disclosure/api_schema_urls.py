"""The URL configuration the public OpenAPI schema is generated from: only the
open-data routes, at their real paths."""

from django.urls import include, path

urlpatterns = [path("open/api/v1/", include("zhifa.disclosure.api_urls"))]
