"""Residential addresses: the administrative part stays, the rest becomes ***."""

from __future__ import annotations

import pytest

from zhifa.disclosure.redaction import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "住址：浙江省杭州市西湖区文三路259号3幢2单元501室，",
            "住址：浙江省杭州市西湖区***，",
        ),
        ("住址：杭州市上城区清波街道河坊街123号", "住址：杭州市上城区清波街道***"),
        ("家住某某县某某镇张家村。", "家住某某县某某镇***。"),
        (
            "户籍地：浙江省湖州市安吉县递铺街道古城村三组，",
            "户籍地：浙江省湖州市安吉县递铺街道***，",
        ),
        ("现住安吉县孝丰镇横柏村5组18号，", "现住安吉县孝丰镇***，"),
        (
            "浙江省杭州市拱墅区米市巷街道朝晖九区12幢3单元201室",
            "浙江省杭州市拱墅区米市巷街道***",
        ),
        (
            "现住上海市徐汇区漕河泾街道宜山路100弄5号602室",
            "现住上海市徐汇区漕河泾街道***",
        ),
        ("现居住于桐乡市梧桐街道庆丰北路99号（租房）", "现居住于桐乡市梧桐街道***（租房）"),
        (
            "当事人：张三，男，1990年出生，住所：北京市朝阳区建国路88号院3号楼1201室。",
            "当事人：张某，男，1990年出生，住所：北京市朝阳区***。",
        ),
        ("租住于嘉鸿花园8栋2单元1503室", "租住于***"),
        ("暂住某某小区3-2-501室", "暂住***"),
        ("河北省石家庄市长安区建设北大街100号5栋301室", "河北省石家庄市长安区***"),
        ("宁夏回族自治区银川市兴庆区解放东街88号2单元301室", "宁夏回族自治区银川市兴庆区***"),
        ("住浙江省杭州市西湖区文三路259号", "住浙江省杭州市西湖区***"),
        ("３幢２单元５０１室", "***"),
    ],
)
def test_residential_addresses(text, expected):
    result = redact(text)
    assert result.text == expected
    assert "address" in {s.kind for s in result.spans}


@pytest.mark.parametrize(
    "text",
    [
        "在杭州市西湖区文三路100号经营",  # the place of business, no residential sign
        "经营场所：杭州市西湖区古墩路88号",
        "住所：温州市鹿城区双屿街道鞋都大道1号。",  # an organisation's registered address
        "住所：上海市静安区南京西路1266号恒隆广场1号楼3201室",
        "当事人：某某公司，住所：浙江省宁波市鄞州区首南街道天童南路588号1201室",
        "户籍所在地：四川省南充市顺庆区新建街道",  # nothing below the township
        "杭西市监罚〔2026〕12号",
        "安综执罚决字〔2026〕第0035号",
        "（2026）浙0106行初12号",
        "本局于2026年第3号公告",
        "第一百二十二条第一款",
        "查获一组",
        "位于1号仓库",
        "其中1号楼为仓库",
        "浙E·A1234号货车",
        "鲜牛奶12盒",
        "本溪满族自治县小市镇物流园C栋2号",  # a building, not a home
        "当事人仓库C栋2号（已加贴封条）",
    ],
)
def test_not_residential_addresses(text):
    assert [s for s in redact(text).spans if s.kind == "address"] == []


def test_the_span_covers_only_the_masked_part():
    text = "住址：浙江省杭州市西湖区文三路259号3幢2单元501室"
    (span,) = redact(text).spans
    assert text[span.start : span.end] == "文三路259号3幢2单元501室"
    assert span.replacement == "***"
