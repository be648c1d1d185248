from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "zhifa.orgs"
    verbose_name = "组织与用户"
