"""Disclosure pages, mounted at the site root (namespace "disclosure"):
the public 执法结果 under results/, the staff pages under staff/disclosure/."""

from django.urls import path

from zhifa.disclosure import views_public, views_staff

app_name = "disclosure"
urlpatterns = [
    # Public: 执法结果.
    path("results/", views_public.results, name="results"),
    path("results/download.csv", views_public.export_csv, name="export_csv"),
    path("results/download.json", views_public.export_json, name="export_json"),
    path("results/<uuid:series>/", views_public.detail, name="detail"),
    path("results/<uuid:series>/report/", views_public.report, name="report"),
    path("results/<uuid:series>/reply/", views_public.reply, name="reply"),
    path("results/<uuid:series>/thanks/", views_public.thanks, name="thanks"),
    # Staff.
    path("staff/disclosure/", views_staff.queue, name="queue"),
    path("staff/disclosure/exemptions/", views_staff.exemptions, name="exemptions"),
    path("staff/disclosure/feedback/", views_staff.feedback, name="feedback"),
    path(
        "staff/disclosure/reports/<uuid:public_id>/answer/",
        views_staff.report_answer,
        name="report_answer",
    ),
    path(
        "staff/disclosure/replies/<uuid:public_id>/moderate/",
        views_staff.reply_moderate,
        name="reply_moderate",
    ),
    path("staff/disclosure/<uuid:public_id>/", views_staff.review, name="review"),
    path("staff/disclosure/<uuid:public_id>/<slug:op>/", views_staff.act, name="act"),
]
