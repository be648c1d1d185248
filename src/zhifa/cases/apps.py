from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhifa.cases"
    verbose_name = "网上办案"

    def ready(self) -> None:
        from zhifa.cases import home, ledger_actions  # noqa: F401 (home registers on import)

        ledger_actions.register_all()
