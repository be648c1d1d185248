from django.db import models


class JobRun(models.Model):
    """One run of a periodic job in one period.

    The row is inserted, and committed, before the job starts; the unique
    (job, period) makes a second worker's insert fail, so it skips. A row
    whose `finished_at` stays empty is a run still going or one whose worker
    died (it is not retried in that period)."""

    job = models.CharField("任务", max_length=100)
    period = models.CharField("周期", max_length=40)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    ok = models.BooleanField("成功", null=True)
    detail = models.TextField("详情", blank=True)
    worker = models.CharField("工作进程", max_length=200, blank=True)

    class Meta:
        verbose_name = "任务运行记录"
        verbose_name_plural = "任务运行记录"
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="jobs_jobrun_once_per_period"),
        ]
        indexes = [models.Index(fields=["job", "-started_at"], name="jobs_jobrun_job_started")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"

    @property
    def status(self) -> str:
        if self.finished_at is None:
            return "未完成（运行中或进程已中断）"
        return "成功" if self.ok else "失败"
