"""Names of natural persons found by their context."""

from __future__ import annotations

import pytest

from zhifa.disclosure.redaction import Policy, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("证人李四称：", "证人李某称："),
        ("证人：王小明，男，", "证人：王某某，男，"),
        ("证人李四明确表示", "证人李某明确表示"),
        ("证人王五在现场", "证人王某在现场"),
        ("证人王小明称", "证人王某某称"),
        ("证人张大为称", "证人张某某称"),
        ("被询问人：欧阳修文", "被询问人：欧阳某某"),
        ("经询问证人李四、王五、赵六", "经询问证人李某、王某、赵某"),
        ("证人李四和王五证实", "证人李某和王某证实"),
        ("证人许国庆（旧身份证）、沈梅芳证实", "证人许某某（旧身份证）、沈某某证实"),
        ("驾驶员张三驾驶浙A12345", "驾驶员张某驾驶浙A12345"),
        ("户主张三家中有", "户主张某家中有"),
        ("员工王芳芳在", "员工王某某在"),
        ("姓名：马云飞", "姓名：马某某"),
        ("其妻子刘美华称", "其妻子刘某某称"),
        ("委托代理人：浙江某某律师事务所律师王五", "委托代理人：浙江某某律师事务所律师王某"),
        ("监护人：买买提·艾力称", "监护人：买某某称"),
        ("李四，男，1980年出生", "李某，男，1980年出生"),
        ("\n王小红（女，", "\n王某某（女，"),
        ("李四（身份证号码", "李某（身份证号码"),
        ("消费者王雨桐投诉", "消费者王某某投诉"),
        ("当事人之妻俞海燕在场", "当事人之妻俞某某在场"),
        ("其妻子李四称", "其妻子李某称"),  # roles overlap: 其妻, then 妻子
        ("联系人：洪涛，", "联系人：洪某，"),
    ],
)
def test_names_after_role_words(text, expected):
    result = redact(text)
    assert result.text == expected
    assert {s.kind for s in result.spans} == {"name"}


def test_a_found_name_is_masked_wherever_it_occurs_again():
    text = "证人周海涛证实了上述事实。周海涛还称，另有周海涛签字的笔录。"
    result = redact(text)
    assert "周海涛" not in result.text
    assert [s.rule for s in result.spans] == ["name.role", "name.repeat", "name.repeat"]


def test_the_party_name_follows_the_policy():
    text = "当事人：张三，男，1990年出生。张三在其店内销售。证人李四称。"
    assert redact(text).text == "当事人：张某，男，1990年出生。张某在其店内销售。证人李某称。"
    kept = redact(text, policy=Policy(party_name="keep"))
    assert kept.text == "当事人：张三，男，1990年出生。张三在其店内销售。证人李某称。"


def test_party_without_colon_needs_punctuation_after_the_name():
    assert redact("当事人张三，").text == "当事人张某，"
    assert redact("当事人张三于2026年").spans == []


@pytest.mark.parametrize(
    "text",
    [
        "法定代表人：张三，男，",  # representatives of organisations stay
        "法定代表人张三称",
        "负责人：潘国强，职务：总经理。",
        "投资人李四称",
        "法定代表人：张三。证人张三称",  # the same string is kept everywhere
    ],
)
def test_representatives_stay(text):
    assert redact(text).spans == []


@pytest.mark.parametrize(
    "text",
    [
        "当事人安装了摄像头",
        "当事人向本局提出陈述申辩",
        "当事人于现场称",
        "当事人应当",
        "证人陈述：当日在场",
        "证人于现场称",
        "经营者应当",
        "驾驶员驾驶证",
        "员工宿舍，",
        "消费者权益，",
        "会计师事务所",
        "当事人：杭州西湖某某科技有限公司",
        "当事人：王记小吃店（个体工商户）",
        "当事人：宁波某某电子商务有限公司",
        "当事人：江山市某某建材厂",
        "举报人陈某称",  # already anonymised
        "当事人张某某",
        "证人某·某",
        "他说李四，男的",  # a sex not at the start of a clause
        "居住员工12人",
    ],
)
def test_not_names(text):
    assert redact(text).spans == []


def test_mask_lengths():
    assert redact("证人：王五，").spans[0].replacement == "王某"
    assert redact("证人：王小明，").spans[0].replacement == "王某某"
    assert redact("证人：司马光明，").spans[0].replacement == "司马某某"


def test_given_names():
    from zhifa.disclosure.redaction.names import given_name

    assert given_name("张三丰") == "三丰"
    assert given_name("欧阳修文") == "修文"
    assert given_name("钱玉兰") == "玉兰"
    assert given_name("买买提·艾力") == ""
    assert given_name("John Smith") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A third person found by the detectors: the shop named after them too.
        ("系从供货人李秀梅经营的秀梅调料店购进", "系从供货人李某某经营的某某调料店购进"),
        ("证人李建军经营的建军五金店", "证人李某某经营的某某五金店"),
        # The party's own 字号 follows the policy with the name.
        ("当事人：钱玉兰，女，经营玉兰副食店。", "当事人：钱某某，女，经营某某副食店。"),
        # Not a shop: the given name in other words stays.
        ("证人李建军称，当年建军节前后", "证人李某某称，当年建军节前后"),
    ],
)
def test_a_shop_named_after_a_detected_person(text, expected):
    assert redact(text).text == expected
