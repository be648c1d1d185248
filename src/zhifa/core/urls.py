from django.urls import path

from zhifa.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
