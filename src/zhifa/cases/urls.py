from django.urls import path

from zhifa.cases import views, views_documents, views_evidence, views_transition

app_name = "cases"
urlpatterns = [
    path("staff/cases/", views.case_list, name="list"),
    path("staff/cases/export.xlsx", views.case_list_xlsx, name="list_xlsx"),
    path("staff/cases/new/", views.case_new, name="new"),
    path("staff/cases/on-spot/", views.case_on_spot, name="on_spot"),
    path("staff/cases/<int:pk>/", views.case_detail, name="detail"),
    path("staff/cases/<int:pk>/do/<slug:code>/", views_transition.transition, name="transition"),
    path(
        "staff/cases/<int:pk>/evidence/upload/",
        views_evidence.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "staff/cases/<int:pk>/evidence/bodycam/",
        views_evidence.bodycam_import,
        name="bodycam_import",
    ),
    path(
        "staff/cases/<int:pk>/evidence/<int:evidence_pk>/",
        views_evidence.evidence_detail,
        name="evidence_detail",
    ),
    path(
        "staff/cases/<int:pk>/documents/<int:doc_pk>/",
        views_documents.document_preview,
        name="document",
    ),
    path(
        "staff/cases/<int:pk>/documents/<int:doc_pk>.docx",
        views_documents.document_docx,
        name="document_docx",
    ),
    path(
        "staff/cases/<int:pk>/documents/<int:doc_pk>.pdf",
        views_documents.document_pdf,
        name="document_pdf",
    ),
]
