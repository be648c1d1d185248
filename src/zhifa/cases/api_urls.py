"""Routes of the case API, mounted under /api/v1/ by `zhifa.api_urls` (namespace "api")."""

from django.urls import path

from zhifa.cases import api

urlpatterns = [
    path("procedures/", api.ProcedureList.as_view(), name="procedure_list"),
    path("procedures/<str:code>/", api.ProcedureDetail.as_view(), name="procedure_detail"),
    path("cases/", api.CaseList.as_view(), name="case_list"),
    path("cases/summary/", api.SummaryCaseCreate.as_view(), name="case_summary"),
    path("cases/<int:pk>/", api.CaseDetail.as_view(), name="case_detail"),
    path("cases/<int:pk>/options/", api.CaseOptions.as_view(), name="case_options"),
    path(
        "cases/<int:pk>/transitions/<str:code>/",
        api.CaseTransition.as_view(),
        name="case_transition",
    ),
    path("cases/<int:pk>/timeline/", api.CaseTimeline.as_view(), name="case_timeline"),
    path("cases/<int:pk>/evidence/", api.CaseEvidenceUpload.as_view(), name="case_evidence"),
    path("cases/<int:pk>/documents/", api.CaseDocuments.as_view(), name="case_documents"),
    path("documents/<int:pk>/docx/", api.DocumentDocx.as_view(), name="document_docx"),
    path("documents/<int:pk>/pdf/", api.DocumentPdf.as_view(), name="document_pdf"),
    path("parties/<int:pk>/", api.PartyDetail.as_view(), name="party_detail"),
]
