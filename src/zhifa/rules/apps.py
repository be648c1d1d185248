from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "zhifa.rules"
    verbose_name = "法定期限与标准"
