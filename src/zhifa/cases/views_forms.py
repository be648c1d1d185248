"""The forms of the case pages that are not transitions: registering a case,
the on-the-spot case, uploading evidence. They only parse; the services
(`zhifa.cases.services`) validate and write. Transition forms are
`zhifa.cases.forms.FORMS`."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone

from zhifa.cases.models import EvidenceKind, Party, SourceKind
from zhifa.orgs.models import Agency, Region, RegionLevel

_DEPTH = {
    RegionLevel.PROVINCE: 0,
    RegionLevel.CITY: 1,
    RegionLevel.COUNTY: 2,
    RegionLevel.TOWNSHIP: 3,
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class RegionChoiceField(forms.ModelChoiceField):
    """Regions indented by level, so a township reads under its county."""

    def __init__(self, *args, top: Region | None = None, **kwargs):
        self.top_depth = _DEPTH.get(top.level, 0) if top else 0
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return "　" * max(0, _DEPTH.get(obj.level, 0) - self.top_depth) + obj.name


class AgencyChoiceMixin(forms.Form):
    """The agency the user acts for: a select only when they work in several."""

    agency = forms.ModelChoiceField(label="执法主体", queryset=Agency.objects.none())
    only_agency: Agency | None = None

    def setup_agency(self, agencies) -> None:
        field = self.fields["agency"]
        field.queryset = agencies
        field.label_from_instance = lambda a: a.name
        if len(agencies) == 1:
            # One agency: nothing to choose (and nothing to forget to send).
            self.only_agency = agencies[0]
            field.initial = self.only_agency.pk
            field.required = False
            field.widget = forms.HiddenInput()

    def clean_agency(self) -> Agency:
        agency = self.cleaned_data.get("agency") or self.only_agency
        if agency is None:
            raise forms.ValidationError("请选择执法主体。")
        return agency

    def chosen_agency(self) -> Agency | None:
        if self.only_agency is not None:
            return self.only_agency
        if self.is_bound:
            value = self.data.get(self.add_prefix("agency"))
            return next((a for a in self.fields["agency"].queryset if str(a.pk) == value), None)
        return None


class CaseRegisterForm(AgencyChoiceMixin):
    title = forms.CharField(label="案由", max_length=200)
    source_kind = forms.ChoiceField(label="案件来源", choices=SourceKind.choices)
    source_detail = forms.CharField(
        label="来源说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="投诉举报人、移送机关、交办文号等。",
    )
    source_received_on = forms.DateField(label="发现或收到日期", widget=DateInput)
    region = RegionChoiceField(label="违法行为发生地", queryset=Region.objects.none())
    place = forms.CharField(label="地点", max_length=200, required=False)
    act_date = forms.DateField(
        label="违法行为发生日期",
        required=False,
        widget=DateInput,
        help_text="立案时须填写；用于判断追责时效（行政处罚法第三十六条）。",
    )

    field_order = [
        "agency",
        "title",
        "source_kind",
        "source_detail",
        "source_received_on",
        "region",
        "place",
        "act_date",
    ]

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_agency(agencies)
        self.fields["source_received_on"].initial = timezone.localdate()
        agency = self.chosen_agency()
        tops = [agency.region] if agency else [a.region for a in agencies]
        regions = Region.objects.none()
        for top in tops:
            regions |= Region.objects.within(top)
        field = self.fields["region"]
        field.queryset = regions.order_by("code")
        field.top_depth = min((_DEPTH.get(t.level, 0) for t in tops), default=0)
        if agency and not self.is_bound:
            field.initial = agency.region.pk

    def clean(self):
        data = super().clean()
        agency, region = data.get("agency"), data.get("region")
        if agency and region and not agency.region.contains(region):
            self.add_error(
                "region", f"违法行为发生地须在{agency.name}的辖区（{agency.region.name}）内。"
            )
        return data


class PartyForm(forms.Form):
    """The fields of `zhifa.cases.parties.clean_party`; it checks them."""

    kind = forms.ChoiceField(
        label="当事人类型",
        choices=Party.Kind.choices,
        initial=Party.Kind.NATURAL,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label="姓名或名称", max_length=200)
    id_type = forms.ChoiceField(
        label="证件类型",
        choices=[("", "—"), *Party.IdType.choices],
        required=False,
        initial=Party.IdType.RESIDENT,
        help_text="当事人是公民的填写。",
    )
    id_number = forms.CharField(label="证件号码", max_length=40, required=False)
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        required=False,
        help_text="当事人是法人或者其他组织的填写。",
    )
    legal_representative = forms.CharField(
        label="法定代表人或负责人", max_length=60, required=False
    )
    address = forms.CharField(label="住所或地址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)

    def party(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class SummaryCaseForm(AgencyChoiceMixin):
    """当场处罚: the few things an officer types standing in the street."""

    kind = forms.ChoiceField(
        label="当事人是",
        choices=[(Party.Kind.NATURAL, "公民"), (Party.Kind.ORGANISATION, "单位")],
        initial=Party.Kind.NATURAL,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label="姓名或单位名称", max_length=200)
    ident = forms.CharField(
        label="身份证号码或统一社会信用代码",
        max_length=40,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    title = forms.CharField(label="案由", max_length=200)
    place = forms.CharField(label="地点", max_length=200)

    field_order = ["agency", "kind", "name", "ident", "title", "place"]

    # Where each service error key lands in this form.
    ERROR_FIELDS = {
        "party.kind": "kind",
        "party.name": "name",
        "party.id_number": "ident",
        "party.id_type": "ident",
        "party.uscc": "ident",
        "title": "title",
        "place": "place",
    }

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_agency(agencies)

    def party(self) -> dict[str, str]:
        data = self.cleaned_data
        ident = data["ident"].strip().upper()
        if data["kind"] == Party.Kind.ORGANISATION:
            return {"kind": data["kind"], "name": data["name"], "uscc": ident}
        return {
            "kind": data["kind"],
            "name": data["name"],
            "id_type": Party.IdType.RESIDENT,
            "id_number": ident,
        }


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, (list, tuple)) else [data]
        files = [single(d, initial) for d in items if d]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


MEDIA = "image/*,video/*,audio/*"


def _epoch_ms(value: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


class EvidenceUploadForm(forms.Form):
    # Two inputs, as on the ledger's upload page: on phones `capture` opens
    # the camera directly and hides the gallery, so earlier photos and
    # recordings need the second one.
    camera = MultipleFileField(
        label="拍照、录像或录音",
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": MEDIA, "capture": "environment", "class": "capture"}
        ),
    )
    files = MultipleFileField(
        label="或从手机相册、文件中选择",
        required=False,
        widget=MultipleFileInput(attrs={"accept": f"{MEDIA},application/pdf"}),
    )
    kind = forms.ChoiceField(
        label="证据种类", choices=EvidenceKind.choices, initial=EvidenceKind.AUDIOVISUAL
    )
    title = forms.CharField(
        label="证据名称",
        max_length=180,
        required=False,
        help_text="不填则使用文件名；一次上传多个文件的，名称后自动加序号。",
    )
    step = forms.ChoiceField(label="执法环节", required=False)
    captured_at = forms.DateTimeField(
        label="采集时间",
        required=False,
        widget=DateTimeInput,
        help_text="选择文件后按文件的拍摄（修改）时间自动填写，可更正。",
    )
    # Filled by the page's script: each file's lastModified (ms since the
    # epoch, comma-separated in upload order) and the phone's position.
    captured_ms = forms.CharField(required=False, widget=forms.HiddenInput)
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    accuracy = forms.CharField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
    inline = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", "不属于特定环节"), *steps]

    @staticmethod
    def _decimal(value: str) -> Decimal | None:
        try:
            return Decimal(value).quantize(Decimal("0.000001")) if value else None
        except InvalidOperation:
            return None

    def clean(self):
        data = super().clean()
        uploads = [*(data.get("camera") or []), *(data.get("files") or [])]
        if not uploads:
            raise forms.ValidationError("请拍摄或选择至少一个文件。")
        data["uploads"] = uploads
        times = [_epoch_ms(v) for v in (data.get("captured_ms") or "").split(",") if v]
        data["times"] = times if len(times) == len(uploads) else []
        data["lat"] = self._decimal(data.get("latitude") or "")
        data["lon"] = self._decimal(data.get("longitude") or "")
        try:
            data["accuracy_m"] = round(float(data.get("accuracy") or "")) or None
        except ValueError:
            data["accuracy_m"] = None
        return data

    def items(self) -> list[dict]:
        """One `add_evidence` call's arguments per file, in upload order."""
        data = self.cleaned_data
        uploads, title = data["uploads"], (data.get("title") or "").strip()
        result = []
        for n, upload in enumerate(uploads):
            name = upload.name or "证据文件"
            if title:
                name = f"{title}（{n + 1}/{len(uploads)}）" if len(uploads) > 1 else title
            result.append(
                {
                    "file": upload,
                    "original_name": upload.name or "",
                    "kind": data["kind"],
                    "title": name[:200],
                    "step": data.get("step") or "",
                    "captured_at": data["times"][n] if data["times"] else data.get("captured_at"),
                    "latitude": data["lat"],
                    "longitude": data["lon"],
                    "accuracy_m": data["accuracy_m"],
                }
            )
        return result


class BodycamImportForm(forms.Form):
    files = MultipleFileField(
        label="执法记录仪导出的文件",
        widget=MultipleFileInput(attrs={"accept": MEDIA}),
        help_text="可一次选择多个文件；每个文件单独存证，一个文件失败不影响其他文件。",
    )
    device = forms.CharField(
        label="执法记录仪编号", max_length=100, help_text="记录仪机身或管理系统中的设备编号。"
    )
    step = forms.ChoiceField(label="执法环节", required=False)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", "不属于特定环节"), *steps]
