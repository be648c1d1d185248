"""The public, read-only open-data API (/open/api/v1/): published decisions
and withdrawal notices, filterable like the portal list, with its own public
OpenAPI schema. No authentication: everything here is already public; a
withdrawn decision appears only as a notice (reason and date), never with
its text.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from zhifa.core.access import Access
from zhifa.core.api import ApiView
from zhifa.core.api_defaults import DeclaredAccess, Pagination
from zhifa.disclosure import selectors
from zhifa.disclosure.models import PublicationStatus
from zhifa.disclosure.opendata import notice_row, publication_row


class RedactionSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="在公开文本中的起始位置（字符）")
    end = serializers.IntegerField()
    kind = serializers.CharField(help_text="被去除的信息类别，例如 name、id_number、phone、address")
    rule = serializers.CharField(
        help_text="依据的规则，例如 known.party_name（案件登记的当事人姓名）、id_number.checksum、reviewer"
    )


class PublicationSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="永久标识（各更正版本共用）")
    status = serializers.ChoiceField(
        choices=["published", "withdrawn"],
        help_text="published 公示中；withdrawn 已撤回（仅有撤回说明）",
    )
    version = serializers.IntegerField()
    kind = serializers.CharField(help_text="行政处罚 / 行政许可 / 其他行政执法决定")
    agency = serializers.CharField()
    region_code = serializers.CharField()
    region = serializers.CharField()
    decision_number = serializers.CharField()
    decided_on = serializers.DateField()
    title = serializers.CharField()
    party = serializers.CharField(allow_null=True)
    penalty_content = serializers.CharField(allow_null=True)
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    period_ends_on = serializers.DateField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawal_reason = serializers.CharField(allow_null=True)
    url = serializers.CharField(help_text="永久链接（绝对地址，各更正版本共用）")
    text_sha256 = serializers.CharField(allow_null=True)
    text = serializers.CharField(
        allow_null=True, help_text="去标识化后的决定书全文；已撤回的为 null"
    )
    redactions = RedactionSerializer(many=True)

    def to_representation(self, instance):
        request = self.context.get("request")
        if instance.status == PublicationStatus.WITHDRAWN:
            return notice_row(instance, request)
        return publication_row(instance, request)


FILTERS = [
    OpenApiParameter("q", str, description="全文检索（支持两个字的词，如“罚款”）"),
    OpenApiParameter("agency", str, description="执法主体的标识（UUID）"),
    OpenApiParameter("kind", str, enum=["penalty", "license", "other"]),
    OpenApiParameter("region", str, description="行政区划代码，含下级"),
    OpenApiParameter("from", str, description="决定日期起（YYYY-MM-DD）"),
    OpenApiParameter("to", str, description="决定日期止（YYYY-MM-DD）"),
]


class PublicApiView(ApiView):
    api_access = Access.public()
    authentication_classes: list = []


class CappedPagination(Pagination):
    """The portal's paging (docs/adr/0002): the count is exact up to
    `selectors.COUNT_CAP`; above it `count_capped` is true and `earlier` links
    to the hits older than the last numbered page (`before=`), so a common
    word over a million publications costs one index walk, not a full count."""

    def paginate_queryset(self, queryset, request, view=None):
        self.results = queryset
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        before = self.results.before_key_after(self.page)
        earlier = None
        if before is not None:
            earlier = replace_query_param(
                remove_query_param(self.request.build_absolute_uri(), self.page_query_param),
                "before",
                before,
            )
        response.data["count_capped"] = self.results.capped
        response.data["earlier"] = earlier
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"命中超过 {selectors.COUNT_CAP} 条：count 为下限",
        }
        schema["properties"]["earlier"] = {
            "type": "string",
            "nullable": True,
            "format": "uri",
            "description": "最后一个编号页之后更早的结果（before= 参数）",
        }
        return schema


@extend_schema(tags=["执法结果公开"])
class PublicationList(PublicApiView, generics.GenericAPIView):
    serializer_class = PublicationSerializer
    pagination_class = CappedPagination

    def get_queryset(self):
        return selectors.publication_results_for_public(
            selectors.parse_filters(self.request.query_params)
        )

    @extend_schema(
        summary="公示中的执法决定（分页，可筛选和检索）",
        parameters=FILTERS,
        operation_id="publications_list",
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["执法结果公开"])
class NoticeList(PublicApiView, generics.GenericAPIView):
    serializer_class = PublicationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.notices_for_public(selectors.parse_filters(self.request.query_params))

    @extend_schema(
        summary="撤回说明（已撤回的决定，不含原文）",
        parameters=FILTERS[1:],
        operation_id="notices_list",
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["执法结果公开"])
class PublicationDetail(PublicApiView):
    serializer_class = PublicationSerializer

    @extend_schema(summary="一条公示信息的当前版本（永久标识）", operation_id="publication_detail")
    def get(self, request, series):
        current = selectors.current_of(selectors.series_for_public(series))
        if current is None:
            raise NotFound("该公示信息不存在，或公示期已满、已停止公示。")
        return Response(PublicationSerializer(current, context={"request": request}).data)


class PublicSchemaView(SpectacularAPIView):
    """The OpenAPI schema of the public open-data API only, open to everyone."""

    access = Access.public()
    api_access = Access.public()
    authentication_classes: list = []
    permission_classes = [DeclaredAccess]
    urlconf = "zhifa.disclosure.api_schema_urls"
    custom_settings = {
        "TITLE": "执法结果公开数据接口",
        "SCHEMA_PATH_PREFIX": r"/open/api/v1",
        "DESCRIPTION": (
            "公示中的行政执法决定（去标识化全文）和撤回说明，只读、无需认证。"
            "筛选参数与门户“执法结果”页面相同；同样的数据可在 /results/download.csv 和 "
            "/results/download.json 下载。"
        ),
    }
