from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "行政执法综合管理平台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "组织、用户、工作日历与法定期限"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("zhifa.core.urls")),
    path("", include("zhifa.portal.urls")),
    path("", include("zhifa.ledger.urls")),
    path("", include("zhifa.officers.urls")),
    path("", include("zhifa.catalog.urls")),
    path("", include("zhifa.cases.urls")),
    path("", include("zhifa.review.urls")),
    path("", include("zhifa.disclosure.urls")),
    path("api/v1/", include("zhifa.api_urls")),
    # The public, read-only open-data API (no login): zhifa.disclosure.api.
    path("open/api/v1/", include("zhifa.disclosure.api_urls")),
]
