from django.apps import AppConfig


class OfficersConfig(AppConfig):
    name = "zhifa.officers"
    verbose_name = "执法人员资格管理"

    def ready(self) -> None:
        from zhifa.ledger import actions
        from zhifa.officers.home import register_home_sections
        from zhifa.officers.services import LEDGER_ACTIONS

        for name, label in LEDGER_ACTIONS.items():
            actions.register(name, label)
        register_home_sections()
        from zhifa.jobs import registry

        # A certificate past its date stops being valid that day; the gate
        # checks dates itself, this records the status change and its ledger
        # entry (run by `zhifa worker`).
        registry.register(
            "officers.certificates_expire",
            "执法证件有效期届满",
            daily_at="00:05",
            func="zhifa.officers.services.certificates_expire_job",
        )
        from zhifa.core.home import Action, register_action

        register_action(
            ["agency_head", "unit_head", "admin", "supervisor", "officer", "legal_reviewer"],
            Action("执法人员", "officers:list", "执法人员与执法证件名录、年审、Excel 导入导出"),
        )
