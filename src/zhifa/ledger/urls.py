from django.urls import path

from zhifa.ledger import views

app_name = "ledger"
urlpatterns = [
    path("ledger/checkpoint", views.checkpoint_latest, name="checkpoint"),
    path("ledger/keys", views.keys, name="keys"),
    path("ledger/proof/inclusion", views.proof_inclusion, name="proof_inclusion"),
    path("ledger/proof/consistency", views.proof_consistency, name="proof_consistency"),
    path("verify/", views.verify_page, name="verify"),
    path("staff/ledger/entries/<int:seq>/receipt.json", views.entry_receipt, name="entry_receipt"),
]
