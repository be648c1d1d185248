"""The JSON API, version 1: mounted at /api/v1/ (namespace "api").

Each app's routes live in its `api_urls.py`; the OpenAPI schema is served
here. There is no Swagger UI or Redoc page: drf-spectacular loads them from a
CDN unless drf-spectacular-sidecar is installed, and the platform serves no
asset from a CDN (style.md). Render /api/v1/schema/ with any OpenAPI viewer,
or write it to a file with `zhifa spectacular --file schema.yml`.
"""

from django.urls import include, path

from zhifa.core.api import SchemaView

app_name = "api"

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("", include("zhifa.cases.api_urls")),
]
