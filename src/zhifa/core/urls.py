from django.urls import path

from zhifa.core import views

urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/login/", views.LoginView.as_view(), name="login"),
    path("staff/logout/", views.LogoutView.as_view(), name="logout"),
    path("a11y/large-text/", views.large_text, name="large_text"),
]
