from django.urls import path

from zhifa.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/<uuid:public_id>/", views.agency_detail, name="agency_detail"),
]
