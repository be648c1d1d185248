"""`zhifa redact`: the redaction engine on stdin/stdout, without a database.

    zhifa redact < decision.txt > published.txt
    zhifa redact --jsonl < in.jsonl > out.jsonl
    zhifa redact --party-name keep …      (PUB-10: the party's own name stays)

Plain mode reads the whole of stdin as UTF-8 text and writes the redacted
text, nothing added or removed around it.

`--jsonl` reads one JSON object per line:
`{"text": "...", "known": {"names": [...], "id_numbers": [...], "phones": [...],
"addresses": [...]}}` — `known` is optional and may also hold party_names,
bank_accounts, emails, organisations, representatives, organisation_addresses
(kept: an organisation's 住所 or place of business) and businesses
(个体工商户 names) (types.Known);
other top-level keys are ignored, unknown keys inside `known` are refused.
For each input line it writes exactly one line, in order:
`{"text": <redacted>, "spans": [{"start": ..., "end": ..., "kind": ...}]}`
with offsets in code points into the input's text.

A line that cannot be used (not UTF-8, not JSON, not an object, no string
"text", a malformed "known", or a blank line) gets
`{"error": "<中文说明>", "line": <n>}` in its place and the same message on
stderr naming the line; the other lines are still processed, and the exit
status is 1. Exit status: 0 all done; 1 some input could not be used;
2 bad command-line arguments.

It imports neither Django nor the settings, so it runs with no database
(zhifa.cli dispatches here before Django is set up).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import IO, NoReturn

from .engine import redact
from .types import Known, Policy


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"zhifa redact：参数有误（{message}）。\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="zhifa redact",
        description="对文书文本去标识化：从标准输入读取，向标准输出写出遮蔽后的文本。不需要数据库。",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help='逐行读取 JSON 对象 {"text": ..., "known": {...}}，逐行写出 {"text": ..., "spans": [...]}',
    )
    parser.add_argument(
        "--party-name",
        choices=("mask", "keep"),
        default="mask",
        help="当事人（自然人）本人姓名：mask 遮蔽为“张某某”（默认），keep 保留（PUB-10）",
    )
    return parser


def _line_result(raw: bytes, lineno: int, policy: Policy) -> dict:
    """The output object for one input line; raises ValueError with a Chinese message."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"不是有效的 UTF-8 文本（第{e.start + 1}个字节）。") from None
    if lineno == 1:
        line = line.removeprefix("\ufeff")
    if not line.strip():
        raise ValueError("空行：每行应为一个 JSON 对象。")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"不是有效的 JSON（第{e.colno}列附近有语法错误）。") from None
    if not isinstance(data, dict):
        raise ValueError('应为 JSON 对象，例如 {"text": "…"}。')
    text = data.get("text")
    if not isinstance(text, str):
        raise ValueError("缺少字符串字段 text。")
    known = data.get("known")
    if known is not None:
        known = Known.from_mapping(known)
    result = redact(text, known=known, policy=policy)
    return {
        "text": result.text,
        "spans": [{"start": s.start, "end": s.end, "kind": s.kind} for s in result.spans],
    }


def _dump(obj: dict) -> bytes:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # lone surrogates from \ud800-style escapes
        return json.dumps(obj, separators=(",", ":")).encode("ascii") + b"\n"


def _jsonl(stdin: IO[bytes], stdout: IO[bytes], stderr: IO[str], policy: Policy) -> int:
    failed = 0
    for lineno, raw in enumerate(stdin, start=1):
        try:
            out = _line_result(raw.rstrip(b"\r\n"), lineno, policy)
        except ValueError as e:
            failed += 1
            out = {"error": f"第{lineno}行：{e}", "line": lineno}
            print(out["error"], file=stderr)
        stdout.write(_dump(out))
        stdout.flush()
    if failed:
        print(f"zhifa redact：共有{failed}行无法处理，已输出错误对象，其余行已处理。", file=stderr)
    return 1 if failed else 0


def _plain(stdin: IO[bytes], stdout: IO[bytes], stderr: IO[str], policy: Policy) -> int:
    data = stdin.read()
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        print(
            f"zhifa redact：输入不是有效的 UTF-8 文本（第{e.start + 1}个字节），未输出任何内容。",
            file=stderr,
        )
        return 1
    stdout.write(redact(text, policy=policy).text.encode("utf-8"))
    stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run `zhifa redact`; returns the exit status."""
    args = _parser().parse_args(argv)
    policy = Policy(party_name=args.party_name)
    run = _jsonl if args.jsonl else _plain
    try:
        return run(sys.stdin.buffer, sys.stdout.buffer, sys.stderr, policy)
    except BrokenPipeError:
        # The reader went away (… | head): stop quietly, as other filters do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
