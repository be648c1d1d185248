"""Public 事前公开 pages of the catalog; mounted at the site root."""

from django.urls import path

from zhifa.catalog import views_public

app_name = "catalog"
urlpatterns = [
    path(
        "agencies/<uuid:public_id>/items/",
        views_public.agency_items,
        name="agency_items",
    ),
    path(
        "agencies/<uuid:public_id>/major-decisions/",
        views_public.major_decisions,
        name="major_decisions",
    ),
    path("items/<uuid:public_id>/", views_public.item_detail, name="item"),
]

# 音像记录事项清单, 随机抽查事项清单, 服务指南 (zhifa.catalog.views_lists).
from zhifa.catalog import views_lists  # noqa: E402

urlpatterns += [
    path("agencies/<uuid:public_id>/av-recording/", views_lists.av_list, name="av_list"),
    path(
        "agencies/<uuid:public_id>/random-inspection/",
        views_lists.random_inspection_list,
        name="random_inspection_list",
    ),
    path("items/<uuid:public_id>/guide/", views_lists.service_guide, name="service_guide"),
]

# 执法工作手册 (zhifa.catalog.views_handbook): staff pages.
from zhifa.catalog import views_handbook  # noqa: E402

urlpatterns += [
    path(
        "staff/agencies/<uuid:public_id>/handbook/",
        views_handbook.agency_handbooks,
        name="handbooks",
    ),
    path("staff/handbooks/<uuid:public_id>/pdf/", views_handbook.handbook_pdf, name="handbook_pdf"),
    path(
        "staff/handbooks/<uuid:public_id>/docx/", views_handbook.handbook_docx, name="handbook_docx"
    ),
    path("staff/handbooks/review/", views_handbook.review_queue, name="handbook_review"),
    path(
        "staff/handbooks/<uuid:public_id>/decide/",
        views_handbook.review_decide,
        name="handbook_decide",
    ),
]

# 流程图 (zhifa.catalog.views_flowchart).
from zhifa.catalog import views_flowchart  # noqa: E402

urlpatterns += [
    path(
        "items/<uuid:public_id>/flowchart.svg",
        views_flowchart.item_flowchart,
        name="item_flowchart",
    ),
]

# 执法事项维护 (zhifa.catalog.views_staff): staff pages.
from zhifa.catalog import views_staff  # noqa: E402

urlpatterns += [
    path("staff/catalog/items/", views_staff.item_list, name="staff_items"),
    path("staff/catalog/items/new/", views_staff.item_new, name="staff_item_new"),
    path("staff/catalog/items/<uuid:public_id>/", views_staff.item_detail, name="staff_item"),
    path(
        "staff/catalog/items/<uuid:public_id>/versions/",
        views_staff.version_new,
        name="staff_item_version_new",
    ),
    path(
        "staff/catalog/items/<uuid:public_id>/versions/<int:number>/publish/",
        views_staff.version_publish,
        name="staff_item_publish",
    ),
    path(
        "staff/catalog/items/<uuid:public_id>/standards/",
        views_staff.standard_save,
        name="staff_item_standard",
    ),
]

# Excel in and out for the catalog lists (zhifa.catalog.views_excel): staff pages.
from zhifa.catalog import views_excel  # noqa: E402

urlpatterns += [
    path(
        "staff/agencies/<uuid:agency_id>/catalog/excel/",
        views_excel.catalog_excel,
        name="excel",
    ),
    path(
        "staff/agencies/<uuid:agency_id>/catalog/excel/template.xlsx",
        views_excel.catalog_excel_template,
        name="excel_template",
    ),
    path(
        "staff/agencies/<uuid:agency_id>/catalog/excel/export.xlsx",
        views_excel.catalog_excel_export,
        name="excel_export",
    ),
]

# 音像记录、随机抽查、服务指南 maintained from the staff item page (zhifa.catalog.views_staff).
urlpatterns += [
    path(
        "staff/catalog/items/<uuid:public_id>/av-rules/",
        views_staff.av_rule_save,
        name="staff_item_av_rule",
    ),
    path(
        "staff/catalog/items/<uuid:public_id>/random-inspection/",
        views_staff.random_inspection_save,
        name="staff_item_random_inspection",
    ),
    path(
        "staff/catalog/items/<uuid:public_id>/guide/",
        views_staff.service_guide_save,
        name="staff_item_guide",
    ),
]
