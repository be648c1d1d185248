"""Chinese full-text search of 执法结果 at size (a script, not a test).

    .venv/bin/python bench/disclosure_search.py [--rows 1000000] [--db sqlite|postgres]
        [--pg-url URL] [--path DIR] [--keep] [--reuse] [--queries 100]

Builds a dedicated database (SQLite under `--path`, by default a directory in
/tmp, never the demo's var/; or, with `--db postgres`, a database
`zhifa_bench_search` on the server of `--pg-url` / DATABASE_URL), migrates it
and loads `--rows` publications straight into the tables in batches:
realistic synthetic decisions (six kinds of agency in seven counties of three
cities, a company or a masked person as party, penalties, licences and other
decisions over five years, 300–700 characters of text, a few withdrawn ones),
each published one with its search document (order key and tokens from
`zhifa.disclosure.search.documents`). SQLite fills the FTS5 table once at the
end ('rebuild', with the triggers off during the load); PostgreSQL fills the
generated tsvector column as rows arrive through COPY and builds the GIN index
after the load.

Then it times the portal's own query, `selectors.publication_results_for_public`
paged by Django's Paginator exactly as the results view does (capped count +
one page of 20 + its publications), for 2-, 3- and 6-character queries,
common and rare, alone and with filters (agency; kind + city; a month; agency
+ kind + a year), filters alone, the 50th page, and whole pages through the
view (ETag, filter lists and template included). Each case's inputs run once
untimed first, then `--queries` times in turn; it prints p50/p99 per case and
the number of hits (exact, counted once outside the timing). The goal of
issue #8 is p99 < 100 ms over 1,000,000 publications.

Last, open data: the CSV download for a common word and for a rare word with
an agency (time to the first row and to the whole file, at most 10,000 rows),
each beside the plain ORM query it replaced (every hit sorted before the first
row). Measured 2026-11-22 on SQLite, 100,000 publications, 2 shared cores
with another benchmark running: 罚款 first row 23.7 ms, 10,000 rows 889 ms
(the old query's sort alone 177 ms, and it wrote nothing before the whole
list was built); 保质期 + agency first row 22.5 ms, 1,555 rows 133 ms.

`--keep` keeps the database; `--reuse` times a kept one without loading again.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import benchdb

PG_DB = "zhifa_bench_search"
DEFAULT_PATH = Path("/tmp/zhifa_bench_search")

CITIES = [("210500", "本溪市"), ("210100", "沈阳市"), ("210200", "大连市")]
COUNTIES = [
    ("210521", "本溪满族自治县", "210500"),
    ("210522", "桓仁满族自治县", "210500"),
    ("210502", "平山区", "210500"),
    ("210102", "和平区", "210100"),
    ("210103", "沈河区", "210100"),
    ("210202", "中山区", "210200"),
    ("210203", "西岗区", "210200"),
]
# name, short name, weight, facts (with how often each occurs), laws, licence
AGENCY_TYPES = [
    (
        "市场监督管理局",
        "市监",
        6,
        [
            ("经营超过保质期的食品", 8),
            ("销售标签不符合规定的预包装食品", 8),
            ("未取得食品经营许可从事食品经营活动", 5),
            ("生产经营无中文标签的进口预包装食品", 3),
            ("使用未经检定的计量器具", 4),
            ("未按规定公示营业执照", 5),
            ("未建立进货查验记录制度", 6),
            ("销售不符合强制性国家标准的电动自行车头盔", 2),
            ("发布虚假违法广告", 2),
            ("不按规定明码标价", 4),
            ("销售超过有效期的药品", 2),
        ],
        ["《中华人民共和国食品安全法》第一百二十四条", "《中华人民共和国广告法》第五十五条"],
        "食品经营许可证",
    ),
    (
        "生态环境分局",
        "环",
        2,
        [
            ("建设项目未依法报批环境影响评价文件擅自开工建设", 3),
            ("超过大气污染物排放标准排放大气污染物", 4),
            ("未按规定设置危险废物识别标志", 3),
            ("夜间施工产生噪声污染干扰他人正常生活", 2),
        ],
        [
            "《中华人民共和国大气污染防治法》第九十九条",
            "《中华人民共和国环境影响评价法》第三十一条",
        ],
        "排污许可证",
    ),
    (
        "交通运输局",
        "交",
        2,
        [
            ("未取得道路运输经营许可擅自从事道路客运经营", 4),
            ("车辆超限运输", 4),
            ("网约车未取得车辆运输证从事经营", 3),
        ],
        ["《中华人民共和国道路运输条例》第六十三条"],
        "道路运输经营许可证",
    ),
    (
        "应急管理局",
        "应急",
        1,
        [
            ("未按规定对从业人员进行安全生产教育和培训", 5),
            ("未经许可擅自经营烟花爆竹", 1),
            ("未按规定配备专职安全生产管理人员", 3),
        ],
        ["《中华人民共和国安全生产法》第九十七条"],
        "烟花爆竹经营（零售）许可证",
    ),
    (
        "综合行政执法局",
        "综执",
        2,
        [
            ("擅自占用城市道路设置经营摊点", 5),
            ("未取得建设工程规划许可证进行建设", 3),
            ("随意倾倒建筑垃圾", 3),
        ],
        ["《城市道路管理条例》第四十二条", "《中华人民共和国城乡规划法》第六十四条"],
        "城市道路占用许可",
    ),
    (
        "卫生健康局",
        "卫",
        1,
        [
            ("未取得医疗机构执业许可证擅自执业", 3),
            ("公共场所经营者未取得卫生许可证经营", 3),
            ("使用未取得健康合格证明的从业人员", 4),
        ],
        ["《医疗机构管理条例》第四十四条", "《公共场所卫生管理条例》第十四条"],
        "公共场所卫生许可证",
    ),
]
NAME_CHARS = "鑫旺福源鸿运德成金海万家宏达顺发华联永盛兴隆佳禾瑞丰恒泰嘉和富贵吉祥同仁广汇信诚天润"
INDUSTRIES = [
    "超市",
    "食品商行",
    "便利店",
    "粮油商行",
    "调料商店",
    "建材有限公司",
    "餐饮有限公司",
    "物流有限公司",
    "五金商店",
    "大药房",
    "运输有限公司",
    "诊所",
    "洗浴中心",
    "建筑工程有限公司",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
EVIDENCE = ["现场检查笔录", "询问笔录", "现场照片", "进货单据", "检验报告", "营业执照复印件"]

# Query words: (label, words). Hits are counted once and printed.
QUERIES = [
    ("2 字 常见", ["罚款", "食品", "警告"]),
    ("2 字 少见", ["鑫旺", "烟花", "诊所"]),
    ("3 字 常见", ["保质期", "营业执", "许可证"]),
    ("3 字 少见", ["鑫旺超", "运输证", "头盔的"]),
    ("6 字 常见", ["申请行政复议", "超过保质期的", "现场检查笔录"]),
    ("6 字 少见", ["经营烟花爆竹", "未取得医疗机", "标准的电动自"]),
    ("无结果", ["无此词语", "罚款决定食品", "qwerty"]),
]


# --------------------------------------------------------------------------
# Data


def _orgs():
    from zhifa.orgs import services as orgs
    from zhifa.orgs.codes import uscc_with_check
    from zhifa.orgs.models import Agency, AgencyKind, Region

    if Agency.objects.exists():
        return list(Agency.objects.select_related("region").order_by("pk"))
    province = orgs.region_create(actor=orgs.SYSTEM, code="210000", name="辽宁省")
    cities = {
        code: orgs.region_create(actor=orgs.SYSTEM, code=code, name=name, parent=province)
        for code, name in CITIES
    }
    agencies = []
    for code, name, city in COUNTIES:
        county = orgs.region_create(actor=orgs.SYSTEM, code=code, name=name, parent=cities[city])
        for n, (suffix, short, *_rest) in enumerate(AGENCY_TYPES):
            agencies.append(
                orgs.agency_create(
                    actor=orgs.SYSTEM,
                    name=f"{name}{suffix}",
                    short_name=f"{name[:2]}{short}",
                    uscc=uscc_with_check(f"11{code}MB{n:07d}"),
                    region=county,
                    kind=AgencyKind.STATUTORY,
                    authority_basis="基准测试",
                )
            )
    assert Region.objects.count() == 1 + len(CITIES) + len(COUNTIES)
    return agencies


def _weighted(pairs):
    items, weights = zip(*pairs, strict=True)
    return list(items), list(weights)


def _party(rnd: random.Random) -> tuple[str, str]:
    if rnd.random() < 0.3:
        return rnd.choice(SURNAMES) + "某某", "natural"
    core = rnd.choice(NAME_CHARS) + rnd.choice(NAME_CHARS)
    place = rnd.choice(COUNTIES)[1][:2]
    return f"{place}{core}{rnd.choice(INDUSTRIES)}", "legal"


def _text(rnd: random.Random, kind: str, party: str, agency: str, atype, number: str) -> str:
    _name, _short, _w, facts, laws, licence = atype
    fact_items, fact_weights = _weighted(facts)
    fact = rnd.choices(fact_items, fact_weights)[0]
    if kind == "license":
        return (
            f"{party}：你（单位）于申请的{licence}事项，经审查，符合法定条件、标准。"
            f"根据《中华人民共和国行政许可法》第三十八条第一款的规定，本机关决定准予行政许可，"
            f"核发{licence}，编号{rnd.randint(10**9, 10**10)}，有效期五年。请按照许可范围依法从事"
            f"有关活动，接受监督检查。{agency}。"
        )
    evidence = "、".join(rnd.sample(EVIDENCE, rnd.randint(2, 5)))
    body = (
        f"当事人{party}。经查，当事人于{rnd.randint(1, 12)}月{rnd.randint(1, 28)}日起{fact}，"
        f"货值金额{rnd.randint(100, 99999)}元，违法所得{rnd.randint(0, 9999)}元。以上事实有{evidence}"
        f"等证据证明。当事人的上述行为违反了{rnd.choice(laws)}的规定。"
    )
    if kind == "other":
        return body + f"本机关责令当事人立即改正上述违法行为。{agency}，{number}。"
    penalties = []
    if rnd.random() < 0.3:
        penalties.append("警告")
    if rnd.random() < 0.85 or not penalties:
        penalties.append(f"罚款人民币{rnd.randint(5, 2000) * 100}元")
    if rnd.random() < 0.2:
        penalties.append(f"没收违法所得{rnd.randint(1, 9999)}元")
    body += (
        f"鉴于当事人{rnd.choice(['积极配合调查', '主动消除违法行为危害后果', '系初次违法'])}，"
        f"依据有关规定，本机关决定对当事人作出如下行政处罚：{'；'.join(penalties)}。"
    )
    if any(p.startswith("罚款") for p in penalties):
        body += "当事人应当自收到本决定书之日起十五日内，将罚款缴至指定银行。逾期不缴纳的，每日按罚款数额的百分之三加处罚款。"
    return body + (
        "当事人如不服本决定，可以自收到本决定书之日起六十日内申请行政复议，"
        "也可以在六个月内依法向人民法院提起行政诉讼。"
    )


def _rows(rows: int, agencies, seed: int = 8):
    """Yield (publication values, search document (key, tokens) or None)."""
    from zhifa.disclosure.search.documents import index_tokens, order_key

    rnd = random.Random(seed)
    type_of = {a.pk: next(t for t in AGENCY_TYPES if a.name.endswith(t[0])) for a in agencies}
    weights = [type_of[a.pk][2] for a in agencies]
    start, span = date(2021, 1, 1), 5 * 365
    for i in range(1, rows + 1):
        agency = rnd.choices(agencies, weights)[0]
        atype = type_of[agency.pk]
        r = rnd.random()
        kind = "penalty" if r < 0.8 else "license" if r < 0.95 else "other"
        day = start + timedelta(days=(i * span // rows + rnd.randint(-20, 20)) % span)
        party, party_kind = _party(rnd)
        number = f"{agency.short_name}{'罚' if kind == 'penalty' else '许'}〔{day.year}〕{i}号"
        text = _text(rnd, kind, party, agency.name, atype, number)
        if kind == "license":
            title = f"{party}{atype[5]}准予许可决定"
        else:
            fact = rnd.choices(*_weighted(atype[3]))[0]
            title = f"{party}{fact}案"
        withdrawn = rnd.random() < 0.02
        values = {
            "id": i,
            "series": uuid.UUID(int=rnd.getrandbits(128), version=4),
            "public_id": uuid.UUID(int=rnd.getrandbits(128), version=4),
            "status": "withdrawn" if withdrawn else "published",
            "agency_id": agency.pk,
            "agency_name": agency.name,
            "region_code": agency.region.code,
            "region_name": agency.region.name,
            "case_id": i,
            "case_number": f"案{i}",
            "document_id": i,
            "kind": kind,
            "title": title[:200],
            "decision_number": number,
            "decided_on": day,
            "party_display": party,
            "party_kind": party_kind,
            "text": "" if withdrawn else text,
            "published_at": datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
            + timedelta(days=5),
            "withdrawal_reason": "原行政处罚决定已被行政复议决定撤销。" if withdrawn else "",
            "withdrawal_cause": "revoked" if withdrawn else "",
        }
        doc = None
        if not withdrawn:
            doc = (
                order_key(day, i),
                index_tokens(
                    agency_id=agency.pk,
                    kind=kind,
                    region_code=agency.region.code,
                    decided_on=day,
                    title=values["title"],
                    party=party,
                    agency_name=agency.name,
                    decision_number=number,
                    text=text,
                ),
            )
        yield values, doc


def _columns(connection, varying: set[str]):
    """Every column of the publication table with its constant value (the
    model's default, prepared for this database) for the columns `_rows`
    leaves out (`varying`)."""
    import json

    from django.db import models

    from zhifa.disclosure.models import Publication

    now = datetime(2026, 1, 1, tzinfo=UTC)
    constants = {
        "version": 1,
        "document_type": "penalty_decision",
        "source_sha256": "0" * 64,
        "due_rule": "disclosure.penalty",
        "text_sha256": "1" * 64,
        "created_at": now,
        "updated_at": now,
    }
    columns = []
    for field in Publication._meta.concrete_fields:
        if field.attname in varying:
            value = None
        elif field.attname in constants:
            value = constants[field.attname]
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        else:
            value = ""
        if isinstance(field, models.JSONField):
            value = json.dumps(value)
        elif value is not None and not isinstance(field, models.UUIDField):
            value = field.get_db_prep_save(value, connection)
        columns.append((field.attname, field.column, field, value))
    return columns


def _prep(field, value, vendor, connection):
    from django.db import models

    if value is None:
        return None
    if isinstance(field, models.UUIDField):
        return value.hex if vendor == "sqlite" else str(value)
    if vendor == "postgresql":
        return value
    if isinstance(field, models.DateTimeField | models.DateField):
        return field.get_db_prep_save(value, connection)
    return value


def _load(rows: int, agencies) -> None:
    from django.db import connection, transaction

    vendor = connection.vendor
    rows_iter = _rows(rows, agencies)
    first = next(rows_iter)
    columns = _columns(connection, set(first[0]))
    names = [c[1] for c in columns]
    varying = [(i, c[2]) for i, c in enumerate(columns) if c[0] in first[0]]
    template = [c[3] for c in columns]
    batch = 5000
    t0 = time.perf_counter()
    pubs, docs = [], []

    def flush():
        nonlocal pubs, docs
        if vendor == "sqlite":
            with connection.cursor() as cur:
                cur.executemany(
                    f"INSERT INTO disclosure_publication ({', '.join(names)}) "
                    f"VALUES ({', '.join(['%s'] * len(names))})",
                    pubs,
                )
                cur.executemany(
                    "INSERT INTO disclosure_searchdocument (id, publication_id, tokens) "
                    "VALUES (%s, %s, %s)",
                    docs,
                )
        else:
            raw = connection.connection
            with raw.cursor() as cur:
                with cur.copy(f"COPY disclosure_publication ({', '.join(names)}) FROM STDIN") as cp:
                    for row in pubs:
                        cp.write_row(row)
                with cur.copy(
                    "COPY disclosure_searchdocument (id, publication_id, tokens) FROM STDIN"
                ) as cp:
                    for row in docs:
                        cp.write_row(row)
        pubs, docs = [], []

    # The full-text index is filled once after the load, not row by row.
    if vendor == "sqlite":
        _sqlite_triggers(drop=True)
        with connection.cursor() as cur:
            cur.execute("PRAGMA synchronous = OFF")
    else:
        with connection.cursor() as cur:
            cur.execute("DROP INDEX IF EXISTS disclosure_searchdocument_tsv")
    for values, doc in itertools.chain([first], rows_iter):
        row = list(template)
        for i, field in varying:
            row[i] = _prep(field, values[field.attname], vendor, connection)
        pubs.append(row)
        if doc:
            docs.append((doc[0], values["id"], doc[1]))
        if len(pubs) == batch:
            with transaction.atomic():
                flush()
            done = values["id"]
            if done % 100000 == 0:
                print(f"  已写入 {done} 条（{time.perf_counter() - t0:.0f} 秒）", flush=True)
    with transaction.atomic():
        flush()
    print(f"  表已写入（{time.perf_counter() - t0:.0f} 秒），建全文索引…", flush=True)
    t1 = time.perf_counter()
    with connection.cursor() as cur:
        if vendor == "sqlite":
            with transaction.atomic():
                cur.execute(
                    "INSERT INTO disclosure_search_fts(disclosure_search_fts) VALUES ('rebuild')"
                )
                _sqlite_triggers(drop=False)
        else:
            cur.execute("SET maintenance_work_mem = '1GB'")
            cur.execute(
                "CREATE INDEX disclosure_searchdocument_tsv ON disclosure_searchdocument "
                "USING GIN (tsv)"
            )
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('disclosure_publication', 'id'), "
                "(SELECT max(id) FROM disclosure_publication))"
            )
    if vendor == "postgresql":
        connection.close()
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    print(
        f"  全文索引已建（{time.perf_counter() - t1:.0f} 秒）；载入共 {time.perf_counter() - t0:.0f} 秒",
        flush=True,
    )


def _sqlite_triggers(*, drop: bool) -> None:
    import importlib

    from django.db import connection

    migration = importlib.import_module("zhifa.disclosure.migrations.0002_search_index")
    with connection.cursor() as cur:
        for sql in migration.SQLITE_REVERSE[:3] if drop else migration.SQLITE[1:]:
            cur.execute(sql)


# --------------------------------------------------------------------------
# Timing


def _filter_sets(agencies):
    from zhifa.disclosure.selectors import PublicFilters

    market = [a for a in agencies if a.name.endswith("市场监督管理局")]
    return [
        ("机关", PublicFilters(agency=str(market[0].public_id))),
        ("类别+市", PublicFilters(kind="license", region="210100")),
        ("一个月", PublicFilters(date_from=date(2024, 3, 1), date_to=date(2024, 3, 31))),
        (
            "机关+类别+一年",
            PublicFilters(
                agency=str(agencies[-1].public_id),
                kind="penalty",
                date_from=date(2023, 1, 1),
                date_to=date(2023, 12, 31),
            ),
        ),
    ]


def _with(filters, q: str):
    from dataclasses import replace

    return replace(filters, q=q)


def _page(filters, number: int = 1):
    """What the results view does with the filters, minus the HTML."""
    from django.core.paginator import Paginator

    from zhifa.disclosure.selectors import publication_results_for_public

    found = publication_results_for_public(filters)
    page = Paginator(found, 20).get_page(number)
    rows = list(page.object_list)
    return found, rows


def _time(cases, queries: int, run) -> tuple[float, float]:
    for case in cases:  # one untimed pass: steady state, not the first request
        run(case)
    times = []
    for n in range(queries):
        t = time.perf_counter()
        run(cases[n % len(cases)])
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return statistics.median(times), p99


def _hits(filters) -> int:
    from zhifa.disclosure import search
    from zhifa.disclosure.selectors import _criteria

    criteria = _criteria(filters)
    return 0 if criteria is None else len(search.keys(criteria, offset=0, limit=10**9))


def _bench(agencies, queries: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from zhifa.disclosure.selectors import PublicFilters

    filter_sets = _filter_sets(agencies)
    cases = []
    for label, words in QUERIES:
        cases.append((label, [PublicFilters(q=w) for w in words]))
        cases.append(
            (
                f"{label} + 筛选",
                [_with(f, w) for w in words for _, f in filter_sets],
            )
        )
    cases.append(("仅筛选", [f for _, f in filter_sets]))
    cases.append(("无检索词无筛选", [PublicFilters()]))

    print(f"{'情形':<22}{'p50 毫秒':>10}{'p99 毫秒':>10}{'命中（平均）':>14}")
    total = []
    for label, filters_list in cases:
        hits = statistics.mean(_hits(f) for f in filters_list)
        p50, p99 = _time(filters_list, queries, _page)
        total.append((p50, p99))
        print(f"{label:<22}{p50:>10.1f}{p99:>10.1f}{hits:>14.0f}", flush=True)

    deep = [PublicFilters(q="罚款"), _with(filter_sets[0][1], "食品")]
    p50, p99 = _time(deep, queries, lambda f: _page(f, 50))
    print(f"{'第 50 页':<22}{p50:>10.1f}{p99:>10.1f}{'':>14}")

    client = Client()
    url = reverse("disclosure:results")
    market = filter_sets[0][1].agency
    pages = [
        {"q": "罚款"},
        {"q": "经营烟花爆竹"},
        {"q": "保质期", "agency": market, "from": "2023-01-01", "to": "2023-12-31"},
        {},
    ]

    def get(params):
        response = client.get(url, params)
        assert response.status_code == 200, response.status_code

    p50, p99 = _time(pages, queries, get)
    print(f"{'整页（视图）':<22}{p50:>10.1f}{p99:>10.1f}{'':>14}")
    _downloads(client, market, max(3, queries // 20))
    worst = max(p99 for _, p99 in total)
    print(
        f"检索与筛选共 {len(total)} 种情形：p50 中位 {statistics.median(p for p, _ in total):.1f} 毫秒，p99 最大 {worst:.1f} 毫秒"
    )


def _downloads(client, market: str, runs: int) -> None:
    """Open data: the CSV download (at most EXPORT_LIMIT rows, read from the
    index in batches) — time to the first row and to the whole file — and,
    for comparison, the plain ORM query it replaced (every hit sorted by
    decision date, then the first EXPORT_LIMIT taken)."""
    from django.urls import reverse

    from zhifa.disclosure.opendata import EXPORT_LIMIT
    from zhifa.disclosure.selectors import parse_filters
    from zhifa.disclosure.tests.reference import publications_by_query

    url = reverse("disclosure:export_csv")
    downloads = [
        ("下载 CSV：罚款", {"q": "罚款", "include": "published"}),
        ("下载 CSV：保质期+机关", {"q": "保质期", "agency": market, "include": "published"}),
    ]
    print(f"{'开放数据下载':<20}{'首行 p50':>10}{'全部 p50':>10}{'全部 p99':>10}{'行数':>8}")
    for label, params in downloads:
        first, whole, rows = [], [], 0
        for _ in range(runs):
            t = time.perf_counter()
            response = client.get(url, params)
            chunks = iter(response.streaming_content)
            next(chunks), next(chunks), next(chunks)  # BOM, header, first row
            first.append((time.perf_counter() - t) * 1000)
            rows = 1 + sum(1 for _ in chunks)
            whole.append((time.perf_counter() - t) * 1000)
        whole.sort()
        print(
            f"{label:<20}{statistics.median(first):>10.1f}{statistics.median(whole):>10.1f}"
            f"{whole[-1]:>10.1f}{rows:>8}",
            flush=True,
        )
        filters = parse_filters(params)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            list(publications_by_query(filters).only("pk")[:EXPORT_LIMIT])
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"{'  对照：ORM 全部排序':<20}{'':>10}{statistics.median(times):>10.1f}{max(times):>10.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100)
    benchdb.add_arguments(parser)
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH, help="SQLite data directory")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="time a kept database, no loading")
    args = parser.parse_args()
    drop = benchdb.setup(args.db, args.pg_url, pg_name=PG_DB, data_dir=args.path, reuse=args.reuse)
    try:
        from django.db import connection

        from zhifa.disclosure.models import Publication

        if args.reuse:
            agencies = _orgs()
            print(f"数据库：{connection.vendor}；沿用已有的 {Publication.objects.count()} 条")
        else:
            print(f"数据库：{connection.vendor}；载入公示信息 {args.rows} 条", flush=True)
            agencies = _orgs()
            _load(args.rows, agencies)
        _bench(agencies, args.queries)
    finally:
        if not (args.keep or args.reuse):
            drop()


if __name__ == "__main__":
    main()
