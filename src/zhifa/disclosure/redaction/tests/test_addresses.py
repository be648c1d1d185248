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


# Real division names whose characters trip simple rules: numerals (五莲县,
# 八里甸子镇, 九台区, 十堰市), place words (庄浪县, 屯昌县, 路桥区, 坊子区,
# 张村驿镇), function words (于洪区, 东至县), 市 inside a town (小市镇), a
# district named like a direction (市南区, 东区街道), long autonomous names.
DIVISIONS = [
    "山东省日照市五莲县洪凝街道",
    "甘肃省平凉市庄浪县水洛镇",
    "海南省屯昌县屯城镇",
    "浙江省台州市路桥区路桥街道",
    "山东省潍坊市坊子区凤凰街道",
    "辽宁省本溪市桓仁满族自治县八里甸子镇",
    "陕西省延安市富县张村驿镇",
    "湖北省十堰市郧阳区城关镇",
    "贵州省黔南布依族苗族自治州三都水族自治县三合街道",
    "吉林省长春市九台区营城街道",
    "湖南省长沙市宁乡市玉潭街道",
    "辽宁省沈阳市于洪区迎宾路街道",
    "安徽省池州市东至县尧渡镇",
    "内蒙古自治区赤峰市阿鲁科尔沁旗天山镇",
    "山东省济南市市中区七里山街道",
    "山东省青岛市市南区八大关街道",
    "广东省中山市东区街道",
    "湖南省常德市安乡县深柳镇",
    "辽宁省本溪市本溪满族自治县小市镇",
    "上海市浦东新区张江镇",
    "本溪满族自治县草河掌镇",
]
DETAILS = ["幸福路18号2单元301室", "草河村3组", "滨河花园3号楼2单元502室", "新城社区3组12号"]


@pytest.mark.parametrize("division", DIVISIONS)
@pytest.mark.parametrize("detail", DETAILS)
def test_a_mask_never_starts_inside_a_division_name(division, detail):
    text = f"当事人张三，男，住址：{division}{detail}。"
    assert redact(text).text == f"当事人张某，男，住址：{division}***。"


@pytest.mark.parametrize("division", [*DIVISIONS, "辽宁省大连市庄河市城山镇"])
def test_place_words_inside_division_names_are_not_the_detail(division):
    # 庄河市, 屯城镇, 路桥区: 庄, 屯, 路 are place words, but not here.
    text = f"当事人张三，男，家住{division}。"
    assert redact(text).text == f"当事人张某，男，家住{division}。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A street named after a division is no division (县前街, 县府路, 杭州路).
        ("住址：宁县新宁镇县府路5号2单元101室", "住址：宁县新宁镇***"),
        ("住址：蓟州区渔阳镇县西路5号2单元101室", "住址：蓟州区渔阳镇***"),
        ("住址：青岛市市南区杭州路5号2单元101室", "住址：青岛市市南区***"),
        ("住址：城区县前街5号2单元101室", "住址：城区***"),
        # Numerals running on into a village's name are no house number.
        ("家住桓仁满族自治县八里甸子镇二户来村5组", "家住桓仁满族自治县八里甸子镇***"),
        ("住址：某县某镇二户来村", "住址：某县某镇***"),
    ],
)
def test_streets_and_villages_named_like_divisions(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "公司住所为长兴县太湖街道长兴大道1号3幢201室。",
        "该公司注册地址位于本溪满族自治县小市镇南街12号1单元101室。",
        "当事人：某某有限公司，住所：桓仁满族自治县八里甸子镇二户来村5组。",
    ],
)
def test_an_organisations_registered_address_stays(text):
    assert redact(text).text == text


def test_a_known_organisation_address_is_never_masked():
    from zhifa.disclosure.redaction import Known

    address = "本溪满族自治县小市镇滨河花园3号楼2单元101室"
    text = f"当事人：某某工作室，经营者张三，男，经营地点即其住所：{address}。"
    assert "滨河花园" not in redact(text).text  # alone, the detector masks it
    kept = redact(text, known=Known(organisation_addresses=[address]))
    assert address in kept.text
    assert [s.kind for s in kept.spans] == ["name"]
