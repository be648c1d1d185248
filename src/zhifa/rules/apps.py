from django.apps import AppConfig
from django.core import checks


def check_statutes(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Fail `zhifa check` / startup checks if statutes.toml is malformed."""
    from zhifa.rules.registry import RegistryError, all_rules

    try:
        all_rules()
    except RegistryError as exc:
        return [checks.Error(str(exc), id="rules.E001")]
    return []


class RulesConfig(AppConfig):
    name = "zhifa.rules"
    verbose_name = "法定期限与标准"

    def ready(self) -> None:
        checks.register(check_statutes)
