from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zhifa.catalog"
    verbose_name = "执法事项与裁量基准"

    def ready(self) -> None:
        from zhifa.catalog.services import LEDGER_ACTIONS
        from zhifa.ledger import actions

        for name, label in LEDGER_ACTIONS.items():
            actions.register(name, label)

        from zhifa.catalog.home import register_home_sections

        register_home_sections()
