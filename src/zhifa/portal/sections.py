"""The portal's four sections. A section links to its page once the app that
serves it has registered the URL name; until then the home page says plainly
that it is not open yet (no empty placeholder pages)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    summary: str
    url_name: str

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


SECTIONS = [
    Section(
        "before",
        "事前公开",
        "执法主体、职责依据、执法事项清单、服务指南与流程图。",
        "portal:agencies",
    ),
    Section(
        "officers",
        "执法人员",
        "执法人员姓名、单位、执法证号、执法类别与区域，现场核验执法证件。",
        "officers:public_list",
    ),
    Section(
        "results",
        "执法结果",
        "行政许可、行政处罚等执法决定的公开信息，可检索、可下载。",
        "disclosure:results",
    ),
    Section("verify", "记录核验", "核验执法文书与执法记录是否与平台存证一致。", "ledger:verify"),
]


def sections() -> list[dict]:
    return [{"section": s, "url": s.url} for s in SECTIONS]
