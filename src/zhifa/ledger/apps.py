from django.apps import AppConfig

# Role names as strings (orgs.Role values); the core registry knows no apps.
AGENCY_ROLES = ["officer", "auxiliary", "unit_head", "legal_reviewer", "agency_head"]


class LedgerConfig(AppConfig):
    name = "zhifa.ledger"
    verbose_name = "全过程记录"

    def ready(self) -> None:
        from zhifa.core.home import Action, register_action

        register_action(
            AGENCY_ROLES,
            Action("上传证据", "ledger:evidence_upload", "拍照、录像、录音或扫描件，上传即存证"),
        )
        register_action(
            ["officer", "auxiliary", "unit_head", "legal_reviewer", "agency_head", "supervisor"],
            Action("记录核验", "ledger:verify", "核验存证回执"),
        )
