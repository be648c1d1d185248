"""The staff case list (我的案件) over many cases (a script, not a test).

    .venv/bin/python bench/case_list.py [--cases 100000] [--db sqlite|postgres]
        [--pg-url URL] [--queries 50]

Builds a dedicated database (SQLite in a temporary directory, or with
`--db postgres` a throwaway database `zhifa_bench_case_list` on the server of
`--pg-url` / DATABASE_URL, dropped afterwards), migrates it and inserts
`--cases` cases straight into the tables in batches (then ANALYZE): six agencies of one
county, every state of the general procedure, five years of registration
dates, one party each (a company or a person), a running deadline for the open
ones and two assigned officers. No engine, no ledger: this times reading.

Then it times the list page exactly as staff open it (Django's test client,
the whole view and template): a justice-bureau supervisor who sees every case
of the county (page 1, page 200, a state, a procedure, a word of the title, a
party's name, a case number, a word nobody used), and an officer's "仅看我承办的"
with and without a word. Each case runs once untimed, then `--queries` times;
it prints p50/p99 and the number of matching cases. Last, the same list as
the Excel ledger (案件台账, at most 50,000 rows): median and worst of 3, size.

`bench/cases.py` measures the writes (driving cases through the engine).

Measured 2026-11-22, 100,000 cases, 2 shared cores, p50 in ms. The first
run found the list sorting every visible case for each page and joining the
parties for a search. Fixed with an index in the list's order (migration
cases 0004), the parties matched in a subquery, a supervisor's region turned
into a list of agency ids before the query (PostgreSQL had taken the region
prefix for one row and sorted 100,000 cases; orgs.scope), and fresh planner
statistics (the load ends with ANALYZE, as the daily `database.statistics`
job does on SQLite); a whole case number is looked up by its unique index:

                      SQLite before → after   PostgreSQL before → after
    page 1            111.6 → 15.4            71.8 → 47.7
    page 200          227.4 → 24.5           300.7 → 63.0
    one state          29.1 → 24.7            27.1 → 23.2
    the procedure     199.8 → 40.4            69.3 → 49.6
    a title word      232.9 → 87.9           164.1 → 133.6
    a party's name    201.5 → 110.8          188.0 → 155.5
    a case number     178.2 → 6.9            267.4 → 9.2 (a whole number: its unique index)
    no hit             96.1 → 66.4           137.8 → 103.0
    an officer's own   66.4 → 44.1            96.8 → 91.3

The Excel ledger of the whole list (capped at its newest 50,000 cases) takes
about 10 s (2.5 MiB) on either database, of a title word's 12,394 cases
2.6–3.0 s; reading only the columns it shows and skipping empty cells brought
the first from 16.9 s.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import benchdb

PG_DB = "zhifa_bench_case_list"
STATES = [
    ("registered", 3),
    ("investigation", 6),
    ("examination", 3),
    ("statement", 3),
    ("deliberation", 2),
    ("decided", 2),
    ("served", 4),
    ("closed", 10),
    ("archived", 60),
    ("not_filed", 7),
]
FACTS = [
    "经营超过保质期的食品",
    "销售标签不符合规定的预包装食品",
    "未取得食品经营许可从事食品经营活动",
    "使用未经检定的计量器具",
    "未按规定公示营业执照",
    "未建立进货查验记录制度",
    "不按规定明码标价",
    "销售超过有效期的药品",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
SHOPS = ["便利店", "商贸有限公司", "餐饮店", "食品经营部", "药房", "超市"]
PLACES = ["小市镇", "草河口镇", "连山关镇", "清河城镇", "高官镇", "东营坊乡"]


def _world():
    from zhifa.officers.tests.factories import OfficerFactory
    from zhifa.orgs.tests.factories import AgencyFactory, Role, UserFactory, grant, region_tree

    _, _, county, _, _ = region_tree()
    agencies = [AgencyFactory(region=county) for _ in range(6)]
    supervisor = UserFactory(username="supervisor")
    grant(supervisor, Role.SUPERVISOR, region=county)
    officer_user = UserFactory(username="officer")
    grant(officer_user, Role.OFFICER, agency=agencies[0])
    officers = [OfficerFactory(agency=agencies[0], user=officer_user)] + [
        OfficerFactory(agency=agencies[0]) for _ in range(9)
    ]
    return county, agencies, supervisor, officer_user, officers


def _weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    return values, weights


def _load(n: int, county, agencies, officers, clerk) -> None:
    from django.db import transaction

    from zhifa.cases.models import Case, CaseOfficer, Deadline, Party, engine_writing

    rnd = random.Random(6)
    states, weights = _weighted(STATES)
    start = date(2021, 7, 1)
    counters: dict[tuple[int, int], int] = {}
    batch = 2000
    t0 = time.perf_counter()
    token = engine_writing.set(True)  # bulk rows carry their state as the engine left it
    try:
        for first in range(0, n, batch):
            cases, parties = [], []
            for _ in range(first, min(n, first + batch)):
                agency = agencies[rnd.randrange(len(agencies))]
                registered = start + timedelta(days=rnd.randrange(5 * 365))
                key = (agency.pk, registered.year)
                counters[key] = counters.get(key, 0) + 1
                status = rnd.choices(states, weights)[0]
                company = rnd.random() < 0.6
                surname = rnd.choice(SURNAMES)
                place = rnd.choice(PLACES)
                party = (
                    f"本溪满族自治县{place}{surname}氏{rnd.choice(SHOPS)}"
                    if company
                    else f"{surname}{rnd.choice('建国海涛丽娜明军红梅')}"
                )
                fact = rnd.choice(FACTS)
                cases.append(
                    Case(
                        agency=agency,
                        number=f"{agency.short_name}案〔{registered.year}〕{counters[key]}号",
                        procedure="penalty.general",
                        status=status,
                        title=f"{party}{fact}案",
                        source_kind="inspection",
                        source_received_on=registered,
                        region=county,
                        created_by=clerk,
                        place=f"本溪满族自治县{place}",
                        registered_on=registered,
                        filed_on=None if status in ("registered", "not_filed") else registered,
                    )
                )
                parties.append((party, company))
            with transaction.atomic():
                created = Case.objects.bulk_create(cases)
                party_rows, deadline_rows, officer_rows = [], [], []
                for case, (name, company) in zip(created, parties, strict=True):
                    kind = "organisation" if company else "natural"
                    party_rows.append(Party(case=case, kind=kind, name=name))
                    if case.status not in ("closed", "archived", "not_filed"):
                        deadline_rows.append(
                            Deadline(
                                case=case,
                                code="decide",
                                label="作出行政处罚决定",
                                rule="penalty.decide",
                                started_on=case.registered_on,
                                due=case.registered_on + timedelta(days=90),
                            )
                        )
                    if case.agency_id == agencies[0].pk:
                        lead, other = rnd.sample(officers, 2)
                        on = case.registered_on
                        officer_rows += [
                            CaseOfficer(case=case, officer=lead, is_lead=True, assigned_on=on),
                            CaseOfficer(case=case, officer=other, assigned_on=on),
                        ]
                Party.objects.bulk_create(party_rows)
                Deadline.objects.bulk_create(deadline_rows)
                CaseOfficer.objects.bulk_create(officer_rows)
            done = min(n, first + batch)
            if done % 20000 == 0 or done == n:
                print(f"  已写入 {done} 件（{time.perf_counter() - t0:.0f} 秒）", flush=True)
    finally:
        engine_writing.reset(token)
    from django.db import connection

    # Fresh statistics, as a running site has them (autovacuum on PostgreSQL;
    # the daily PRAGMA optimize on SQLite).
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _time(client, params_list, queries: int) -> tuple[float, float]:
    def get(params):
        response = client.get("/staff/cases/", params)
        assert response.status_code == 200, response.status_code

    for params in params_list:
        get(params)
    times = []
    for n in range(queries):
        t = time.perf_counter()
        get(params_list[n % len(params_list)])
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def _bench(supervisor, officer_user, queries: int) -> None:
    from django.test import Client

    from zhifa.cases.models import Case
    from zhifa.cases.selectors import case_list_for_user

    number = Case.objects.order_by("pk").values_list("number", flat=True)[1234]
    cases = [
        ("监督：第 1 页", supervisor, [{}]),
        ("监督：第 200 页", supervisor, [{"page": 200}]),
        ("监督：按状态", supervisor, [{"status": "penalty.general:statement"}]),
        ("监督：按程序", supervisor, [{"procedure": "penalty.general"}]),
        ("监督：案由常见词", supervisor, [{"q": "保质期"}]),
        ("监督：当事人姓名", supervisor, [{"q": "王丽"}]),
        ("监督：案件编号", supervisor, [{"q": number}]),
        ("监督：无结果", supervisor, [{"q": "无此词语"}]),
        ("执法人员：仅看我承办的", officer_user, [{"mine": "1"}]),
        ("执法人员：我承办的+词", officer_user, [{"mine": "1", "q": "明码标价"}]),
    ]
    print(f"{'情形':<22}{'p50 毫秒':>10}{'p99 毫秒':>10}{'命中':>10}")
    for label, user, params_list in cases:
        client = Client()
        client.force_login(user)
        params = params_list[0]
        status = params.get("status", "")
        hits = case_list_for_user(
            user,
            status=status.split(":", 1)[1] if status else "",
            procedure=params.get("procedure", ""),
            q=params.get("q", ""),
            mine=params.get("mine") == "1",
        ).count()
        p50, p99 = _time(client, params_list, queries)
        print(f"{label:<22}{p50:>10.1f}{p99:>10.1f}{hits:>10}", flush=True)

    # 案件台账: the same list as an Excel download (at most 50,000 rows).
    client = Client()
    client.force_login(supervisor)
    for label, params in (("导出 Excel：全部", {}), ("导出 Excel：案由常见词", {"q": "保质期"})):
        times, size = [], 0
        for _ in range(3):
            t = time.perf_counter()
            response = client.get("/staff/cases/export.xlsx", params)
            size = len(b"".join(response.streaming_content))
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"{label:<20}{statistics.median(times):>10.0f}{max(times):>10.0f}  {size // 1024} KiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    benchdb.add_arguments(parser)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="zhifa-bench-case-list-"))
    drop = benchdb.setup(args.db, args.pg_url, pg_name=PG_DB, data_dir=data_dir)
    try:
        from django.db import connection

        print(f"数据库：{connection.vendor}；案件 {args.cases} 件", flush=True)
        county, agencies, supervisor, officer_user, officers = _world()
        _load(args.cases, county, agencies, officers, officer_user)
        _bench(supervisor, officer_user, args.queries)
    finally:
        drop()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
