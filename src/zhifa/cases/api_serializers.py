"""The JSON shapes of the case API (`zhifa.cases.api`): input parsing and output.

Input serializers check only shape and types; the services and the engine
check the law and answer in Chinese. Output serializers are read-only views of
models and of the procedure definitions; they also feed the OpenAPI schema.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhifa.cases import deadlines as deadline_service
from zhifa.cases.engine import step_page
from zhifa.cases.forms import FORMS
from zhifa.cases.models import (
    Case,
    CaseEvidence,
    CaseOfficer,
    CaseRecord,
    Deadline,
    Document,
    EvidenceKind,
    Party,
    SourceKind,
)
from zhifa.orgs.models import Role
from zhifa.procedures import GUARDS, get_procedure
from zhifa.procedures.spec import Transition
from zhifa.rules.registry import UnknownRule, get_rule

# deadlines.status() → (label, colour) for lists and the detail page.
DEADLINE_STATUS = {
    "ok": ("期限内", "green"),
    "soon": ("即将届满", "amber"),
    "overdue": ("已超期", "red"),
    "lapsed": ("当事人的期间已届满", "grey"),
    "party_overdue": ("当事人逾期", "amber"),
    "done": ("已完成", "grey"),
    "unknown": ("届满日待定", "grey"),
}


# ---------------------------------------------------------------------------
# Shared small shapes
# ---------------------------------------------------------------------------


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="字段名 → 错误信息；嵌套字段以点号连接（如 party.name），与字段无关的错误为 __all__。",
    )


class RefusalSerializer(serializers.Serializer):
    guard = serializers.CharField(
        help_text="拒绝的守卫代码，如 state、role_in_agency、limitation。"
    )
    message = serializers.CharField()
    citation = serializers.CharField(allow_blank=True)


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class RefByIdSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")
    username = serializers.CharField()


class GuardSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    citation = serializers.CharField()


def guard_rows(codes) -> list[dict[str, str]]:
    return [{"code": c, "label": GUARDS[c][0], "citation": GUARDS[c][1]} for c in codes]


# ---------------------------------------------------------------------------
# Form fields: what a transition asks for (so a mobile app can build the form)
# ---------------------------------------------------------------------------


class FormFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(
        choices=[
            "text",
            "date",
            "datetime",
            "decimal",
            "integer",
            "boolean",
            "choice",
            "multiple_choice",
        ]
    )
    required = serializers.BooleanField()
    multiline = serializers.BooleanField()
    help_text = serializers.CharField(allow_blank=True)
    max_length = serializers.IntegerField(allow_null=True)
    model = serializers.CharField(
        allow_blank=True, help_text="选项来自的数据表（如 officers.officer）；值为其主键。"
    )
    choices = ChoiceSerializer(
        many=True,
        allow_null=True,
        help_text="可选值。程序定义中只列固定选项；案件的可办环节（options）还列出本案可选的人员、证据等。",
    )


def _field_type(field: forms.Field) -> str:
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return "multiple_choice"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "choice"
    if isinstance(field, forms.BooleanField):
        return "boolean"
    if isinstance(field, forms.DateTimeField):
        return "datetime"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.DecimalField):
        return "decimal"
    if isinstance(field, forms.IntegerField):
        return "choice" if isinstance(field.widget, forms.Select) else "integer"
    return "text"


def form_fields(fields: dict[str, forms.Field], *, bound_choices: bool) -> list[dict[str, Any]]:
    """Describe a form's fields. `bound_choices`: the form was built for a case,
    so model choices (officers, evidence, …) are listed too."""
    rows = []
    for name, field in fields.items():
        model = ""
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            model = queryset.model._meta.label_lower
        choices = None
        if model and bound_choices:
            choices = [{"value": str(v), "label": str(lbl)} for v, lbl in field.choices if v != ""]
        elif not model:
            raw = getattr(field, "choices", None) or getattr(field.widget, "choices", None)
            if raw is not None and _field_type(field) in ("choice", "multiple_choice"):
                choices = [{"value": str(v), "label": str(lbl)} for v, lbl in raw if v != ""]
        rows.append(
            {
                "name": name,
                "label": str(field.label or name),
                "type": _field_type(field),
                "required": field.required,
                "multiline": isinstance(field.widget, forms.Textarea),
                "help_text": str(field.help_text or ""),
                "max_length": getattr(field, "max_length", None),
                "model": model,
                "choices": choices,
            }
        )
    return rows


# ---------------------------------------------------------------------------
# Procedure definitions
# ---------------------------------------------------------------------------


class StateSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    optional = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    terminal = serializers.BooleanField()
    open = serializers.BooleanField(help_text="案件在此状态下是否尚未作出决定（办案期限在计算）。")


class DeadlineStartSerializer(serializers.Serializer):
    code = serializers.CharField()
    rule = serializers.CharField()
    label = serializers.CharField()
    anchor = serializers.CharField()
    when = serializers.CharField(allow_blank=True)


class RuleRefSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    value = serializers.CharField(allow_null=True, help_text="全国默认值；地方可能另有规定。")
    unit = serializers.CharField()
    citation = serializers.CharField()


class RoleRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


def _rule_rows(ids) -> list[dict[str, Any]]:
    rows = []
    for rule_id in ids:
        try:
            rule = get_rule(rule_id)
        except UnknownRule:
            rows.append({"id": rule_id, "title": "", "value": None, "unit": "", "citation": ""})
            continue
        rows.append(
            {
                "id": rule.id,
                "title": rule.title,
                "value": None if rule.value is None else str(rule.value),
                "unit": rule.unit,
                "citation": f"{rule.law}{rule.article}",
            }
        )
    return rows


class TransitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    target = serializers.CharField(allow_blank=True, help_text="空：记录类环节，不改变案件状态。")
    is_record = serializers.BooleanField()
    roles = serializers.SerializerMethodField()
    guards = serializers.SerializerMethodField()
    form = serializers.CharField(allow_blank=True)
    form_fields = serializers.SerializerMethodField()
    documents = serializers.ListField(child=serializers.CharField())
    starts = DeadlineStartSerializer(many=True)
    stops = serializers.ListField(child=serializers.CharField())
    limit = serializers.CharField(allow_blank=True)
    rules = serializers.SerializerMethodField()
    recording_step = serializers.CharField(allow_blank=True)
    public = serializers.BooleanField()
    help = serializers.CharField(allow_blank=True)

    @extend_schema_field(RoleRefSerializer(many=True))
    def get_roles(self, t: Transition) -> list[dict[str, str]]:
        return [{"code": r, "label": Role(r).label} for r in t.roles]

    @extend_schema_field(GuardSerializer(many=True))
    def get_guards(self, t: Transition) -> list[dict[str, str]]:
        # Every transition is also guarded by the actor's role in the agency,
        # cited from the law where the law names who takes the step.
        role = {"code": "role_in_agency", "label": GUARDS["role_in_agency"][0]}
        return [role | {"citation": t.role_citation}, *guard_rows(t.guards)]

    @extend_schema_field(FormFieldSerializer(many=True))
    def get_form_fields(self, t: Transition) -> list[dict[str, Any]]:
        return form_fields(FORMS[t.form].base_fields, bound_choices=False)

    @extend_schema_field(RuleRefSerializer(many=True))
    def get_rules(self, t: Transition) -> list[dict[str, Any]]:
        return _rule_rows(t.rules)


class ProcedureSummarySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    executable = serializers.BooleanField(help_text="办案系统是否已可按此程序办理。")
    citation = serializers.CharField(allow_blank=True)


class ProcedureSerializer(ProcedureSummarySerializer):
    initial = serializers.CharField()
    states = StateSerializer(many=True)
    transitions = TransitionSerializer(many=True)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


class PartySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Party
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "id_type",
            "id_number",
            "uscc",
            "legal_representative",
            "address",
            "phone",
            "birth_date",
            "is_minor",
        ]
        read_only_fields = fields


class PartyInputSerializer(serializers.Serializer):
    """A party as `zhifa.cases.parties.clean_party` takes it (which checks it)."""

    kind = serializers.ChoiceField(choices=Party.Kind.choices)
    name = serializers.CharField(max_length=200)
    id_type = serializers.ChoiceField(
        choices=Party.IdType.choices, required=False, allow_blank=True
    )
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    uscc = serializers.CharField(max_length=18, required=False, allow_blank=True)
    legal_representative = serializers.CharField(max_length=60, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)


class PartyPatchSerializer(PartyInputSerializer):
    """PATCH: the fields given replace the stored ones; the rest are kept."""

    kind = serializers.ChoiceField(choices=Party.Kind.choices, required=False)
    name = serializers.CharField(max_length=200, required=False)


class NewCaseSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, help_text="案由")
    source_kind = serializers.ChoiceField(choices=SourceKind.choices)
    source_detail = serializers.CharField(required=False, allow_blank=True, default="")
    source_received_on = serializers.DateField(help_text="发现或收到日期")
    region = serializers.CharField(max_length=9, help_text="违法行为发生地的区划代码")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    act_date = serializers.DateField(required=False, allow_null=True, default=None)
    agency = serializers.IntegerField(
        required=False, allow_null=True, help_text="执法主体 ID；您只在一个执法主体任职时可省略。"
    )
    unit = serializers.IntegerField(
        required=False, allow_null=True, help_text="承办机构 ID；省略时为您所在的承办机构。"
    )
    party = PartyInputSerializer()


class SummaryCaseSerializer(NewCaseSerializer):
    """简易程序: found on the spot, so source, dates and region have defaults."""

    source_kind = serializers.ChoiceField(
        choices=SourceKind.choices, required=False, help_text="默认：监督检查发现。"
    )
    source_received_on = serializers.DateField(required=False, help_text="默认今天。")
    region = serializers.CharField(
        max_length=9, required=False, help_text="默认：执法主体所在区划。"
    )
    act_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="默认今天。"
    )


class CaseFilterSerializer(serializers.Serializer):
    status = serializers.CharField(required=False, allow_blank=True, default="")
    procedure = serializers.CharField(required=False, allow_blank=True, default="")
    q = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="按案件编号、案由、当事人搜索"
    )
    mine = serializers.BooleanField(
        required=False, default=False, help_text="只列我主办或承办的案件"
    )
    late = serializers.BooleanField(
        required=False,
        default=False,
        help_text="只列行政机关自己的办案期限已逾期的案件（当事人的陈述申辩、听证申请期间和缴款期限不算）",
    )


class DeadlineSerializer(serializers.ModelSerializer):
    effective_due = serializers.DateField(read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    colour = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "code",
            "label",
            "rule",
            "started_on",
            "due",
            "outer_limit",
            "extended_to",
            "effective_due",
            "calendar_note",
            "stopped_on",
            "status",
            "status_label",
            "colour",
        ]
        read_only_fields = fields

    def _status(self, d: Deadline) -> str:
        today: date = self.context["today"]
        return deadline_service.status(d, today)

    @extend_schema_field(serializers.ChoiceField(choices=list(DEADLINE_STATUS)))
    def get_status(self, d: Deadline) -> str:
        return self._status(d)

    def get_status_label(self, d: Deadline) -> str:
        return DEADLINE_STATUS[self._status(d)][0]

    @extend_schema_field(serializers.ChoiceField(choices=["green", "amber", "red", "grey"]))
    def get_colour(self, d: Deadline) -> str:
        return DEADLINE_STATUS[self._status(d)][1]


class CaseOfficerSerializer(serializers.ModelSerializer):
    officer_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="officer.name", read_only=True)
    user_id = serializers.IntegerField(source="officer.user_id", read_only=True, allow_null=True)

    class Meta:
        model = CaseOfficer
        fields = ["officer_id", "name", "user_id", "is_lead", "assigned_on"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    docx_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "doc_type",
            "title",
            "status",
            "status_label",
            "number",
            "transition",
            "created_at",
            "issued_at",
            "content_sha256",
            "docx_url",
            "pdf_url",
        ]
        read_only_fields = fields

    def _url(self, doc: Document, fmt: str) -> str:
        from django.urls import reverse

        path = reverse(f"api:document_{fmt}", args=[doc.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_docx_url(self, doc: Document) -> str:
        return self._url(doc, "docx")

    def get_pdf_url(self, doc: Document) -> str:
        return self._url(doc, "pdf")


class EvidenceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    sha256 = serializers.CharField(source="blob.sha256", read_only=True)
    media_type = serializers.CharField(source="blob.media_type", read_only=True)
    size = serializers.IntegerField(source="blob.size", read_only=True)
    original_name = serializers.CharField(source="blob.original_name", read_only=True)
    blob_id = serializers.UUIDField(source="blob.public_id", read_only=True)
    uploaded_by = UserRefSerializer(read_only=True)
    ledger_index = serializers.IntegerField(source="entry.seq", read_only=True)

    class Meta:
        model = CaseEvidence
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "step",
            "source",
            "captured_at",
            "latitude",
            "longitude",
            "accuracy_m",
            "device",
            "blob_id",
            "sha256",
            "media_type",
            "size",
            "original_name",
            "uploaded_by",
            "uploaded_at",
            "ledger_index",
        ]
        read_only_fields = fields


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    title = serializers.CharField(max_length=200)
    step = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(
        choices=CaseEvidence.Source.choices, required=False, default=CaseEvidence.Source.DESK
    )
    captured_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    # Phones report more than six decimals; the view rounds to the model's precision.
    latitude = serializers.DecimalField(
        max_digits=None, decimal_places=None, required=False, allow_null=True, default=None
    )
    longitude = serializers.DecimalField(
        max_digits=None, decimal_places=None, required=False, allow_null=True, default=None
    )
    accuracy_m = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    device = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    client_key = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="上传编号：客户端为每个文件生成一次（如 UUID），网络中断后重发时原样带上。"
        "同一编号已附入同一文件的，返回 200 和原证据，不重复附入；编号已用于另一文件的，返回 400。",
    )


class MoneySerializer(serializers.Serializer):
    fine = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    surcharge = serializers.DecimalField(max_digits=14, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)
    payment_due = serializers.DateField(allow_null=True)


class CaseListSerializer(serializers.ModelSerializer):
    procedure_label = serializers.SerializerMethodField()
    status_label = serializers.CharField(read_only=True)
    agency = RefByIdSerializer(read_only=True)
    handler = UserRefSerializer(read_only=True, allow_null=True)
    parties = serializers.SerializerMethodField()
    next_deadline = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "title",
            "procedure",
            "procedure_label",
            "status",
            "status_label",
            "agency",
            "handler",
            "parties",
            "registered_on",
            "filed_on",
            "decided_on",
            "closed_on",
            "next_deadline",
        ]
        read_only_fields = fields

    def get_procedure_label(self, case: Case) -> str:
        proc = get_procedure(case.procedure)
        return proc.label if proc else case.procedure

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_parties(self, case: Case) -> list[str]:
        return [p.name for p in case.parties.all()]

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_next_deadline(self, case: Case) -> dict[str, Any] | None:
        running = getattr(case, "running_deadlines", None)
        if running is None:
            running = list(case.deadlines.filter(stopped_on__isnull=True))
        dated = [d for d in running if d.effective_due]
        chosen = min(dated, key=lambda d: d.effective_due) if dated else next(iter(running), None)
        return DeadlineSerializer(chosen, context=self.context).data if chosen else None


class CaseDetailSerializer(CaseListSerializer):
    parties = PartySerializer(many=True, read_only=True)
    source_kind_label = serializers.CharField(source="get_source_kind_display", read_only=True)
    region = serializers.SerializerMethodField()
    item = serializers.SerializerMethodField()
    decision_kind_label = serializers.CharField(source="get_decision_kind_display", read_only=True)
    officers = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    money = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "unit",
            "source_kind",
            "source_kind_label",
            "source_detail",
            "source_received_on",
            "region",
            "place",
            "act_date",
            "act_ended_on",
            "item",
            "facts",
            "legal_basis",
            "decision_kind",
            "decision_kind_label",
            "penalty_types",
            "fine_amount",
            "confiscation_amount",
            "discretion_grade",
            "notified_on",
            "notified_fine",
            "hearing_right",
            "statement_waived",
            "hearing_waived",
            "decision_number",
            "served_on",
            "payment_due",
            "archived_on",
            "officers",
            "deadlines",
            "money",
            "documents",
            "evidence",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
        }
    )
    def get_region(self, case: Case) -> dict[str, str]:
        return {"code": case.region.code, "name": case.region.name}

    @extend_schema_field(RefByIdSerializer(allow_null=True))
    def get_item(self, case: Case) -> dict[str, Any] | None:
        return {"id": case.item_id, "name": str(case.item)} if case.item_id else None

    @extend_schema_field(CaseOfficerSerializer(many=True))
    def get_officers(self, case: Case) -> list[dict[str, Any]]:
        rows = case.case_officers.filter(removed_on__isnull=True).select_related("officer")
        return CaseOfficerSerializer(rows, many=True).data

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, case: Case) -> list[dict[str, Any]]:
        return DeadlineSerializer(case.deadlines.all(), many=True, context=self.context).data

    @extend_schema_field(MoneySerializer)
    def get_money(self, case: Case) -> dict[str, Any]:
        return MoneySerializer(self.context["money"]).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, case: Case) -> list[dict[str, Any]]:
        return DocumentSerializer(case.documents.all(), many=True, context=self.context).data

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, case: Case) -> list[dict[str, Any]]:
        rows = case.evidence.select_related("blob", "entry", "uploaded_by")
        return EvidenceSerializer(rows, many=True).data


# ---------------------------------------------------------------------------
# Options, records
# ---------------------------------------------------------------------------


class OptionSerializer(serializers.Serializer):
    code = serializers.CharField(source="transition.code")
    label = serializers.CharField(source="transition.label")
    target = serializers.CharField(source="transition.target", allow_blank=True)
    is_record = serializers.BooleanField(source="transition.is_record")
    help = serializers.CharField(source="transition.help", allow_blank=True)
    allowed = serializers.BooleanField()
    refusals = RefusalSerializer(many=True)
    direct = serializers.BooleanField(
        source="transition.direct",
        help_text="能否通过 transitions 接口办理；否：须在 page 所指页面办理（如提交法制审核）。",
    )
    page = serializers.SerializerMethodField(
        help_text="须在专门页面办理的环节：该页面的地址；其余为空。"
    )
    form_fields = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_page(self, option) -> str:
        return step_page(self.context["case"], option.transition)

    @extend_schema_field(FormFieldSerializer(many=True, allow_null=True))
    def get_form_fields(self, option) -> list[dict[str, Any]] | None:
        """The form of an allowed transition, with this case's choices (none
        for a step done on its own page: the API cannot fire it)."""
        if not option.allowed or not option.transition.direct:
            return None
        form = FORMS[option.transition.form](case=self.context["case"])
        return form_fields(form.fields, bound_choices=True)


class CaseStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()


class OptionsSerializer(serializers.Serializer):
    case = CaseStateSerializer()
    options = OptionSerializer(many=True)


class LedgerEntrySerializer(serializers.Serializer):
    index = serializers.IntegerField(source="seq", help_text="全过程记录中的序号（叶子索引）")
    leaf_hash = serializers.SerializerMethodField()
    action = serializers.CharField()
    recorded_at = serializers.DateTimeField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_leaf_hash(self, entry) -> str:
        return bytes(entry.leaf_hash).hex()


class RecordSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True)
    entry = LedgerEntrySerializer(read_only=True)
    data = serializers.JSONField(read_only=True)
    on = serializers.DateField(read_only=True, help_text="本环节发生的日期（表单的 on）。")

    class Meta:
        model = CaseRecord
        fields = [
            "id",
            "transition",
            "label",
            "from_state",
            "to_state",
            "actor",
            "on",
            "occurred_at",
            "data",
            "entry",
        ]
        read_only_fields = fields


class FiredSerializer(RecordSerializer):
    case = serializers.SerializerMethodField()

    class Meta(RecordSerializer.Meta):
        fields = [*RecordSerializer.Meta.fields, "case"]
        read_only_fields = fields

    @extend_schema_field(CaseStateSerializer)
    def get_case(self, record: CaseRecord) -> dict[str, Any]:
        case = record.case
        return {
            "id": case.pk,
            "number": case.number,
            "status": case.status,
            "status_label": case.status_label,
        }


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    refusals = RefusalSerializer(many=True)
    record = RecordSerializer(required=False, help_text="重复提交时：之前按同一幂等键办理的记录。")


# The body of a transition is its form: the fields the procedure definition
# lists for it (GET /procedures/{code}/ or the case's options).
TRANSITION_INPUT = {
    "type": "object",
    "description": "该环节表单的字段（见程序定义或本案可办环节中的 form_fields）；多选字段传数组，人员等传主键。",
    "properties": {
        "on": {"type": "string", "format": "date", "description": "本环节发生的日期，默认今天。"},
        "note": {"type": "string"},
        "submission_key": {
            "type": "string",
            "maxLength": 200,
            "description": "幂等键：同一键只办理一次；也可用请求头 Idempotency-Key。",
        },
    },
    "additionalProperties": True,
}
