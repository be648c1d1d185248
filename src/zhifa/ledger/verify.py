"""Offline receipt verifier (command line).

    python -m zhifa.ledger.verify RECEIPT.json --key PUBKEY
        [--witness-key KEY ...] [--require-cosignatures K] [--json]

``PUBKEY`` and ``KEY`` are verifier keys (``name+keyid+base64``) or paths to
text files holding one or more of them, one per line (blank lines and lines
starting with ``#`` are ignored).  ``RECEIPT.json`` may be ``-`` for standard
input.

Exit status: 0 the receipt is valid; 1 verification failed; 2 usage error or
malformed input (unreadable file, bad JSON, bad key, unsupported hash).

Needs only the standard library and ``cryptography``: this module and the
modules it imports never import Django.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from zhifa.ledger.note import NoteError, VerifierKey, parse_vkey
from zhifa.ledger.receipt import MAX_RECEIPT_BYTES, KeyConfigError, check_receipt

__all__ = ["main", "read_keys"]

EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

_MAX_KEY_FILE_BYTES = 1024 * 1024


class UsageError(Exception):
    """Bad command line or unreadable input; exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for english, chinese in _ARGPARSE_MESSAGES:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"参数错误：{message}\n")


_ARGPARSE_MESSAGES = (
    ("the following arguments are required", "缺少必需的参数"),
    ("unrecognized arguments", "无法识别的参数"),
    ("expected one argument", "需要一个参数值"),
    ("argument ", "参数 "),
)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m zhifa.ledger.verify",
        description="离线验证执法记录回执：核对日志签名、见证联署和记录的包含证明。",
        epilog="退出码：0 回执有效；1 验证未通过；2 参数错误或输入格式错误。",
        add_help=False,
    )
    p.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    p.add_argument("receipt", metavar="RECEIPT.json", help="回执文件路径；用 - 表示从标准输入读取")
    p.add_argument(
        "--key",
        action="append",
        required=True,
        metavar="PUBKEY",
        help="日志公钥（name+keyid+base64 形式），或包含公钥的文件路径；可重复",
    )
    p.add_argument(
        "--witness-key",
        action="append",
        default=[],
        metavar="KEY",
        help="见证公钥（cosignature/v1 类型），或包含公钥的文件路径；可重复",
    )
    p.add_argument(
        "--require-cosignatures",
        type=_non_negative,
        default=0,
        metavar="K",
        help="至少需要的有效见证联署个数（默认 0）",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 格式输出验证结果")
    return p


def _non_negative(value: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} 不是非负整数")
    return int(value)


def read_keys(spec: str) -> list[VerifierKey]:
    """A vkey string, or a file of vkeys (one per line); UsageError if neither."""
    try:
        return [parse_vkey(spec)]
    except NoteError as exc:
        first_error = exc
    path = Path(spec)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):
        is_file = False
    if not is_file:
        if "+" in spec:  # looks like a vkey: report why it is not one
            raise UsageError(f"公钥无效：{first_error}")
        raise UsageError(f"公钥 {spec!r} 既不是有效的公钥字符串，也不是可读取的文件。")
    try:
        raw = path.read_bytes()[: _MAX_KEY_FILE_BYTES + 1]
    except OSError as exc:
        raise UsageError(f"无法读取公钥文件 {spec}：{exc.strerror}") from None
    if len(raw) > _MAX_KEY_FILE_BYTES:
        raise UsageError(f"公钥文件 {spec} 过大。")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise UsageError(f"公钥文件 {spec} 不是 UTF-8 文本。") from None
    keys: list[VerifierKey] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            keys.append(parse_vkey(line))
        except NoteError as exc:
            raise UsageError(f"公钥文件 {spec} 第 {lineno} 行无效：{exc}") from None
    if not keys:
        raise UsageError(f"公钥文件 {spec} 中没有公钥。")
    return keys


def _read_receipt(spec: str) -> bytes:
    try:
        if spec == "-":
            data = sys.stdin.buffer.read(MAX_RECEIPT_BYTES + 1)
        else:
            with open(spec, "rb") as fh:
                data = fh.read(MAX_RECEIPT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"无法读取回执文件 {spec}：{exc.strerror or exc}") from None
    if len(data) > MAX_RECEIPT_BYTES:
        raise UsageError(f"回执文件过大（超过 {MAX_RECEIPT_BYTES} 字节）。")
    return data


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    log_keys = [k for spec in args.key for k in read_keys(spec)]
    witness_keys = [k for spec in args.witness_key for k in read_keys(spec)]
    data = _read_receipt(args.receipt)
    try:
        report = check_receipt(
            data, log_keys, witness_keys, required_cosignatures=args.require_cosignatures
        )
    except KeyConfigError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(report.text())
    if report.ok:
        return EXIT_VALID
    return EXIT_INVALID if report.status == "invalid" else EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the verifier; returns the exit status (never raises for bad input)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # detached or closed stream
                reconfigure(errors="backslashreplace")
    try:
        return _run(argv)
    except UsageError as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover
        sys.stderr.write("已中断。\n")
        return 130
    except Exception as exc:  # never show a traceback to a court clerk
        sys.stderr.write(f"错误：验证程序内部错误（{type(exc).__name__}：{exc}）。\n")
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
