"""Demo of 事后公开 for the county market regulation bureau, from the demo
cases' real decisions (loaded after `cases_demo`).

The decision events of the demo cases created their publication obligations
when the cases' transaction committed (zhifa.disclosure.receivers). Here the
bureau works them as it would, through `zhifa.disclosure.services`:

* archived — drafted, confirmed by the legal reviewer, published; a member
  of the public reports an error and the bureau answers it;
* closed — published, then corrected: the title named the goods only as
  预包装食品, so a second version states the violation precisely (the
  permalink shows the history). The shop's 字号, the owner's given name,
  is masked with her name from the first version on (王某某（某某副食店）:
  zhifa.disclosure.redaction.names.business_names);
* summary — the 简易程序 decision, published; the party's statement is
  approved and shown beside it;
* served_paused — drafted, awaiting review, past its due date (overdue);
* decided — due, within its 7 working days;
* revoked — revoked by reconsideration before it was published: cancelled;
* withdrawn — one more case, decided, served and published, then revoked by
  the 复议机关 today and withdrawn with its public reason.

Idempotent: each step runs only if the publication is still in the state
before it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhifa.cases import engine
from zhifa.cases.models import Case, Document
from zhifa.orgs.models import Agency, User

WITHDRAWN_TITLE = "钱玉兰（玉兰副食店）经营标签不符合规定的预包装豆制品案"


def load_disclosure(agencies: dict[str, Agency]) -> None:
    from zhifa.demo.cases_demo import demo_cases
    from zhifa.demo.loader import MARKET

    market = agencies.get(MARKET)
    if market is None:
        return
    cases = demo_cases(market)
    if not cases:
        return  # the demo cases were not loaded (see cases_demo)
    people = {u.username: u for u in User.objects.filter(username__in=USERS)}
    if len(people) < len(USERS):
        return
    demo = _Demo(people)
    if "archived" in cases:
        pub = demo.publish(cases["archived"])
        if pub is not None:
            demo.error_report(pub)
    if "closed" in cases:
        pub = demo.publish(cases["closed"])
        if pub is not None:
            demo.correction(pub)
    if "summary" in cases:
        pub = demo.publish(cases["summary"])
        if pub is not None:
            demo.reply(cases["summary"], pub)
    if "served_paused" in cases:
        demo.draft(cases["served_paused"])
    for key in ("decided", "revoked"):
        if key in cases:
            _publication(cases[key])
    demo.withdrawn_case(market)


USERS = ("zhangwei", "liuyang", "chenjing", "wangfang")


def _publication(case: Case):
    """The case's publication. The case events create it after commit; where
    on-commit callbacks are deferred (a test's transaction) it is created here
    the same way — both are idempotent."""
    from zhifa.disclosure import services
    from zhifa.orgs.services import SYSTEM

    doc = (
        Document.objects.filter(case=case, doc_type__endswith="decision", status="issued")
        .order_by("id")
        .first()
    )
    if doc is None:
        return None
    case = Case.objects.get(pk=case.pk)
    pub = services.obligation_create(
        actor=SYSTEM, case=case, document=doc, decided_on=case.decided_on
    )
    if case.outcome_kind in ("changed", "revoked", "illegal", "void"):
        services.withdrawal_require(
            actor=SYSTEM, case_id=case.pk, outcome=case.outcome_kind, on=case.outcome_on
        )
        pub.refresh_from_db()
    return pub


class _Demo:
    def __init__(self, people: dict[str, User]):
        self.officer = people["zhangwei"]
        self.reviewer = people["liuyang"]
        self.head = people["chenjing"]
        self.unit_head = people["wangfang"]

    def draft(self, case: Case):
        from zhifa.disclosure import services
        from zhifa.disclosure.models import PublicationStatus

        pub = _publication(case)
        if pub is None or pub.status != PublicationStatus.DUE:
            return pub
        return services.publication_draft(actor=self.officer, publication=pub)

    def publish(self, case: Case):
        """Draft, review, confirm and publish; None if the obligation is not open."""
        from zhifa.disclosure import services
        from zhifa.disclosure.models import PublicationStatus

        pub = _publication(case)
        if pub is None:
            return None
        if pub.status == PublicationStatus.DUE:
            pub = services.publication_draft(actor=self.officer, publication=pub)
        if pub.status != PublicationStatus.DRAFTED:
            return None
        pub = services.publication_redaction_confirm(actor=self.reviewer, publication=pub)
        return services.publication_publish(actor=self.head, publication=pub)

    def error_report(self, pub) -> None:
        from zhifa.disclosure import services

        report = services.error_report_submit(
            publication=pub,
            content="公示的罚款金额与我在其他网站看到的不一致，请核实。",
            reporter_name="周先生",
        )
        services.error_report_answer(
            actor=self.unit_head,
            report=report,
            answer="经核查，公示的罚款金额与送达当事人的行政处罚决定书一致，公示信息无误。感谢您的监督。",
            outcome="no_error",
        )

    def correction(self, pub) -> None:
        """A corrected version: the title said 预包装食品 where the decision is
        about honey without a production date and shelf life."""
        from zhifa.disclosure import services

        title = pub.title.replace(_VAGUE, _PRECISE)
        if title == pub.title:
            return
        corrected = services.publication_correct(
            actor=self.head,
            publication=pub,
            note=(
                "经复核，标题中的违法行为表述不够具体，依决定书认定的事实更正为"
                f"“{_PRECISE}”；决定书正文未作改动。"
            ),
            title=title,
        )
        corrected = services.publication_redaction_confirm(
            actor=self.reviewer, publication=corrected
        )
        services.publication_publish(actor=self.head, publication=corrected)

    def reply(self, case: Case, pub) -> None:
        from zhifa.disclosure import services

        party = case.parties.order_by("id").first()
        ident = party.uscc or party.id_number
        reply = services.reply_submit(
            publication=pub,
            identifier=ident,
            text="本单位已于收到决定书后全额缴纳罚款，并对全部在售商品的标签逐一核查整改，建立了进货查验记录制度。",
        )
        services.reply_moderate(actor=self.unit_head, reply=reply, approve=True)

    def withdrawn_case(self, market: Agency) -> None:
        """A decision published, then revoked by reconsideration today and withdrawn."""
        from zhifa.disclosure import services
        from zhifa.disclosure.models import PublicationStatus

        case = Case.objects.filter(agency=market, title=WITHDRAWN_TITLE).first()
        if case is None:
            from zhifa.demo.cases_demo import _Runner

            with transaction.atomic():
                runner = _Runner(market)
                runner.run([_withdrawn_spec()])
            case = Case.objects.get(agency=market, title=WITHDRAWN_TITLE)
        pub = _publication(case)
        if pub is None:
            return
        if pub.status in (PublicationStatus.DUE, PublicationStatus.DRAFTED):
            pub = self.publish(case)
        if pub is None or pub.status != PublicationStatus.PUBLISHED:
            return
        if not case.outcome_kind:
            today = timezone.localdate()
            with transaction.atomic():
                engine.fire(
                    case,
                    "record_outcome",
                    self.unit_head,
                    {
                        "kind": "revoked",
                        "body": "本溪满族自治县人民政府",
                        "reference": "本县政复决字〔2026〕23号",
                        "note": "复议机关认为涉案豆制品为散装称重销售，不属于预包装食品，原处罚决定认定事实不清。",
                        "on": today,
                    },
                    today=today,
                )
        pub = _publication(case)
        if pub.status == PublicationStatus.PUBLISHED:
            services.publication_withdraw(
                actor=self.head,
                publication=pub,
                reason="该行政处罚决定已被本溪满族自治县人民政府行政复议决定（本县政复决字〔2026〕23号）撤销，依照《中华人民共和国行政处罚法》第四十八条撤回公示。",
            )


# The corrected wording of the closed case's title.
_VAGUE = "经营标签不符合规定的预包装食品案"
_PRECISE = "经营标签未标注生产日期和保质期的预包装蜂蜜案"


def _withdrawn_spec():
    from zhifa.demo import cases_demo_specs as s

    return s.DemoCase(
        key="withdrawn",
        title=WITHDRAWN_TITLE,
        source_kind="inspection",
        source_detail="日常监督检查中发现。",
        received=s.d(9, 7),
        registered=s.d(9, 8),
        registered_by="zhangwei",
        party=s._person(
            "钱玉兰", "19720514", "026", "本溪满族自治县小市镇南街12号玉兰副食店", "13842421187"
        ),
        place="本溪满族自治县小市镇南街12号",
        steps=(
            s._file(s.d(9, 9), s.d(9, 7), s.ITEM_125),
            s._recording(s.d(9, 10), "现场检查执法记录仪录音", 9),
            s._inspect(
                s.d(9, 10),
                "本溪满族自治县小市镇南街12号玉兰副食店",
                "当事人店内冷柜陈列袋装豆腐干22袋，袋上仅贴有品名，未标注生产日期和保质期。",
            ),
            s._propose(
                s.d(9, 15),
                s.ITEM_125,
                facts="当事人销售标签未标注生产日期、保质期的袋装豆腐干，货值金额286元。",
                evidence="现场检查笔录、涉案豆腐干照片。",
                basis=s.S125,
                fine="9000",
                confiscation="286",
                grade="lighter",
                circumstances="eliminated_harm",
            ),
            s._notify(s.d(9, 16)),
            s._waive(s.d(9, 17), "本人放弃陈述、申辩。"),
            s._end_statement(s.d(9, 18)),
            s._decide(s.d(9, 21), "9000", confiscation="286"),
            s._serve(s.d(9, 22), "钱玉兰"),
        ),
    )
