from django.apps import AppConfig


class OfficersConfig(AppConfig):
    name = "zhifa.officers"
    verbose_name = "执法人员资格管理"
