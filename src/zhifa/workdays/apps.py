from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "zhifa.workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from zhifa.workdays.home import register_home_sections

        register_home_sections()
