from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zhifa.portal"
    verbose_name = "公示门户"
