from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "zhifa.orgs"
    verbose_name = "组织与用户"

    def ready(self) -> None:
        from zhifa.orgs.home import register_home_sections

        register_home_sections()
