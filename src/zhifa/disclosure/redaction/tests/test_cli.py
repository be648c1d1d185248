"""`zhifa redact`: the CLI contract of issue 8, run as a user would, with no database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .corpus import DECISIONS

# The console script next to this interpreter; `python -m zhifa` otherwise.
_SCRIPT = shutil.which("zhifa", path=str(Path(sys.executable).parent))
COMMAND = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "zhifa"]


def run(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {
        **os.environ,
        # Nothing listens there: any attempt to reach a database would fail.
        "DATABASE_URL": "postgres://x@127.0.0.1:1/none",
        "DJANGO_SETTINGS_MODULE": "zhifa.no_such_settings",
    }
    return subprocess.run(
        [*COMMAND, "redact", *args], input=stdin, capture_output=True, env=env, timeout=60
    )


def test_plain_text_in_redacted_text_out():
    text = DECISIONS[0]["text"]
    done = run([], text.encode())
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert "330106198503120415" not in out and "陈建国" not in out
    assert "杭西市监罚〔2026〕12号" in out
    assert out.endswith("2026年4月20日\n")  # nothing added or removed around the text


def test_plain_mode_keeps_the_party_name_on_request():
    done = run(["--party-name", "keep"], "当事人：张三，男。证人李四称。".encode())
    assert done.stdout.decode() == "当事人：张三，男。证人李某称。"


def test_jsonl_one_line_out_per_line_in_with_offsets_into_the_original():
    lines = [
        {"text": "证人李四称，电话13800138000。"},
        {"text": "王雨桐来过，身份证号 330106198503120415", "known": {"names": ["王雨桐"]}},
        {
            "text": "住址：杭州市西湖区文三路259号3幢2单元501室",
            "known": {"names": [], "id_numbers": [], "phones": [], "addresses": []},
            "id": "ignored",
        },
    ]
    stdin = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
    done = run(["--jsonl"], stdin)
    assert done.returncode == 0, done.stderr.decode()
    outputs = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(outputs) == 3
    for given, out in zip(lines, outputs, strict=True):
        assert set(out) == {"text", "spans"}
        for span in out["spans"]:
            assert set(span) == {"start", "end", "kind"}
            assert given["text"][span["start"] : span["end"]] not in out["text"]
    assert outputs[0] == {
        "text": "证人李某称，电话138****8000。",
        "spans": [
            {"start": 2, "end": 4, "kind": "name"},
            {"start": 8, "end": 19, "kind": "phone"},
        ],
    }
    assert outputs[1]["text"] == "王某某来过，身份证号 3301**********0415"
    assert [s["kind"] for s in outputs[1]["spans"]] == ["name", "id_number"]
    assert outputs[2]["spans"] == [{"start": 9, "end": 25, "kind": "address"}]


def test_jsonl_offsets_are_code_points():
    text = "𠀀𠀁证人李四称"  # characters outside the BMP count as one each
    done = run(["--jsonl"], (json.dumps({"text": text}) + "\n").encode())
    (span,) = json.loads(done.stdout)["spans"]
    assert text[span["start"] : span["end"]] == "李四"


def test_jsonl_bad_lines_get_an_error_line_and_the_rest_is_processed():
    stdin = b"\n".join(
        [
            '{"text": "证人李四称"}'.encode(),
            b"not json",
            b"",
            b"[1, 2]",
            b'{"text": 5}',
            '{"text": "x", "known": {"name": ["李四"]}}'.encode(),
            '{"text": "x", "known": {"names": "李四"}}'.encode(),
            b'{"text": "\xff\xfe"}',
            '{"text": "电话13800138000"}'.encode(),
        ]
    )
    done = run(["--jsonl"], stdin + b"\n")
    assert done.returncode == 1
    outputs = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(outputs) == 9
    assert outputs[0]["text"] == "证人李某称"
    assert outputs[8]["text"] == "电话138****8000"
    errors = {o["line"]: o["error"] for o in outputs if "error" in o}
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8]
    assert "不是有效的 JSON" in errors[2]
    assert "空行" in errors[3]
    assert "JSON 对象" in errors[4]
    assert "text" in errors[5]
    assert "无法识别的字段：name" in errors[6]
    assert "字符串列表" in errors[7]
    assert "UTF-8" in errors[8]
    stderr = done.stderr.decode()
    for line in errors:
        assert f"第{line}行" in stderr


def test_jsonl_accepts_crlf_a_bom_and_a_last_line_without_newline():
    stdin = '\ufeff{"text": "证人李四称"}\r\n{"text": "证人王五称"}'.encode()
    done = run(["--jsonl"], stdin)
    assert done.returncode == 0, done.stderr.decode()
    texts = [json.loads(line)["text"] for line in done.stdout.decode().splitlines()]
    assert texts == ["证人李某称", "证人王某称"]


def test_plain_mode_refuses_text_that_is_not_utf8():
    done = run([], b"\xff\xfe\x00bad")
    assert done.returncode == 1
    assert done.stdout == b""
    assert "UTF-8" in done.stderr.decode()


@pytest.mark.parametrize("args", [["--bogus"], ["--party-name", "publish"]])
def test_bad_arguments_exit_2_with_a_chinese_message(args):
    done = run(args, b"")
    assert done.returncode == 2
    assert "参数有误" in done.stderr.decode()


def test_the_entry_point_dispatches_redact_itself():
    from zhifa import cli

    with pytest.raises(SystemExit) as exit_info:
        cli.main(["redact", "--bogus"])
    assert exit_info.value.code == 2
