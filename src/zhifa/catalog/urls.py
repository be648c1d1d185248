"""Public 事前公开 pages of the catalog; mounted at the site root."""

from django.urls import path

from zhifa.catalog import views_public

app_name = "catalog"
urlpatterns = [
    path(
        "agencies/<uuid:public_id>/items/",
        views_public.agency_items,
        name="agency_items",
    ),
    path(
        "agencies/<uuid:public_id>/major-decisions/",
        views_public.major_decisions,
        name="major_decisions",
    ),
    path("items/<uuid:public_id>/", views_public.item_detail, name="item"),
]
