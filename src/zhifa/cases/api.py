"""The case-handling API (/api/v1/) for mobile apps and integrations.

Adapters only, like the staff pages: parse the request, call one service,
selector or the engine, serialise. The procedure engine and the services
decide everything; the API only translates their refusals into HTTP:

- `InvalidInput` → 400 `{"errors": {field: [messages]}}`;
- `TransitionRefused`, `DuplicateSubmission` and any other `CaseError` →
  409 `{"detail": "...", "refusals": [{"guard", "message", "citation"}]}`;
- a case, party or document outside the user's agencies → 404, never 403
  (whether it exists is itself information).

Access: see `zhifa.core.api`. Every view here is for signed-in users
(`Authorization: Token …` or the staff session); what each user may do to a
case is decided by the engine's role and law guards, what they may see by
`Case.objects.visible_to(user)` through the selectors.

A transition takes its form's fields as the body (JSON or form-encoded) and
an optional idempotency key, in the body as `submission_key` or in the
`Idempotency-Key` header. Keys are scoped to the user, so one client's key
never blocks another's; a repeated key answers 409 with the record the first
request made.
"""

from __future__ import annotations

import hashlib
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, QueryDict
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, mixins, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from zhifa.cases import api_serializers as s
from zhifa.cases import documents, engine, selectors, services
from zhifa.cases.errors import CaseError, DuplicateSubmission, InvalidInput
from zhifa.cases.models import Case, CaseEvidence, CaseRecord, Document, Party, SourceKind
from zhifa.cases.views_common import CASE_STAFF, acting_agencies, acting_unit
from zhifa.core.api import ApiView
from zhifa.core.api_defaults import Pagination
from zhifa.ledger.evidence import DOCX_TYPE, EvidenceError, evidence_open
from zhifa.orgs.models import Agency, Region, Role, Unit
from zhifa.procedures import PROCEDURES, get_procedure

CASE_NOT_FOUND = "案件不存在，或不属于您所在的执法主体。"
DOCUMENT_NOT_FOUND = "文书不存在，或不属于您所在的执法主体。"
PDF_TYPE = "application/pdf"

COORDINATE = Decimal("0.000001")  # CaseEvidence.latitude / longitude: 6 decimal places

ERRORS_400 = OpenApiResponse(s.ErrorsSerializer, description="输入有误：逐字段说明。")
CONFLICT_409 = OpenApiResponse(
    s.ConflictSerializer, description="依法或按程序拒绝办理，或重复提交：逐条说明守卫及其依据。"
)
NOT_FOUND_404 = OpenApiResponse(s.DetailSerializer, description=CASE_NOT_FOUND)


def case_error_response(exc: CaseError) -> Response:
    if isinstance(exc, InvalidInput):
        return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
    return Response(
        {
            "detail": str(exc),
            "refusals": s.RefusalSerializer(exc.refusals, many=True).data,
        },
        status=status.HTTP_409_CONFLICT,
    )


class CaseApiView(ApiView):
    def handle_exception(self, exc):
        if isinstance(exc, CaseError):
            return case_error_response(exc)
        return super().handle_exception(exc)


def _case(request, pk: int) -> Case:
    try:
        return selectors.case_get_for_user(request.user, pk)
    except Case.DoesNotExist:
        raise exceptions.NotFound(CASE_NOT_FOUND) from None


def _detail(request, case: Case) -> dict[str, Any]:
    today = timezone.localdate()
    case = selectors.case_get_for_user(request.user, case.pk)  # as stored now
    money = selectors.money(case, today) | {"payment_due": selectors.payment_due(case)}
    return s.CaseDetailSerializer(
        case, context={"request": request, "today": today, "money": money}
    ).data


# ---------------------------------------------------------------------------
# Procedure definitions
# ---------------------------------------------------------------------------


@extend_schema(tags=["程序定义"])
class ProcedureList(ApiView):
    @extend_schema(
        summary="程序定义列表",
        responses=s.ProcedureSummarySerializer(many=True),
    )
    def get(self, request):
        return Response(s.ProcedureSummarySerializer(PROCEDURES.values(), many=True).data)


@extend_schema(tags=["程序定义"])
class ProcedureDetail(ApiView):
    @extend_schema(
        summary="一个程序的定义：状态、环节、角色、守卫及其依据、期限",
        responses={200: s.ProcedureSerializer, 404: s.DetailSerializer},
    )
    def get(self, request, code: str):
        proc = get_procedure(code)
        if proc is None:
            raise exceptions.NotFound(f"没有代码为“{code}”的程序。")
        return Response(s.ProcedureSerializer(proc).data)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


def _agency_for(user, agency_id: int | None, roles) -> Agency:
    """The agency a new case belongs to: the one named, or the user's only one."""
    agencies = acting_agencies(user, roles)
    if agency_id is not None:
        for agency in agencies:
            if agency.pk == agency_id:
                return agency
        raise exceptions.ValidationError({"agency": ["您不是该执法主体的执法人员或负责人。"]})
    if not agencies:
        raise exceptions.ValidationError(
            {"agency": ["您不是任何执法主体的执法人员或负责人，不能登记案件。"]}
        )
    if len(agencies) > 1:
        raise exceptions.ValidationError(
            {"agency": ["您在多个执法主体任职，请用 agency 指明为哪个执法主体登记。"]}
        )
    return agencies[0]


def _new_case(request, *, summary: bool = False) -> tuple[Agency, services.NewCase]:
    serializer_class = s.SummaryCaseSerializer if summary else s.NewCaseSerializer
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    v = serializer.validated_data
    roles = (Role.OFFICER,) if summary else CASE_STAFF
    agency = _agency_for(request.user, v.get("agency"), roles)
    errors: dict[str, list[str]] = {}
    region = agency.region
    if v.get("region"):
        region = Region.objects.filter(code=v["region"]).first()
        if region is None:
            errors["region"] = [f"区划代码“{v['region']}”不存在。"]
    unit = acting_unit(request.user, agency)
    if v.get("unit") is not None:
        unit = Unit.objects.filter(pk=v["unit"], agency=agency).first()
        if unit is None:
            errors["unit"] = ["承办机构不属于本执法主体。"]
    if errors:
        raise exceptions.ValidationError(errors)
    party = {k: ("" if val is None else val) for k, val in v["party"].items()}
    if party.get("birth_date") == "":
        party["birth_date"] = None
    today = timezone.localdate()
    return agency, services.NewCase(
        title=v["title"],
        # Found on the spot (summary procedure): the act is seen as it happens.
        source_kind=v.get("source_kind") or SourceKind.INSPECTION,
        source_detail=v["source_detail"],
        source_received_on=v.get("source_received_on") or today,
        region=region,
        place=v["place"],
        act_date=v["act_date"] or (today if summary else None),
        unit=unit,
        party=party,
    )


@extend_schema(tags=["案件"])
class CaseList(CaseApiView, mixins.ListModelMixin, generics.GenericAPIView):
    serializer_class = s.CaseListSerializer
    pagination_class = Pagination

    def get_queryset(self):
        filters = s.CaseFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.case_list_for_user(self.request.user, **filters.validated_data)

    def get_serializer_context(self) -> dict[str, Any]:
        return super().get_serializer_context() | {"today": timezone.localdate()}

    @extend_schema(summary="我可见的案件（分页）", parameters=[s.CaseFilterSerializer])
    def get(self, request):
        return self.list(request)

    @extend_schema(
        summary="登记案件（普通程序）",
        request=s.NewCaseSerializer,
        responses={201: s.CaseDetailSerializer, 400: ERRORS_400, 409: CONFLICT_409},
    )
    def post(self, request):
        agency, new = _new_case(request)
        case = services.register_case(actor=request.user, agency=agency, new=new)
        return Response(_detail(request, case), status=status.HTTP_201_CREATED)


@extend_schema(tags=["案件"])
class SummaryCaseCreate(CaseApiView):
    @extend_schema(
        summary="适用简易程序，当场开立案件",
        request=s.SummaryCaseSerializer,
        responses={201: s.CaseDetailSerializer, 400: ERRORS_400, 409: CONFLICT_409},
    )
    def post(self, request):
        agency, new = _new_case(request, summary=True)
        case = services.open_summary_case(actor=request.user, agency=agency, new=new)
        return Response(_detail(request, case), status=status.HTTP_201_CREATED)


@extend_schema(tags=["案件"])
class CaseDetail(CaseApiView):
    @extend_schema(
        summary="案件详情：当事人、承办人员、期限、罚没款、文书、证据",
        responses={200: s.CaseDetailSerializer, 404: NOT_FOUND_404},
    )
    def get(self, request, pk: int):
        return Response(_detail(request, _case(request, pk)))


@extend_schema(tags=["案件"])
class CaseOptions(CaseApiView):
    @extend_schema(
        summary="当前可办理的环节；不可办理的说明理由和依据",
        responses={
            200: OpenApiResponse(
                s.OptionsSerializer, description="allowed 为真的环节附带本案可选值的表单字段。"
            ),
            404: NOT_FOUND_404,
        },
    )
    def get(self, request, pk: int):
        case = _case(request, pk)
        options = engine.options(case, request.user)
        return Response(
            {
                "case": {
                    "id": case.pk,
                    "number": case.number,
                    "status": case.status,
                    "status_label": case.status_label,
                },
                "options": s.OptionSerializer(options, many=True, context={"case": case}).data,
            }
        )


def _submission_key(request, body_key: Any) -> str | None:
    raw = request.headers.get("Idempotency-Key") or body_key
    if raw in (None, ""):
        return None
    raw = str(raw)
    if len(raw) > 200:
        raise exceptions.ValidationError({"submission_key": ["幂等键不能超过200个字符。"]})
    # Scoped to the user and fixed-length (CaseRecord.submission_key holds 64).
    digest = hashlib.sha256(f"{request.user.pk}\x00{raw}".encode()).hexdigest()
    return f"api:{digest[:60]}"


def _form_data(request) -> tuple[dict | QueryDict, Any]:
    data = request.data
    if isinstance(data, QueryDict):
        data = data.copy()
        key = data.pop("submission_key", [None])[-1]
        return data, key
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"__all__": ["请求体应为 JSON 对象（字段名: 值）。"]})
    data = dict(data)
    return data, data.pop("submission_key", None)


@extend_schema(tags=["案件"])
class CaseTransition(CaseApiView):
    @extend_schema(
        summary="办理一个环节（立案、告知、决定、送达……）",
        description=(
            "请求体为该环节的表单字段（见程序定义或 options 中的 form_fields）。"
            "成功返回 201 和新的办案记录；依法不能办理的返回 409 并逐条说明。"
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="幂等键：网络重试时带同一个键，同一环节不会办理两次。",
            ),
        ],
        request={"application/json": s.TRANSITION_INPUT},
        responses={
            201: s.FiredSerializer,
            400: ERRORS_400,
            404: NOT_FOUND_404,
            409: CONFLICT_409,
        },
    )
    def post(self, request, pk: int, code: str):
        case = _case(request, pk)
        data, body_key = _form_data(request)
        key = _submission_key(request, body_key)
        try:
            record = engine.fire(case, code, request.user, data, submission_key=key)
        except DuplicateSubmission as exc:
            response = case_error_response(exc)
            earlier = (
                CaseRecord.objects.filter(submission_key=key, case=case)
                .select_related("actor", "entry")
                .first()
            )
            if earlier is not None:
                response.data["record"] = s.RecordSerializer(earlier).data
            return response
        record = CaseRecord.objects.select_related("case", "actor", "entry").get(pk=record.pk)
        return Response(s.FiredSerializer(record).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["案件"])
class CaseTimeline(CaseApiView):
    @extend_schema(
        summary="办案记录（时间线），每条附全过程记录序号和叶子哈希",
        responses={200: s.RecordSerializer(many=True), 404: NOT_FOUND_404},
    )
    def get(self, request, pk: int):
        case = _case(request, pk)
        return Response(s.RecordSerializer(selectors.timeline(case), many=True).data)


def _coordinate(value: Decimal | None) -> Decimal | None:
    if value is None or abs(value) > 1000:  # out of range: the service says so
        return value
    return value.quantize(COORDINATE, rounding=ROUND_HALF_UP)


@extend_schema(tags=["案件"])
class CaseEvidenceUpload(CaseApiView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="附入证据（手机现场采集或上传）",
        request={"multipart/form-data": s.EvidenceUploadSerializer},
        description="带 client_key 重发是安全的：同一编号已附入同一文件的，返回 200 和原证据。",
        responses={
            200: s.EvidenceSerializer,
            201: s.EvidenceSerializer,
            400: ERRORS_400,
            404: NOT_FOUND_404,
            409: CONFLICT_409,
        },
    )
    def post(self, request, pk: int):
        case = _case(request, pk)
        serializer = s.EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        v = serializer.validated_data
        upload = v["file"]
        key = services.client_key_for(request.user, v["client_key"]) if v["client_key"] else None
        try:
            evidence = services.add_evidence(
                actor=request.user,
                case=case,
                file=upload,
                original_name=upload.name or "",
                kind=v["kind"],
                title=v["title"],
                step=v["step"],
                source=v["source"],
                captured_at=v["captured_at"],
                latitude=_coordinate(v["latitude"]),
                longitude=_coordinate(v["longitude"]),
                accuracy_m=v["accuracy_m"],
                device=v["device"],
                client_key=key,
            )
        except DuplicateSubmission:
            # A resend after a lost answer: the first send attached it.
            earlier = CaseEvidence.objects.get(case=case, client_key=key)
            return Response(s.EvidenceSerializer(earlier).data, status=status.HTTP_200_OK)
        except EvidenceError as exc:
            if exc.code == "forbidden":
                raise exceptions.PermissionDenied(str(exc)) from exc
            raise exceptions.ValidationError({"file": [str(exc)]}) from exc
        return Response(s.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------


@extend_schema(tags=["文书"])
class CaseDocuments(CaseApiView):
    @extend_schema(
        summary="本案的执法文书",
        responses={200: s.DocumentSerializer(many=True), 404: NOT_FOUND_404},
    )
    def get(self, request, pk: int):
        case = _case(request, pk)
        return Response(
            s.DocumentSerializer(case.documents.all(), many=True, context={"request": request}).data
        )


def _document(request, pk: int) -> Document:
    document = (
        Document.objects.filter(case__in=Case.objects.visible_to(request.user))
        .select_related("case", "agency", "docx", "pdf")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise exceptions.NotFound(DOCUMENT_NOT_FOUND)
    return document


class _DocumentFile(CaseApiView):
    """An issued document is served as filed (verified against the ledger on
    the way out); a draft is rendered fresh, its file name marked 草稿."""

    fmt = ""

    def perform_content_negotiation(self, request, force=False):
        # A client asking for application/pdf still gets its errors as JSON.
        return super().perform_content_negotiation(request, force=True)

    def _filename(self, document: Document) -> str:
        name = documents.document_filename(document, self.fmt)
        return name if document.status == Document.Status.ISSUED else f"草稿-{name}"

    def _blob(self, document: Document, blob) -> FileResponse | Response:
        try:
            handle = evidence_open(blob=blob, actor=self.request.user)
        except EvidenceError as exc:
            if exc.code == "forbidden":
                raise exceptions.NotFound(DOCUMENT_NOT_FOUND) from exc
            if exc.code != "tampered":
                raise
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return self._file(handle, blob.media_type, self._filename(document))

    def _bytes(self, document: Document, data: bytes, media_type: str) -> FileResponse:
        return self._file(io.BytesIO(data), media_type, self._filename(document))

    @staticmethod
    def _file(handle, media_type: str, filename: str) -> FileResponse:
        response = FileResponse(
            handle, content_type=media_type, as_attachment=True, filename=filename
        )
        # Documents carry personal data: no shared or browser cache keeps a copy.
        response["Cache-Control"] = "private, no-store"
        return response


FILE_409 = OpenApiResponse(
    s.DetailSerializer, description="存档文件与全过程记录不符（可能被篡改）。"
)


@extend_schema(tags=["文书"])
class DocumentDocx(_DocumentFile):
    fmt = "docx"

    @extend_schema(
        summary="下载文书（DOCX）",
        responses={(200, DOCX_TYPE): OpenApiTypes.BINARY, 404: NOT_FOUND_404, 409: FILE_409},
    )
    def get(self, request, pk: int):
        document = _document(request, pk)
        if document.docx_id:
            return self._blob(document, document.docx)
        return self._bytes(document, documents.render_docx(document), DOCX_TYPE)


@extend_schema(tags=["文书"])
class DocumentPdf(_DocumentFile):
    fmt = "pdf"

    @extend_schema(
        summary="下载文书（PDF）",
        responses={(200, PDF_TYPE): OpenApiTypes.BINARY, 404: NOT_FOUND_404, 409: FILE_409},
    )
    def get(self, request, pk: int):
        document = _document(request, pk)
        if document.status != Document.Status.ISSUED:
            # A draft has no archived PDF: a fresh rendering, for reading only.
            return self._bytes(document, documents.render_pdf(document), PDF_TYPE)
        try:
            blob = documents.document_pdf(document, request.user)
        except ValidationError as exc:
            raise exceptions.NotFound("；".join(exc.messages)) from exc
        return self._blob(document, blob)


# ---------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------

PARTY_FIELDS = (
    "kind",
    "name",
    "id_type",
    "id_number",
    "uscc",
    "legal_representative",
    "address",
    "phone",
    "birth_date",
)


@extend_schema(tags=["案件"])
class PartyDetail(CaseApiView):
    @extend_schema(
        summary="修改当事人信息（决定作出前）",
        request=s.PartyPatchSerializer,
        responses={200: s.PartySerializer, 400: ERRORS_400, 404: NOT_FOUND_404, 409: CONFLICT_409},
    )
    def patch(self, request, pk: int):
        party = (
            Party.objects.filter(case__in=Case.objects.visible_to(request.user))
            .select_related("case__agency")
            .filter(pk=pk)
            .first()
        )
        if party is None:
            raise exceptions.NotFound("当事人不存在，或不属于您所在的执法主体的案件。")
        serializer = s.PartyPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        given = serializer.validated_data
        data = {f: getattr(party, f) for f in PARTY_FIELDS} | dict(given)
        if "birth_date" not in given and given.keys() & {"id_type", "id_number", "kind"}:
            data["birth_date"] = None  # read again from the new identity number
        party = services.update_party(actor=request.user, party=party, data=data)
        return Response(s.PartySerializer(party).data)
