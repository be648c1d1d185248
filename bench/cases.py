"""The case engine's throughput (a script, not a test).

    .venv/bin/python bench/cases.py [--cases 10000] [--db sqlite|postgres] [--pg-url URL]

Drives `--cases` general-procedure cases (行政处罚普通程序) through the engine,
each the whole way: register → file → record_inspection → end_investigation →
notify → waive_statement → end_statement → decide_penalty → serve →
record_payment → close → archive, one after another in one process, through
`zhifa.cases.services.register_case` and `zhifa.cases.engine.fire` exactly as
the pages call them (forms, guards, effects, documents rendered to DOCX and
stored as evidence, deadlines, ledger records). It prints the cases completed
per second, p50/p99 latency of every step, the throughput of the first and
last tenth of the run (so a slowdown as the tables grow shows), the peak RSS
of the process that ran them and its current RSS after every tenth. The child
runs with ZHIFA_DEBUG=false, as production does (DEBUG logs every query).

SQLite (the default when DATABASE_URL is not set): a fresh temporary data dir
with its own `zhifa.sqlite3`, deleted afterwards.

    .venv/bin/python bench/cases.py --cases 500
    make bench-cases CASES=500

PostgreSQL (the default when DATABASE_URL names a postgres database, or
`--db postgres`): a throwaway database `zhifa_bench_cases` on that server,
created (dropped first if left over) and dropped afterwards. The database
named in DATABASE_URL is never touched: only its server and credentials are
used. The role needs CREATEDB, as the CI role has:

    DATABASE_URL=postgres://zhifa:zhifa@127.0.0.1:5432/zhifa_ci \\
        .venv/bin/python bench/cases.py --cases 500
    .venv/bin/python bench/cases.py --db postgres    # zhifa:zhifa@127.0.0.1:5432

The world is built through the services like the test factories'
`world()`: one market-regulation agency in 本溪满族自治县 with a head, a unit
head, two certified officers, an item with a discretion benchmark and the
provincial values the law leaves open; no 音像记录 list and no review
catalogue, so no step waits for a recording or a legal review. Every step is
dated (the forms' `on` and the engine's `today=`) on one day no later than
2026-07-01, so every deadline falls in a year whose working-day calendar is
loaded.

The default of 10,000 cases takes 1.5–2.5 hours on a small machine. Measured
2026-11-22 on 2 shared cores with other work running, 10,000 cases each:

    SQLite 3      1.95 cases/s (first tenth 2.21, last 2.44), 423 ms CPU a case,
                  RSS flat at about 100 MiB
    PostgreSQL 15 1.86 cases/s (first tenth 1.64, last 2.09), 392 ms CPU a case
                  (the server's not counted), RSS flat at 86–91 MiB; 90 min

No slowdown as the tables grow to 290,012 ledger entries and 80,000 documents.
PostgreSQL step p50/p99 in ms: notify 84/156, file 72/144, decide_penalty
69/131, record_inspection 60/115, end_investigation 56/106, close 51/102,
serve 48/89, record_payment 16/34, register 10/23, the other records 11–12/24–26.

`--workers N` (PostgreSQL) runs N processes driving cases at the same time,
as several officers would. Every step takes the ledger's write lock first
(docs/adr/0001), so steps queue on it and more workers add little
throughput; what they test is that parallel steps never deadlock.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
BENCH_DB = "zhifa_bench_cases"
PG_DEFAULT = f"postgres://zhifa:zhifa@127.0.0.1:5432/{BENCH_DB}"
STEPS = (
    "register",
    "file",
    "record_inspection",
    "end_investigation",
    "notify",
    "waive_statement",
    "end_statement",
    "decide_penalty",
    "serve",
    "record_payment",
    "close",
    "archive",
)


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_now_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _log(msg: str) -> None:
    print(f"  [{time.strftime('%H:%M:%SZ', time.gmtime())}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- child


def _world(day: date) -> dict:
    """Agency, people, certified officers, item and benchmark, through the services."""
    from zhifa.cases.parties import resident_id_check_char
    from zhifa.catalog import services as catalog
    from zhifa.catalog.models import ItemKind
    from zhifa.officers import services as officers
    from zhifa.officers.models import EmploymentStatus, ExamKind
    from zhifa.orgs import services as orgs
    from zhifa.orgs.codes import uscc_with_check
    from zhifa.orgs.models import Role
    from zhifa.orgs.services import SYSTEM
    from zhifa.rules.models import RuleOverride

    # Values the law leaves to the province, as the test factories set them.
    for rule_id, value in (
        ("penalty.hearing_large_fine_citizen", 2000),
        ("penalty.hearing_large_fine_organisation", 50000),
        ("penalty.statement_period", 5),
    ):
        RuleOverride.objects.create(
            rule_id=rule_id, region_code="210000", value=value, basis="基准测试：省级规定"
        )
    province = orgs.region_create(actor=SYSTEM, code="210000", name="辽宁省")
    city = orgs.region_create(actor=SYSTEM, code="210500", name="本溪市", parent=province)
    county = orgs.region_create(actor=SYSTEM, code="210521", name="本溪满族自治县", parent=city)
    market = orgs.category_ensure(actor=SYSTEM, code="market", name="市场监管")
    agency = orgs.agency_create(
        actor=SYSTEM,
        name="本溪满族自治县市场监督管理局",
        short_name="本县市监",
        uscc=uscc_with_check("11210521MB1815054"),
        region=county,
        authority_basis="《中华人民共和国行政处罚法》及本机关“三定”规定。",
    )
    agency.categories.add(market)
    unit = orgs.unit_create(actor=SYSTEM, agency=agency, name="综合行政执法大队")

    def user(username: str, name: str, role: str):
        u = orgs.user_create(
            actor=SYSTEM, username=username, name=name, password="bench-cases-2026"
        )
        orgs.role_assign(actor=SYSTEM, user=u, role=role, agency=agency, unit=unit)
        return u

    head = user("head", "陈局长", Role.AGENCY_HEAD)
    unit_head = user("unit_head", "王科长", Role.UNIT_HEAD)
    people = []
    for n, name in enumerate(("张伟", "李娜"), start=1):
        u = user(f"officer{n}", name, Role.OFFICER)
        body = f"21052119860311{n:03d}"
        officer = officers.officer_register(
            actor=SYSTEM,
            agency=agency,
            name=name,
            id_number=body + resident_id_check_char(body),
            post="执法大队队员",
            employment_status=EmploymentStatus.ESTABLISHED,
            unit=unit,
            user=u,
        )
        for kind, category in ((ExamKind.GENERAL, None), (ExamKind.PROFESSIONAL, market)):
            officers.exam_record(
                actor=SYSTEM,
                officer=officer,
                kind=kind,
                taken_on=date(2023, 11, 1),
                passed=True,
                category=category,
            )
        officers.certificate_issue(
            actor=SYSTEM,
            officer=officer,
            number=f"21052124{n:04d}",
            categories=[market],
            area=county,
            issued_on=date(2024, 1, 2),
        )
        people.append((u, officer))
    item = catalog.item_create(
        actor=SYSTEM,
        agency=agency,
        code="SCJG-CF-122",
        name="对未取得食品经营许可从事食品经营活动的行政处罚",
        kind=ItemKind.PENALTY,
        category="market",
        procedure="penalty.general",
        effective_from=date(2024, 1, 1),
        bases=[
            {
                "law": "中华人民共和国食品安全法",
                "article": "第一百二十二条",
                "clause": "第一款",
                "text": "违反本法规定，未取得食品生产经营许可从事食品生产经营活动……并处五万元以上"
                "十万元以下罚款……",
                "role": "penalty",
            }
        ],
    )
    version = catalog.item_version_publish(actor=SYSTEM, version=item.versions.get())
    standard = catalog.discretion_standard_save(
        actor=SYSTEM,
        version=version,
        violation="未取得食品经营许可从事食品经营活动，货值金额不足一万元",
        basis="基准测试裁量基准",
        grades=[
            {
                "grade": "ordinary",
                "conditions": "无从轻、从重情形",
                "penalty_types": ["fine"],
                "fine_min": "65000",
                "fine_max": "85000",
            }
        ],
    )
    return {
        "agency": agency,
        "county": county,
        "head": head,
        "unit_head": unit_head,
        "officers": people,
        "item": item,
        "standard": standard,
        "day": day,
    }


def _party(n: int) -> dict:
    from zhifa.orgs.codes import uscc_with_check

    return {
        "kind": "organisation",
        "name": f"本溪县第{n}号食品店有限公司",
        "uscc": uscc_with_check(f"91210521MA{n:07d}"),
        "legal_representative": "李四",
        "address": "本溪县小市镇商业街8号",
    }


def _one_case(w: dict, n: int, timings: dict[str, list[float]]) -> None:
    from zhifa.cases import engine, services

    day = w["day"]
    (u1, o1), (u2, o2) = w["officers"]
    pc = time.perf_counter

    t = pc()
    case = services.register_case(
        actor=u1,
        agency=w["agency"],
        new=services.NewCase(
            title="未取得食品经营许可从事食品经营活动",
            source_kind="complaint",
            source_received_on=day,
            region=w["county"],
            party=_party(n),
        ),
        today=day,
    )
    timings["register"].append(pc() - t)
    team = [str(o1.pk), str(o2.pk)]
    steps = (
        (
            "file",
            w["unit_head"],
            {
                "item": w["item"].pk,
                "act_date": day,
                "officers": team,
                "lead": o1.pk,
                "opinion": "同意立案",
            },
        ),
        (
            "record_inspection",
            u1,
            {"officers_present": team, "place": "本溪县小市镇商业街8号", "content": "现场检查。"},
        ),
        (
            "end_investigation",
            u1,
            {
                "facts": "当事人未取得食品经营许可销售散装熟食。",
                "evidence_summary": "现场检查笔录。",
                "legal_basis": "《中华人民共和国食品安全法》第一百二十二条第一款",
                "decision_kind": "penalty",
                "penalty_types": ["fine"],
                "fine_amount": "70000",
                "discretion_standard": w["standard"].pk,
                "discretion_grade": "ordinary",
            },
        ),
        ("notify", w["unit_head"], {}),
        (
            "waive_statement",
            u1,
            {"statement": "本公司放弃陈述、申辩和听证。", "waives_hearing": True},
        ),
        ("end_statement", w["unit_head"], {}),
        ("decide_penalty", w["head"], {"penalty_types": ["fine"], "fine_amount": "70000"}),
        ("serve", u1, {"method": "direct", "recipient": "李四"}),
        (
            "record_payment",
            u2,
            {"amount": "70000", "channel": "bank", "receipt_number": f"PZ{n:08d}"},
        ),
        ("close", w["unit_head"], {"opinion": "已执行完毕"}),
        ("archive", u1, {}),
    )
    for code, actor, data in steps:
        t = pc()
        engine.fire(case, code, actor, {**data, "on": day}, today=day)
        timings[code].append(pc() - t)


def _setup_django() -> None:
    os.environ.setdefault("ZHIFA_LOG_LEVEL", "ERROR")
    import django

    django.setup()


def _day() -> date:
    from django.utils import timezone

    # One day for every step: in the past and early enough that every
    # deadline (90 days at most) ends in a year with a loaded calendar.
    return min(timezone.localdate(), date(2026, 7, 1))


def _load_world(day: date) -> dict:
    """The world `_world` built, read back by a worker process."""
    from zhifa.catalog.models import DiscretionStandard, EnforcementItem
    from zhifa.officers.models import Officer
    from zhifa.orgs.models import Agency, Region, User

    agency = Agency.objects.get(short_name="本县市监")
    users = {u.username: u for u in User.objects.all()}
    return {
        "agency": agency,
        "county": Region.objects.get(code="210521"),
        "head": users["head"],
        "unit_head": users["unit_head"],
        "officers": [
            (users[f"officer{n}"], Officer.objects.get(user=users[f"officer{n}"])) for n in (1, 2)
        ],
        "item": EnforcementItem.objects.get(agency=agency, code="SCJG-CF-122"),
        "standard": DiscretionStandard.objects.get(),
        "day": day,
    }


def setup() -> dict:
    """Migrate and build the world (once, before the workers start)."""
    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    res: dict = {}
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            res["db"] = "PostgreSQL " + cur.fetchone()[0].split()[0]
        else:
            res["db"] = "SQLite " + sqlite3.sqlite_version
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    res["migrate_s"] = time.perf_counter() - t
    t = time.perf_counter()
    _world(_day())
    res["world_s"] = time.perf_counter() - t
    return res


def drive(n: int, offset: int, worker: int) -> dict:
    """One worker: cases offset+1 … offset+n, one after another."""
    _setup_django()
    w = _load_world(_day())
    res: dict = {"worker": worker, "cases": n, "rss_before_mib": _maxrss_mib()}
    timings: dict[str, list[float]] = {s: [] for s in STEPS}
    done: list[float] = []  # wall-clock time (time.time()) each case completed
    rss = [(0, _rss_now_mib())]
    cpu = time.process_time()
    res["started"] = time.time()
    for i in range(n):
        _one_case(w, offset + i + 1, timings)
        done.append(time.time())
        if (i + 1) % max(1, n // 10) == 0:
            rss.append((i + 1, _rss_now_mib()))
            rate = (i + 1) / (done[-1] - res["started"])
            _log(
                f"worker {worker}: {i + 1:,}/{n:,} cases, {rate:.2f} cases/s, "
                f"RSS {rss[-1][1]:.0f} MiB"
            )
    res.update(
        cpu_s=time.process_time() - cpu,
        done=done,
        timings=timings,
        rss_peak_mib=_maxrss_mib(),
        rss_samples=rss,
    )
    return res


def tally() -> dict:
    """What the run left in the database."""
    _setup_django()
    from zhifa.cases.models import Case, Document
    from zhifa.ledger.models import Entry

    return {
        "archived": Case.objects.filter(status="archived").count(),
        "entries": Entry.objects.count(),
        "documents": Document.objects.count(),
    }


def merge(n: int, setup_res: dict, workers: list[dict], counts: dict) -> dict:
    """One result from the workers' figures: throughput over the wall-clock
    span in which all of them ran, latencies over every step of every case."""
    start = min(w["started"] for w in workers)
    done = sorted(t - start for w in workers for t in w["done"])
    total = done[-1]
    tenth = max(1, n // 10)
    first = done[tenth - 1]
    last = total - (done[n - tenth - 1] if n > tenth else 0)
    steps = {}
    for s in STEPS:
        v = [x for w in workers for x in w["timings"][s]]
        steps[s] = {
            "p50_ms": _pct(v, 50) * 1e3,
            "p99_ms": _pct(v, 99) * 1e3,
            "mean_ms": sum(v) / len(v) * 1e3,
        }
    return {
        **setup_res,
        "cases": n,
        "workers": len(workers),
        "total_s": total,
        "cpu_ms_per_case": sum(w["cpu_s"] for w in workers) / n * 1e3,
        "cases_per_s": n / total,
        "first_tenth_per_s": tenth / first,
        "last_tenth_per_s": tenth / last,
        "steps": steps,
        **counts,
        "rss_before_mib": max(w["rss_before_mib"] for w in workers),
        "rss_peak_mib": max(w["rss_peak_mib"] for w in workers),
        "rss_samples": workers[0]["rss_samples"],
    }


# --------------------------------------------------------------------------- parent


def _pg_admin(url: str):
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    info = {
        "host": cfg["HOST"] or "127.0.0.1",
        "port": cfg["PORT"] or 5432,
        "user": cfg["USER"],
        "password": cfg["PASSWORD"],
    }
    return lambda: psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=3, **info)


def _bench_url(url: str) -> str:
    """The same server and credentials, the database `zhifa_bench_cases`."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def _child(env: dict, *args: str, wait: bool = True):
    cmd = [sys.executable, __file__, "--child", *args]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
    return _result(proc) if wait else proc


def _result(proc: subprocess.Popen) -> dict:
    out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"a benchmark process failed (exit {proc.returncode})")
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def run(db: str, args) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"zhifa-bench-cases-{db}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update(
        DJANGO_SETTINGS_MODULE="zhifa.settings",
        # As in production: DEBUG keeps a log of every query and slows each one.
        ZHIFA_DEBUG="false",
        ZHIFA_DATA_DIR=str(data_dir),
        PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
    )
    env.pop("DATABASE_URL", None)
    drop = None
    if db == "postgres":
        url = _bench_url(args.pg_url)
        connect = _pg_admin(url)
        with connect() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            admin.execute(f"CREATE DATABASE \"{BENCH_DB}\" ENCODING 'UTF8' TEMPLATE template0")
        env["DATABASE_URL"] = url

        def drop():
            with connect() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')

    try:
        _log(f"{db}: {args.cases:,} cases, {args.workers} worker(s) (data dir {data_dir})")
        setup_res = _child(env, "setup")
        # Worker k drives cases k·n/W+1 … (k+1)·n/W: distinct parties and receipts.
        bounds = [args.cases * k // args.workers for k in range(args.workers + 1)]
        procs = [
            _child(
                env,
                "drive",
                "--cases",
                str(bounds[k + 1] - bounds[k]),
                "--offset",
                str(bounds[k]),
                "--worker",
                str(k + 1),
                wait=False,
            )
            for k in range(args.workers)
        ]
        workers = [_result(p) for p in procs]
        counts = _child(env, "tally")
    finally:
        if drop is not None:
            drop()
        shutil.rmtree(data_dir, ignore_errors=True)
    if counts["archived"] != args.cases:
        raise SystemExit(f"only {counts['archived']:,} of {args.cases:,} cases were archived")
    return merge(args.cases, setup_res, workers, counts)


def report(r: dict) -> None:
    print()
    print(
        f"Case engine benchmark — {r['db']}, {platform.python_implementation()} "
        f"{platform.python_version()}"
    )
    print(
        f"  {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        " (the machine is shared; figures vary with the load)"
    )
    print(f"  migrate {r['migrate_s']:.1f} s, world {r['world_s']:.1f} s")
    if r["workers"] > 1:
        print(f"  {r['workers']} worker processes driving cases at the same time")
    print(
        f"\n  {r['cases']:,} cases register → archive in {r['total_s']:.1f} s: "
        f"{r['cases_per_s']:.2f} cases/s ({r['total_s'] / r['cases'] * 1e3:.0f} ms per case)"
    )
    print(
        f"  first tenth {r['first_tenth_per_s']:.2f} cases/s, "
        f"last tenth {r['last_tenth_per_s']:.2f} cases/s"
    )
    print(
        f"  CPU of the worker process(es) {r['cpu_ms_per_case']:.0f} ms per case "
        "(less sensitive to a shared machine; a PostgreSQL server's CPU is not in it)"
    )
    print(f"  10,000 cases at the overall rate: {10_000 / r['cases_per_s'] / 60:.0f} min")
    print(f"\n  {'step':<20}{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for step, s in r["steps"].items():
        print(f"  {step:<20}{s['p50_ms']:>10.1f}{s['p99_ms']:>10.1f}{s['mean_ms']:>10.1f}")
    print(f"\n  ledger entries {r['entries']:,}, documents {r['documents']:,}")
    print(
        f"  peak RSS (ru_maxrss) {r['rss_peak_mib']:.0f} MiB "
        f"(after migrate and world: {r['rss_before_mib']:.0f} MiB)"
    )
    samples = ", ".join(f"{n:,}: {mib:.0f}" for n, mib in r["rss_samples"])
    print(f"  RSS (MiB) of worker 1 after so many of its cases — {samples}")


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--cases", type=int, default=10_000, help="cases to drive (default 10,000)")
    p.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        help="default: postgres if DATABASE_URL names one, else sqlite",
    )
    p.add_argument(
        "--pg-url",
        default=os.environ.get("DATABASE_URL") or PG_DEFAULT,
        help=f"server and credentials; the database used is always {BENCH_DB}",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes driving cases at the same time (PostgreSQL only; default 1)",
    )
    p.add_argument("--child", choices=["setup", "drive", "tally"], help=argparse.SUPPRESS)
    p.add_argument("--offset", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--worker", type=int, default=1, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.cases < 1:
        raise SystemExit("--cases must be at least 1")

    if args.child:
        result = {
            "setup": setup,
            "drive": lambda: drive(args.cases, args.offset, args.worker),
            "tally": tally,
        }[args.child]()
        print("RESULT " + json.dumps(result), flush=True)
        return
    configured = os.environ.get("DATABASE_URL", "")
    db = args.db or (
        "postgres" if configured.startswith(("postgres:", "postgresql:")) else "sqlite"
    )
    if not 1 <= args.workers <= args.cases:
        raise SystemExit("--workers must be between 1 and --cases")
    if db == "sqlite" and args.workers > 1:
        # One writer at a time: every step holds SQLite's write lock for its
        # whole transaction, so a second process only waits (or times out).
        raise SystemExit("--workers > 1 needs PostgreSQL: SQLite has one writer at a time")
    report(run(db, args))


if __name__ == "__main__":
    main()
