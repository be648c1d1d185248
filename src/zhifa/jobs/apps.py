from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "zhifa.jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from zhifa.jobs import registry

        # The planner's statistics (SQLite has none until ANALYZE): at night,
        # after the day's writes.
        registry.register(
            "database.statistics",
            "更新数据库查询统计信息",
            daily_at="03:30",
            func="zhifa.jobs.maintenance.database_statistics",
            atomic=False,
        )
