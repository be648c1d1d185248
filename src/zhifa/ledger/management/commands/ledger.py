"""`zhifa ledger …`: verify, checkpoint, proof, consistency, keys, worker."""

from __future__ import annotations

import base64
import json
import time

from django.core.management.base import BaseCommand, CommandError

from zhifa.ledger import checkpoints, selectors
from zhifa.ledger.audit import audit
from zhifa.ledger.receipt import dumps_receipt
from zhifa.ledger.services import LedgerError, default_log


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class Command(BaseCommand):
    help = "全过程记录：核验、签署检查点、生成存证回执与一致性证明。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        verify = sub.add_parser(
            "verify", help="重算全部记录、树、检查点签名（--blobs 连同证据文件）"
        )
        verify.add_argument("--blobs", action="store_true", help="同时重新计算每个证据文件的哈希")
        verify.add_argument(
            "--key", action="append", default=[], help="可信的日志公钥（vkey），可多次给出"
        )
        verify.add_argument(
            "--witness-key", action="append", default=[], help="可信的见证公钥（vkey）"
        )
        checkpoint = sub.add_parser("checkpoint", help="签署当前日志的检查点（日志有增长时）")
        checkpoint.add_argument("--force", action="store_true", help="日志未增长也重新请求联署")
        proof = sub.add_parser("proof", help="输出一条记录的存证回执（JSON）")
        proof.add_argument("seq", type=int, help="记录序号")
        consistency = sub.add_parser("consistency", help="输出两个记录数之间的一致性证明（JSON）")
        consistency.add_argument("old", type=int)
        consistency.add_argument("new", type=int)
        sub.add_parser("keys", help="列出日志公钥和见证公钥")
        worker = sub.add_parser("worker", help="按间隔签署检查点（仅在日志增长时）")
        worker.add_argument("--interval", type=float, default=None, help="间隔秒数，默认取配置")
        worker.add_argument("--once", action="store_true", help="只运行一次")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"do_{action}")(**options)
        except LedgerError as exc:
            raise CommandError(str(exc)) from exc

    def do_verify(self, *, blobs: bool, key: list[str], witness_key: list[str], **_):
        log = default_log()
        log_keys = key or checkpoints.log_vkeys(log)
        witness_keys = witness_key or checkpoints.witness_vkeys()
        report = audit(
            log,
            log_keys=log_keys,
            witness_keys=witness_keys,
            blobs=blobs,
            progress=lambda n: self.stderr.write(f"已核验 {n} 条记录…"),
        )
        summary = (
            f"日志 {log.origin}：核验 {report.entries} 条记录、{report.checkpoints} 个检查点、"
            f"{report.cosignatures} 个联署签名" + (f"、{report.blobs} 个证据文件" if blobs else "")
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"{summary}，全部一致。"))
            return
        self.stdout.write(summary + "，发现问题：")
        for problem in sorted(report.problems, key=lambda p: (p.seq is None, p.seq or 0)):
            self.stdout.write(f"  [{problem.kind}] {problem.message}")
        first = report.first
        where = f"第 {first.seq} 号记录" if first.seq is not None else "日志配置"
        raise CommandError(f"核验未通过：首个问题在{where}——{first.message}")

    def do_checkpoint(self, *, force: bool, **_):
        result = checkpoints.checkpoint_create(force=force)
        if result is None:
            latest = selectors.latest_checkpoint(default_log())
            self.stdout.write(
                f"日志自上次检查点（{latest.tree_size} 条）以来没有增长，未签署新检查点。"
            )
            return
        cp = result.checkpoint
        self.stdout.write(
            f"已签署检查点：{cp.tree_size} 条记录，根哈希 {bytes(cp.root_hash).hex()}"
        )
        for name in result.cosigned_by:
            self.stdout.write(f"  已由 {name} 联署")
        for error in result.witness_errors:
            self.stderr.write(f"  见证拒绝联署：{error}")
        self.stdout.write(checkpoints.signed_note(cp))

    def do_proof(self, *, seq: int, **_):
        entry = selectors.entry_get(default_log(), seq)
        self.stdout.write(dumps_receipt(checkpoints.receipt_for(entry)))

    def do_consistency(self, *, old: int, new: int, **_):
        log = default_log()
        proof = selectors.consistency_proof(log, old, new)
        self.stdout.write(
            json.dumps(
                {
                    "origin": log.origin,
                    "hash_alg": log.hash_alg,
                    "old_size": old,
                    "new_size": new,
                    "old_root": _b64(selectors.root_at(log, old)),
                    "new_root": _b64(selectors.root_at(log, new)),
                    "proof": [_b64(h) for h in proof],
                },
                ensure_ascii=False,
                indent=2,
            )
        )

    def do_keys(self, **_):
        log = default_log()
        self.stdout.write("# 日志公钥（检查点签名）")
        for vkey in checkpoints.log_vkeys(log):
            self.stdout.write(vkey)
        witness = checkpoints.witness_vkeys()
        if witness:
            self.stdout.write("# 见证公钥（联署签名）")
            for vkey in witness:
                self.stdout.write(vkey)

    def do_worker(self, *, interval: float | None, once: bool, **_):
        from django.conf import settings

        interval = interval or settings.ZHIFA_CHECKPOINT_INTERVAL
        self.stdout.write(f"检查点工作进程已启动：每 {interval:g} 秒检查一次日志是否增长。")
        while True:
            result = checkpoints.checkpoint_create()
            if result is not None:
                self.stdout.write(f"已签署 {result.checkpoint.tree_size} 条记录的检查点。")
            if once:
                return
            time.sleep(interval)
