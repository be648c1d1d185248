from django.urls import path

from zhifa.officers import views, views_excel, views_public

app_name = "officers"
urlpatterns = [
    path("officers/", views_public.public_list, name="public_list"),
    path("officers/agency/<uuid:public_id>/", views_public.public_agency, name="public_agency"),
    path("officers/verify/", views_public.verify, name="verify"),
    path("officers/verify/key", views_public.verify_key, name="verify_key"),
    path("officers/verify/q/<str:token>", views_public.verify_qr, name="verify_qr"),
    path(
        "staff/officers/certificates/<uuid:public_id>/card.pdf",
        views_public.certificate_card,
        name="certificate_card",
    ),
    path("staff/officers/", views.officer_list, name="list"),
    path("staff/officers/new/", views.officer_new, name="new"),
    path("staff/officers/<uuid:public_id>/", views.officer_detail, name="detail"),
    path("staff/officers/<uuid:public_id>/issue/", views.certificate_issue, name="issue"),
    path("staff/officers/<uuid:public_id>/status/", views.certificate_status, name="status"),
    path("staff/officers/<uuid:public_id>/review/", views.annual_review, name="review"),
    path("staff/officers/<uuid:public_id>/exam/", views.exam_record, name="exam"),
    path("staff/officers/<uuid:public_id>/leave/", views.officer_leave, name="leave"),
    path("staff/certificates/<uuid:public_id>/", views.certificate_redirect, name="certificate"),
    path("staff/officers/excel/", views_excel.excel_home, name="excel"),
    path("staff/officers/excel/export.xlsx", views_excel.excel_export_all, name="excel_export_all"),
    path("staff/officers/excel/<uuid:agency_id>/", views_excel.excel_agency, name="excel_agency"),
    path(
        "staff/officers/excel/<uuid:agency_id>/template.xlsx",
        views_excel.excel_template,
        name="excel_template",
    ),
    path(
        "staff/officers/excel/<uuid:agency_id>/export.xlsx",
        views_excel.excel_export,
        name="excel_export",
    ),
]
