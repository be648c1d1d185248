"""Tests for zhifa.ledger.receipt and the offline CLI zhifa.ledger.verify.

A small in-memory log (merkle) with a log key and two witnesses produces
receipts; every kind of tampering must be caught with the right reason.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.ledger import merkle
from zhifa.ledger.note import add_signatures, encode_checkpoint, parse_note
from zhifa.ledger.receipt import (
    RECEIPT_FORMAT,
    KeyConfigError,
    ReceiptError,
    build_receipt,
    check_receipt,
    dumps_receipt,
    parse_receipt,
)
from zhifa.ledger.signer import Ed25519Signer
from zhifa.ledger.verify import main

HYP = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SRC = str(Path(__file__).resolve().parents[3])

ORIGIN = "ledger.example.gov.cn/2026"
LOG = Ed25519Signer.generate(ORIGIN)
W1 = Ed25519Signer.generate("sfj.example.gov.cn/witness", role="witness")
W2 = Ed25519Signer.generate("jcy.example.gov.cn/witness", role="witness")
W3 = Ed25519Signer.generate("sj.example.gov.cn/witness", role="witness")  # never cosigns
COSIGN_TIME = 1_767_225_600  # 2026-01-01 08:00:00 Beijing time


def entry(i: int) -> bytes:
    obj = {
        "v": 1,
        "action": "case.opened" if i % 2 else "evidence.stored",
        "recorded_at": f"2026-01-01T00:00:{i:02d}.000000Z",
        "agency": "某市市场监督管理局",
        "subject": f"案件 {i}",
    }
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


ENTRIES = [entry(i) for i in range(7)]


def signed_checkpoint(leaves, algo="sha256", cosigners=(W1, W2), origin=ORIGIN) -> str:
    body = encode_checkpoint(origin, len(leaves), merkle.root_hash(leaves, algo))
    signed = body + "\n" + LOG.sign_note(body) + "\n"
    return add_signatures(
        signed, [w.cosign(body, COSIGN_TIME + k) for k, w in enumerate(cosigners)]
    )


def make_receipt(index=2, leaves=ENTRIES, algo="sha256", cosigners=(W1, W2)) -> dict:
    return build_receipt(
        origin=ORIGIN,
        hash_alg=algo,
        index=index,
        entry=leaves[index],
        inclusion_proof=merkle.inclusion_proof(leaves, index, algo),
        checkpoint=signed_checkpoint(leaves, algo, cosigners),
    )


def check(receipt, **kw):
    kw.setdefault("log_keys", [LOG.vkey])
    return check_receipt(receipt, **kw)


# --------------------------------------------------------------------------- happy path


@pytest.mark.parametrize("algo", ["sha256", "sm3"])
def test_every_receipt_of_a_small_log_verifies(algo):
    for index in range(len(ENTRIES)):
        receipt = make_receipt(index, algo=algo)
        report = check(receipt, witness_keys=[W1.vkey, W2.vkey], required_cosignatures=2)
        assert report.ok, report.text()
        assert report.status == "valid"
        assert report.index == index
        assert report.tree_size == 7
        assert report.root_hex == merkle.root_hash(ENTRIES, algo).hex()
        assert report.leaf_hash_hex == merkle.leaf_hash(ENTRIES[index], algo).hex()
        assert report.log_signers == [ORIGIN]
        assert [c.name for c in report.cosigners] == [W1.name, W2.name]
        assert report.entry["subject"] == f"案件 {index}"


def test_report_explains_in_plain_chinese():
    report = check(make_receipt(2), witness_keys=[W1.vkey, W2.vkey, W3.vkey])
    text = report.text()
    assert report.lines[0] == "结论：回执有效。"
    assert f"该记录是日志 {ORIGIN} 的第 3 条记录（序号 2，共 7 条）。" in text
    assert f"日志签名有效（签名方：{ORIGIN}）。" in text
    assert f"已由 {W1.name} 于 2026-01-01 08:00:00（北京时间）联署见证。" in text
    assert f"已由 {W2.name} 于 2026-01-01 08:00:01（北京时间）联署见证。" in text
    assert "SHA-256 哈希与已签名检查点的包含证明相符" in text
    assert "事件：evidence.stored" in text
    assert "执法机关：某市市场监督管理局" in text
    assert report.cosigners[0].timestamp == COSIGN_TIME
    d = report.to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert d["cosigners"][1]["time"].startswith("2026-01-01 08:00:01")


def test_receipt_roundtrips_through_text_and_bytes():
    receipt = make_receipt(4)
    text = dumps_receipt(receipt)
    assert check(text).ok
    assert check(text.encode()).ok
    assert check("\ufeff" + text).ok  # a BOM from a Windows editor is tolerated
    assert check(parse_receipt(text)).ok
    assert parse_receipt(text).to_dict() == receipt
    assert dumps_receipt(parse_receipt(text)) == text


def test_unknown_signatures_are_ignored_and_counted():
    report = check(make_receipt(1))  # no witness keys given: the two cosignatures are unknown
    assert report.ok
    assert report.unknown_signatures == 2
    assert "未提供见证公钥" in report.text()
    assert "另有 2 个未知公钥的签名" in report.text()


def test_non_json_entries_still_verify():
    leaves = [b"\x00\xffraw", b"", b"[1,2]"]
    for i in range(3):
        report = check(make_receipt(i, leaves))
        assert report.ok
        assert report.entry is None


# --------------------------------------------------------------------------- tampering


def _b64_mutate(value: str, pos: int) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[pos] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def test_flipping_any_entry_byte_fails_inclusion():
    receipt = make_receipt(3)
    n = len(base64.b64decode(receipt["entry"]))
    for pos in range(n):
        bad = dict(receipt, entry=_b64_mutate(receipt["entry"], pos))
        report = check(bad)
        assert report.status == "invalid", pos
        assert "包含证明验证失败" in report.reason


def test_flipping_any_proof_byte_fails_inclusion():
    receipt = make_receipt(3)
    for i, element in enumerate(receipt["inclusion_proof"]):
        for pos in range(32):
            proof = list(receipt["inclusion_proof"])
            proof[i] = _b64_mutate(element, pos)
            report = check(dict(receipt, inclusion_proof=proof))
            assert report.status == "invalid"
            assert "包含证明验证失败" in report.reason


def test_changed_proof_shape_fails():
    receipt = make_receipt(3)
    proof = receipt["inclusion_proof"]
    for bad in (proof[:-1], [*proof, proof[0]], proof[::-1], []):
        report = check(dict(receipt, inclusion_proof=bad))
        assert report.status == "invalid"


@pytest.mark.parametrize("new_index", [0, 1, 2, 4, 5, 6])
def test_changed_index_fails(new_index):
    report = check(dict(make_receipt(3), index=new_index))
    assert report.status == "invalid"
    assert "包含证明验证失败" in report.reason


def test_index_beyond_the_checkpoint_fails():
    report = check(dict(make_receipt(3), index=7))
    assert report.status == "invalid"
    assert "超出已签名检查点的范围" in report.reason
    assert "共 7 条" in report.reason


def test_changed_checkpoint_size_or_root_text_breaks_the_log_signature():
    receipt = make_receipt(3)
    root_b64 = base64.b64encode(merkle.root_hash(ENTRIES)).decode()
    other_root = base64.b64encode(merkle.root_hash(ENTRIES[:6])).decode()
    for old, new in (("\n7\n", "\n8\n"), ("\n7\n", "\n6\n"), (root_b64, other_root)):
        bad = dict(receipt, checkpoint=receipt["checkpoint"].replace(old, new, 1))
        report = check(bad)
        assert report.status == "invalid"
        assert report.reason.startswith("日志签名无效")
        assert report.tree_size is None  # never reported from an unverified checkpoint


def test_malformed_checkpoint_size_text_is_malformed():
    receipt = make_receipt(3)
    bad = dict(receipt, checkpoint=receipt["checkpoint"].replace("\n7\n", "\n07\n", 1))
    report = check(bad)
    assert report.status == "malformed"
    assert "前导零" in report.reason


def test_flipping_the_log_signature_fails():
    receipt = make_receipt(3)
    note = parse_note(receipt["checkpoint"])
    log_line = note.signatures[0].line
    b64 = log_line.rsplit(" ", 1)[1]
    for pos in (4, 20, 67):  # inside the Ed25519 signature
        bad_line = log_line.replace(b64, _b64_mutate(b64, pos))
        bad = dict(receipt, checkpoint=receipt["checkpoint"].replace(log_line, bad_line))
        report = check(bad)
        assert report.status == "invalid"
        assert "日志签名无效" in report.reason


def test_wrong_log_key_fails():
    stranger = Ed25519Signer.generate(ORIGIN)
    report = check(make_receipt(3), log_keys=[stranger.vkey])
    assert report.status == "invalid"
    assert "没有给定日志公钥" in report.reason
    other_name = Ed25519Signer.generate("other.example/log")
    assert check(make_receipt(3), log_keys=[other_name.vkey]).status == "invalid"


def test_receipt_for_another_log_origin_fails():
    receipt = make_receipt(3)
    bad = copy.deepcopy(receipt)
    bad["log"]["origin"] = "other.example/log"
    report = check(bad)
    assert report.status == "invalid"
    assert "不一致" in report.reason


def test_receipt_with_wrong_hash_alg_fails():
    receipt = make_receipt(3)
    bad = copy.deepcopy(receipt)
    bad["log"]["hash_alg"] = "sm3"
    assert check(bad).status == "invalid"


def test_cosignature_requirements():
    receipt = make_receipt(3, cosigners=(W1,))
    assert check(receipt, witness_keys=[W1.vkey], required_cosignatures=1).ok
    report = check(receipt, witness_keys=[W1.vkey, W2.vkey], required_cosignatures=2)
    assert report.status == "invalid"
    assert "只有 1 个，少于要求的 2 个" in report.reason
    report = check(make_receipt(3, cosigners=()), witness_keys=[W1.vkey], required_cosignatures=1)
    assert report.status == "invalid"
    # The same witness twice counts once.
    receipt2 = make_receipt(3, cosigners=(W1, W1))
    report = check(receipt2, witness_keys=[W1.vkey, W2.vkey], required_cosignatures=2)
    assert report.status == "invalid"


def test_tampered_cosignature_fails():
    receipt = make_receipt(3)
    note = parse_note(receipt["checkpoint"])
    line = note.signatures[1].line
    b64 = line.rsplit(" ", 1)[1]
    for pos, what in ((6, "timestamp"), (40, "signature")):
        bad_line = line.replace(b64, _b64_mutate(b64, pos))
        bad = dict(receipt, checkpoint=receipt["checkpoint"].replace(line, bad_line))
        report = check(bad, witness_keys=[W1.vkey, W2.vkey])
        assert report.status == "invalid", what
        assert "见证联署签名无效" in report.reason


def test_size_binding_pitfall_is_refused():
    """ledger.md §2.5: PATH(0, D[3]) also verifies as (index 0, size 4) with the size-3 root."""
    leaves = ENTRIES[:4]
    proof3 = merkle.inclusion_proof(leaves[:3], 0)
    root3 = merkle.root_hash(leaves[:3])
    leaf0 = merkle.leaf_hash(leaves[0])
    assert merkle.verify_inclusion(leaf0, 0, 4, proof3, root3)  # the pitfall exists

    # (a) A receipt cannot claim a size of its own: an extra field is rejected.
    receipt3 = build_receipt(
        origin=ORIGIN,
        hash_alg="sha256",
        index=0,
        entry=leaves[0],
        inclusion_proof=proof3,
        checkpoint=signed_checkpoint(leaves[:3]),
    )
    assert check(receipt3).ok
    assert check(dict(receipt3, tree_size=4)).status == "malformed"
    # (b) Rewriting the size in the checkpoint text to 4 breaks the log signature.
    forged = dict(receipt3, checkpoint=receipt3["checkpoint"].replace("\n3\n", "\n4\n", 1))
    report = check(forged)
    assert report.status == "invalid"
    assert "日志签名无效" in report.reason
    # (c) The size-3 proof with a genuinely signed size-4 checkpoint fails inclusion.
    mixed = dict(receipt3, checkpoint=signed_checkpoint(leaves))
    report = check(mixed)
    assert report.status == "invalid"
    assert "包含证明验证失败" in report.reason


def test_build_receipt_refuses_inconsistent_input():
    good = make_receipt(2)
    with pytest.raises(ReceiptError, match="包含证明与检查点"):
        build_receipt(
            origin=ORIGIN,
            hash_alg="sha256",
            index=2,
            entry=b"other",
            inclusion_proof=merkle.inclusion_proof(ENTRIES, 2),
            checkpoint=good["checkpoint"],
        )
    with pytest.raises(ReceiptError, match="不一致"):
        build_receipt(
            origin="other.example/log",
            hash_alg="sha256",
            index=2,
            entry=ENTRIES[2],
            inclusion_proof=merkle.inclusion_proof(ENTRIES, 2),
            checkpoint=good["checkpoint"],
        )
    with pytest.raises(ReceiptError):
        build_receipt(
            origin=ORIGIN,
            hash_alg="sha256",
            index=2,
            entry="text",  # type: ignore[arg-type]
            inclusion_proof=[],
            checkpoint=good["checkpoint"],
        )


# --------------------------------------------------------------------------- malformed


def _mutated(**changes):
    obj = copy.deepcopy(make_receipt(2))
    for key, value in changes.items():
        if value is ...:
            del obj[key]
        else:
            obj[key] = value
    return obj


@pytest.mark.parametrize(
    ("receipt", "message"),
    [
        ("", "空的"),
        ("not json", "不是有效的 JSON"),
        ("[1, 2]", "JSON 对象"),
        ("[" * 100_000 + "]" * 100_000, "JSON"),
        (b"\xff\xfe", "UTF-8"),
        ('{"format": "zhifa-receipt/v1", "format": "x"}', "重复"),
        ('{"format": "zhifa-receipt/v1", "index": NaN}', "不允许的数值"),
        ("{}", "缺少 format"),
        (_mutated(format="zhifa-receipt/v2"), "不支持的回执格式"),
        (_mutated(index=...), "缺少字段 'index'"),
        (_mutated(extra=1), "未知字段 'extra'"),
        (_mutated(log="ledger"), "log 字段应是对象"),
        (_mutated(log={"origin": ORIGIN}), "缺少字段 'hash_alg'"),
        (_mutated(log={"origin": ORIGIN, "hash_alg": "md5"}), "不受支持"),
        (_mutated(log={"origin": "", "hash_alg": "sha256"}), "非空"),
        (_mutated(index=True), "应是整数"),
        (_mutated(index=2.0), "应是整数"),
        (_mutated(index="2"), "应是整数"),
        (_mutated(index=-1), "超出范围"),
        (_mutated(index=10**30), "超出范围"),
        (_mutated(entry=123), "base64 文本"),
        (_mutated(entry="not base64!"), "base64"),
        (_mutated(entry="QQ"), "base64"),
        (_mutated(inclusion_proof="abc"), "应是列表"),
        (_mutated(inclusion_proof=[1]), "第 1 个哈希应是 base64"),
        (_mutated(inclusion_proof=["QQ=="]), "应为 32 字节"),
        (_mutated(inclusion_proof=["A" * 43 + "="] * 65), "过长"),
        (_mutated(checkpoint=5), "应是文本"),
        (_mutated(checkpoint="no signatures"), "检查点格式错误"),
        (_mutated(checkpoint="a\nb\n\n— x AAAAAAA=\n"), "检查点正文格式错误"),
        ("x" * (1024 * 1024 + 1), "过大"),
    ],
)
def test_malformed_receipts_are_reported_not_raised(receipt, message):
    report = check(receipt)
    assert report.status == "malformed"
    assert not report.ok
    assert message in report.reason, report.reason
    assert report.lines[0] == "结论：回执格式错误，无法验证。"


def test_bad_key_configuration_raises_key_config_error():
    receipt = make_receipt(1)
    with pytest.raises(KeyConfigError, match="日志公钥无效"):
        check_receipt(receipt, ["garbage"])
    with pytest.raises(KeyConfigError, match="见证联署公钥"):
        check_receipt(receipt, [W1.vkey])
    with pytest.raises(KeyConfigError, match="cosignature/v1"):
        check_receipt(receipt, [LOG.vkey], [LOG.vkey])
    with pytest.raises(KeyConfigError, match="至少需要"):
        check_receipt(receipt, [])
    with pytest.raises(KeyConfigError, match="只提供了 1 个"):
        check_receipt(receipt, [LOG.vkey], [W1.vkey], required_cosignatures=2)
    with pytest.raises(KeyConfigError):
        check_receipt(receipt, [LOG.vkey], required_cosignatures=-1)


_RECEIPT_TEXT = dumps_receipt(make_receipt(5))


@HYP
@given(st.one_of(st.text(), st.binary(), st.from_type(object).filter(lambda o: o is not None)))
def test_fuzz_check_receipt_never_raises_on_garbage(data):
    report = check(data)
    assert report.status == "malformed"


@HYP
@given(st.data())
def test_fuzz_mutated_receipt_never_raises_and_never_verifies_changed_content(data):
    raw = bytearray(_RECEIPT_TEXT.encode())
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    report = check(bytes(raw))
    assert report.status in ("valid", "invalid", "malformed")
    if report.ok:
        # Only harmless changes can still verify: JSON whitespace, or a changed line of
        # an unknown signer (ignored).  What the receipt asserts must be unchanged.
        got, want = parse_receipt(bytes(raw)), parse_receipt(_RECEIPT_TEXT)
        fields = ("origin", "hash_alg", "index", "entry", "inclusion_proof", "checkpoint_body")
        assert [getattr(got, f) for f in fields] == [getattr(want, f) for f in fields]


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def files(tmp_path):
    receipt = tmp_path / "receipt.json"
    receipt.write_text(dumps_receipt(make_receipt(2)), encoding="utf-8")
    keys = tmp_path / "log.vkeys"
    keys.write_text(f"# 日志公钥\n\n{Ed25519Signer.generate('old.example').vkey}\n{LOG.vkey}\n")
    wkeys = tmp_path / "witness.vkeys"
    wkeys.write_text(f"{W1.vkey}\n{W2.vkey}\n")
    tampered = tmp_path / "tampered.json"
    bad = make_receipt(2)
    bad["entry"] = _b64_mutate(bad["entry"], 0)
    tampered.write_text(json.dumps(bad), encoding="utf-8")
    return {"receipt": receipt, "keys": keys, "wkeys": wkeys, "tampered": tampered, "dir": tmp_path}


def test_cli_valid_receipt(files, capsys):
    code = main([str(files["receipt"]), "--key", str(files["keys"]), "--witness-key",
                 str(files["wkeys"]), "--require-cosignatures", "2"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("结论：回执有效。")
    assert "联署见证" in out


def test_cli_json_output_and_inline_keys(files, capsys):
    code = main([str(files["receipt"]), "--key", LOG.vkey, "--witness-key", W1.vkey, "--json"])
    assert code == 0
    d = json.loads(capsys.readouterr().out)
    assert d["ok"] is True
    assert d["tree_size"] == 7
    assert [c["name"] for c in d["cosigners"]] == [W1.name]


def test_cli_failures_exit_1(files, capsys):
    assert main([str(files["tampered"]), "--key", LOG.vkey]) == 1
    out = capsys.readouterr().out
    assert "结论：回执无效。" in out
    assert "包含证明验证失败" in out
    stranger = Ed25519Signer.generate(ORIGIN).vkey
    assert main([str(files["receipt"]), "--key", stranger]) == 1
    args = [str(files["receipt"]), "--key", LOG.vkey, "--witness-key", W3.vkey]
    assert main([*args, "--require-cosignatures", "1"]) == 1


def test_cli_usage_errors_exit_2(files, capsys):
    receipt = str(files["receipt"])
    bad_json = files["dir"] / "bad.json"
    bad_json.write_text("{not json")
    bad_keys = files["dir"] / "bad.vkeys"
    bad_keys.write_text("x+y+z\n")
    empty_keys = files["dir"] / "empty.vkeys"
    empty_keys.write_text("# nothing\n")
    cases = [
        ([str(bad_json), "--key", LOG.vkey], "不是有效的 JSON"),
        ([str(files["dir"] / "missing.json"), "--key", LOG.vkey], "无法读取回执文件"),
        ([receipt, "--key", "garbage"], "既不是有效的公钥字符串"),
        ([receipt, "--key", LOG.vkey[:-2] + "AA"], "公钥无效"),
        ([receipt, "--key", str(bad_keys)], "第 1 行无效"),
        ([receipt, "--key", str(empty_keys)], "没有公钥"),
        ([receipt, "--key", W1.vkey], "见证联署公钥"),
        ([receipt, "--key", LOG.vkey, "--require-cosignatures", "1"], "只提供了 0 个"),
        ([receipt, "--key", LOG.vkey, "--require-cosignatures", "-1"], "参数错误"),
        ([receipt], "参数错误"),
    ]
    for argv, message in cases:
        code = _exit_code(argv)
        captured = capsys.readouterr()
        assert code == 2, argv
        assert message in captured.err + captured.out, (argv, captured)
        assert "Traceback" not in captured.err


def _exit_code(argv: list[str]) -> int:
    """main() returns the status; argparse exits through SystemExit for bad arguments."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def _run_cli(*args: str, stdin: bytes | None = None, importtime: bool = False):
    cmd = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m",
           "zhifa.ledger.verify", *args]  # fmt: skip
    env = dict(os.environ, PYTHONPATH=SRC, PYTHONIOENCODING="utf-8")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(cmd, input=stdin, capture_output=True, env=env, timeout=60, check=False)


def test_cli_subprocess_valid_from_stdin_without_importing_django(files):
    proc = _run_cli("-", "--key", LOG.vkey, stdin=files["receipt"].read_bytes(), importtime=True)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode("utf-8").startswith("结论：回执有效。")
    imported = [
        line.rsplit("|", 1)[-1].strip()
        for line in proc.stderr.decode().splitlines()
        if line.startswith("import time:")
    ]
    assert "zhifa.ledger.receipt" in imported
    assert not [m for m in imported if m.split(".")[0] == "django"]


def test_cli_subprocess_malformed_json_exits_2_without_traceback(files):
    proc = _run_cli("-", "--key", LOG.vkey, stdin=b'{"format": ')
    assert proc.returncode == 2
    assert "不是有效的 JSON" in proc.stdout.decode("utf-8")
    assert b"Traceback" not in proc.stderr


def test_cli_subprocess_tampered_exits_1(files):
    proc = _run_cli(str(files["tampered"]), "--key", str(files["keys"]))
    assert proc.returncode == 1
    assert "回执无效" in proc.stdout.decode("utf-8")
    assert b"Traceback" not in proc.stderr


def test_cli_subprocess_usage_error_exits_2(files):
    proc = _run_cli(str(files["receipt"]))
    assert proc.returncode == 2
    assert "参数错误" in proc.stderr.decode("utf-8")


def test_verifier_modules_do_not_load_django():
    code = (
        "import sys\n"
        "import zhifa.ledger.verify, zhifa.ledger.witness\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django')\n"
        "assert not bad, bad\n"
    )
    env = dict(os.environ, PYTHONPATH=SRC)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)


def test_receipt_format_constant():
    assert make_receipt(0)["format"] == RECEIPT_FORMAT == "zhifa-receipt/v1"
