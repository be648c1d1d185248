"""Job runs for the system administrator (系统管理 › 后台任务): read only.
A run is written by the worker alone; an unfinished one (empty 结束时间) is
still running or its worker died."""

from __future__ import annotations

from django.contrib import admin

from zhifa.jobs import registry
from zhifa.jobs.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["job", "label", "period", "started_at", "finished_at", "result", "worker"]
    list_filter = ["job", "ok"]
    search_fields = ["job", "period", "detail"]
    date_hierarchy = "started_at"
    fields = ["job", "period", "started_at", "finished_at", "ok", "detail", "worker"]
    readonly_fields = fields

    def _is_admin(self, request) -> bool:
        # Role names as strings (orgs.Role.ADMIN): this app imports no domain app.
        user = request.user
        return user.is_active and (user.is_superuser or user.has_role("admin"))

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="名称")
    def label(self, obj: JobRun) -> str:
        try:
            return registry.get(obj.job).label
        except KeyError:
            return "（已不再登记）"

    @admin.display(description="结果", ordering="ok")
    def result(self, obj: JobRun) -> str:
        return obj.status
