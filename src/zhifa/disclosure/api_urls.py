"""Routes of the public open-data API, mounted under /api/v1/ by `zhifa.api_urls`."""

from django.urls import path

from zhifa.disclosure import api

urlpatterns = [
    path("public/schema/", api.PublicSchemaView.as_view(), name="public_schema"),
    path("public/publications/", api.PublicationList.as_view(), name="public_publications"),
    path("public/notices/", api.NoticeList.as_view(), name="public_notices"),
    path(
        "public/publications/<uuid:series>/",
        api.PublicationDetail.as_view(),
        name="public_publication",
    ),
]
