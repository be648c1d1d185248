from django.urls import path

from zhifa.ledger import views, views_evidence

app_name = "ledger"
urlpatterns = [
    path("ledger/checkpoint", views.checkpoint_latest, name="checkpoint"),
    path("ledger/keys", views.keys, name="keys"),
    path("ledger/proof/inclusion", views.proof_inclusion, name="proof_inclusion"),
    path("ledger/proof/consistency", views.proof_consistency, name="proof_consistency"),
    path("verify/", views.verify_page, name="verify"),
    path("staff/ledger/entries/<int:seq>/receipt.json", views.entry_receipt, name="entry_receipt"),
    path("staff/evidence/upload/", views_evidence.evidence_upload, name="evidence_upload"),
    path(
        "staff/evidence/<uuid:public_id>/",
        views_evidence.evidence_download,
        name="evidence_download",
    ),
    path(
        "staff/evidence/<uuid:public_id>/info/",
        views_evidence.evidence_detail,
        name="evidence_detail",
    ),
]
