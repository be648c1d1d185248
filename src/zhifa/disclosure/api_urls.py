"""Routes of the public open-data API, mounted at /open/api/v1/ (namespace
"open"): apart from /api/v1/, where every route needs a token or a session."""

from django.urls import path

from zhifa.disclosure import api

app_name = "open"
urlpatterns = [
    path("schema/", api.PublicSchemaView.as_view(), name="schema"),
    path("publications/", api.PublicationList.as_view(), name="publications"),
    path("notices/", api.NoticeList.as_view(), name="notices"),
    path("publications/<uuid:series>/", api.PublicationDetail.as_view(), name="publication"),
]
