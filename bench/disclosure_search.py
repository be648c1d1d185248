"""Chinese full-text search of 执法结果 (a script, not a test).

    .venv/bin/python bench/disclosure_search.py [--rows 1000000] [--db sqlite|postgres]
                                                [--pg-url URL] [--queries 200]

Builds a throwaway database (SQLite in a temporary data dir; or, with
`--db postgres`, a database `zhifa_bench_search` on the server of `--pg-url`
/ DATABASE_URL, created and dropped), migrates it, inserts `--rows` published
publications with synthetic decision texts (a few hundred characters each, a
company or a masked person as party, one of 8 agencies, dates over 3 years)
and their search tokens, then times the portal's own query
(`selectors.publication_list_for_public`: search + filters, newest first,
count + the first page of 20) for 2-, 3- and 6-character queries, alone and
with an agency, a kind and a date-range filter. It prints p50/p99 per case.
The goal of issue #8 is p99 < 100 ms over 1,000,000 publications.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))

COMPANIES = [
    "鑫旺超市",
    "百味调料商店",
    "福源食品商行",
    "鸿运粮油商行",
    "百姓缘便利店",
    "德成食杂店",
    "金海建材",
    "万家乐餐饮",
    "宏达物流",
    "顺发五金",
]
FACTS = [
    "经营超过保质期的食品",
    "销售标签不符合规定的预包装食品",
    "未取得食品经营许可从事食品经营活动",
    "生产经营无中文标签的进口预包装食品",
    "使用未经检验的计量器具",
    "未按规定公示营业执照",
    "拒不改正违法行为",
    "未建立进货查验记录制度",
]
PENALTIES = ["罚款", "警告", "没收违法所得", "没收非法财物", "责令停产停业"]
FILLER = (
    "经查，当事人于某日起在其经营场所内{fact}，货值金额{n}元。以上事实有现场检查笔录、询问笔录、"
    "照片、进货单据等证据证明。当事人的上述行为违反了有关法律法规的规定，本机关决定对当事人作出如下"
    "行政处罚：{penalty}人民币{m}元。当事人应当自收到本决定书之日起十五日内缴纳罚款。当事人如不服本决定，"
    "可以自收到本决定书之日起六十日内申请行政复议，也可以在六个月内依法提起行政诉讼。"
)
QUERIES = {
    2: ["罚款", "食品", "超市", "标签", "鑫旺", "许可", "计量", "五金"],
    3: ["保质期", "预包装", "便利店", "百味调", "营业执", "进货查"],
    6: ["超过保质期的食", "预包装食品标签", "未取得食品经营", "现场检查笔录、"],
}


def _setup(db: str, pg_url: str) -> tuple[str, object]:
    data_dir = tempfile.mkdtemp(prefix="zhifa-bench-search-")
    os.environ["ZHIFA_DATA_DIR"] = data_dir
    os.environ["ZHIFA_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    cleanup = None
    if db == "postgres":
        import psycopg

        base = pg_url.rsplit("/", 1)[0]
        with psycopg.connect(base + "/postgres", autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS zhifa_bench_search")
            admin.execute("CREATE DATABASE zhifa_bench_search ENCODING 'UTF8' TEMPLATE template0")
        os.environ["DATABASE_URL"] = base + "/zhifa_bench_search"

        def cleanup():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(base + "/postgres", autocommit=True) as admin:
                admin.execute("DROP DATABASE IF EXISTS zhifa_bench_search")

    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir, cleanup


def _load(rows: int) -> list:
    from zhifa.disclosure.models import Publication, SearchDocument
    from zhifa.disclosure.search.tokens import document_tokens
    from zhifa.orgs import services as orgs
    from zhifa.orgs.codes import uscc_with_check
    from zhifa.orgs.models import AgencyKind

    parent = None
    for code, name in (("210000", "辽宁省"), ("210500", "本溪市"), ("210521", "本溪满族自治县")):
        parent = orgs.region_create(actor=orgs.SYSTEM, code=code, name=name, parent=parent)
    region = parent
    agencies = [
        orgs.agency_create(
            actor=orgs.SYSTEM,
            name=f"本溪满族自治县第{i}执法局",
            short_name=f"执法{i}",
            uscc=uscc_with_check(f"11210521MB18159{i:02d}"),
            region=region,
            kind=AgencyKind.STATUTORY,
            authority_basis="演示",
        )
        for i in range(8)
    ]
    rnd = random.Random(8)
    start = date(2024, 1, 1)
    batch = 5000
    t0 = time.perf_counter()
    for offset in range(0, rows, batch):
        pubs, texts = [], []
        for i in range(offset, min(rows, offset + batch)):
            agency = agencies[i % len(agencies)]
            company = rnd.choice(COMPANIES)
            party = f"本溪满族自治县{company}有限公司" if i % 3 else "王某某"
            text = FILLER.format(
                fact=rnd.choice(FACTS),
                n=rnd.randint(100, 99999),
                penalty=rnd.choice(PENALTIES),
                m=rnd.randint(500, 200000),
            )
            title = f"{party}{rnd.choice(FACTS)}案"
            pubs.append(
                Publication(
                    agency=agency,
                    agency_name=agency.name,
                    region_code=region.code,
                    region_name=region.name,
                    case_id=i,
                    case_number=f"案{i}",
                    document_id=i,
                    document_type="penalty_decision",
                    source_sha256="0" * 64,
                    kind="penalty" if i % 5 else "license",
                    title=title,
                    decision_number=f"执法罚〔2026〕{i}号",
                    decided_on=start + timedelta(days=i % 1000),
                    party_display=party,
                    due_rule="disclosure.penalty",
                    status="published",
                    text=text,
                    text_sha256="1" * 64,
                )
            )
            texts.append((title, party, agency.name, f"执法罚〔2026〕{i}号", text))
        created = Publication.objects.bulk_create(pubs)
        SearchDocument.objects.bulk_create(
            SearchDocument(publication=p, tokens=document_tokens(*t))
            for p, t in zip(created, texts, strict=True)
        )
        done = offset + len(pubs)
        if done % 100000 == 0 or done == rows:
            print(f"  已写入 {done} 条（{time.perf_counter() - t0:.0f} 秒）", flush=True)
    return agencies


def _time(filters_list, queries: int) -> tuple[float, float, int]:
    from zhifa.disclosure.selectors import publication_list_for_public

    times, hits = [], 0
    for n in range(queries):
        filters = filters_list[n % len(filters_list)]
        t = time.perf_counter()
        rows = publication_list_for_public(filters)
        hits += rows.count()
        list(rows[:20])
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return statistics.median(times), p99, hits // max(queries, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres"
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "sqlite",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("DATABASE_URL") or "postgres://zhifa:zhifa@127.0.0.1:5432/zhifa_ci",
    )
    args = parser.parse_args()
    data_dir, cleanup = _setup(args.db, args.pg_url)
    try:
        from django.db import connection

        from zhifa.disclosure.selectors import PublicFilters

        print(f"数据库：{connection.vendor}；公示信息：{args.rows} 条")
        agencies = _load(args.rows)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        print(f"{'查询':<22}{'p50 ms':>10}{'p99 ms':>10}{'平均命中':>12}")
        for length, words in QUERIES.items():
            alone = [PublicFilters(q=w) for w in words]
            filtered = [
                PublicFilters(
                    q=w,
                    agency=str(agencies[i % len(agencies)].public_id),
                    kind="penalty",
                    date_from=date(2024, 6, 1),
                    date_to=date(2025, 6, 30),
                )
                for i, w in enumerate(words)
            ]
            for label, cases in ((f"{length} 字", alone), (f"{length} 字 + 筛选", filtered)):
                p50, p99, hits = _time(cases, args.queries)
                print(f"{label:<22}{p50:>10.1f}{p99:>10.1f}{hits:>12}")
        p50, p99, hits = _time([PublicFilters(kind="penalty")], args.queries)
        print(f"{'仅筛选（无检索词）':<22}{p50:>10.1f}{p99:>10.1f}{hits:>12}")
    finally:
        if cleanup:
            cleanup()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
