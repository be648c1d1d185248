"""Layer 1: what the case knows is masked wherever it appears, also in variants."""

from __future__ import annotations

import pytest

from zhifa.disclosure.redaction import Known, Policy, redact


def kinds(text: str, known: Known, policy: Policy | None = None) -> list[tuple[str, str, str]]:
    return [
        (s.kind, s.rule, text[s.start : s.end])
        for s in redact(text, known=known, policy=policy).spans
    ]


@pytest.mark.parametrize(
    "text",
    ["张三丰来过", "张 三丰来过", "张　三　丰来过", "张\n三丰来过"],
)
def test_a_known_name_with_spaces_between_characters(text):
    result = redact(text, known=Known(names=["张三丰"]))
    assert result.text == "张某某来过"
    assert [s.rule for s in result.spans] == ["known.name"]


def test_known_names_without_any_context():
    text = "经查，王雨桐于当日购买。王雨桐称其不知情。"
    assert redact(text).spans == []  # no role word: the detectors cannot know
    result = redact(text, known=Known(names=["王雨桐"]))
    assert result.text == "经查，王某某于当日购买。王某某称其不知情。"


def test_known_minority_and_latin_names():
    assert redact("买买提 · 艾力来过", known=Known(names=["买买提·艾力"])).text == "买某某来过"
    assert redact("JOHN SMITH signed", known=Known(names=["John Smith"])).text == "J*** signed"


@pytest.mark.parametrize(
    "text",
    [
        "号码330106198503120415",
        "号码 330106 19850312 0415",
        "号码3301-0619-8503-1204-15",
        "号码３３０１０６１９８５０３１２０４１５",
        "旧号码330106850312041",  # the 15-digit form of the older series
    ],
)
def test_a_known_id_number_in_variants(text):
    result = redact(text, known=Known(id_numbers=["330106 19850312 0415"]))
    assert [s.rule for s in result.spans] == ["known.id_number"]


def test_a_known_id_with_x():
    text = "证件33012719560101071x"
    assert kinds(text, Known(id_numbers=["33012719560101071X"])) == [
        ("id_number", "known.id_number", "33012719560101071x")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "13857123456",
        "138 5712 3456",
        "138-5712-3456",
        "+86 138 5712 3456",
        "+8613857123456",
        "0086-13857123456",
        "１３８５７１２３４５６",
    ],
)
def test_a_known_mobile_in_variants(text):
    result = redact("电" + text + "。", known=Known(phones=["+86 138-5712-3456"]))
    assert [s.rule for s in result.spans] == ["known.phone"]
    assert "3456" in result.text and "5712" not in result.text


@pytest.mark.parametrize(
    "text", ["0572-5123456", "(0572)5123456", "０５７２５１２３４５６", "5123456"]
)
def test_a_known_landline_also_without_its_area_code(text):
    result = redact(f"电{text}。", known=Known(phones=["0572-5123456"]))
    assert [s.rule for s in result.spans] == ["known.phone"]


def test_a_known_bank_account_and_email():
    known = Known(bank_accounts=["3901110009200123456"], emails=["WYT2026@qq.com"])
    text = "账户3901 1100 0920 0123 456，邮箱wyt2026@QQ.com。"
    assert kinds(text, known) == [
        ("bank_account", "known.bank_account", "3901 1100 0920 0123 456"),
        ("email", "known.email", "wyt2026@QQ.com"),
    ]


def test_a_known_address_whole_and_its_detail_alone():
    known = Known(addresses=["浙江省杭州市西湖区文三路259号3幢2单元501室"])
    text = "住浙江省杭州市西湖区文三路 259号3幢2单元501室。送达地址：文三路259号3幢2单元501室。"
    result = redact(text, known=known)
    assert result.text == "住浙江省杭州市西湖区***。送达地址：***。"
    assert {s.rule for s in result.spans} == {"known.address"}


def test_known_data_wins_over_detectors_on_the_same_span():
    text = "证人李四称"
    (span,) = redact(text, known=Known(names=["李四"])).spans
    assert span.rule == "known.name"


def test_party_names_follow_the_policy():
    text = "当事人陈建国经营的小吃店，陈建国称。"
    known = Known(party_names=["陈建国"])
    assert redact(text, known=known).text == "当事人陈某某经营的小吃店，陈某某称。"
    assert redact(text, known=known, policy=Policy(party_name="keep")).text == text
    # A detector does not mask a kept party either.
    kept = redact("当事人：陈建国，男。", known=known, policy=Policy(party_name="keep"))
    assert kept.spans == []


def test_a_name_to_mask_wins_over_keep_for_the_same_string():
    known = Known(names=["陈建国"], party_names=["陈建国"])
    assert redact("陈建国称", known=known, policy=Policy(party_name="keep")).text == "陈某某称"


def test_organisations_and_representatives_are_kept():
    known = Known(
        names=["张三"], organisations=["杭州张三餐饮有限公司"], representatives=["黄志明"]
    )
    text = "当事人杭州张三餐饮有限公司（股东：张三），法定代表人黄志明。证人黄志明称。"
    result = redact(text, known=known)
    assert result.text == (
        "当事人杭州张三餐饮有限公司（股东：张某），法定代表人黄志明。证人黄志明称。"
    )


# An individual business (个体工商户) is a natural person in business (民法典
# 第五十四条): a person's name in its 字号 is masked as the name is elsewhere,
# or a masked 张某 next to 张三烧烤店 would name him (PUB-08).
def test_a_persons_name_in_an_individual_business_follows_that_persons_treatment():
    text = "当事人：张三烧烤店（个体工商户），经营者：张三。"
    known = Known(businesses=["张三烧烤店"], party_names=["张三"])
    assert redact(text, known=known).text == "当事人：张某烧烤店（个体工商户），经营者：张某。"
    kept = redact(text, known=known, policy=Policy(party_name="keep"))
    assert kept.text == text  # the agency publishes the party's name: the 字号 too


def test_the_given_name_as_a_shops_name_is_masked_with_the_person():
    title = "钱玉兰（玉兰副食店）经营标签不符合规定的预包装豆制品案"
    result = redact(title, known=Known(party_names=["钱玉兰"]))
    assert result.text == "钱某某（某某副食店）经营标签不符合规定的预包装豆制品案"
    assert [s.rule for s in result.spans] == ["known.party_name", "known.name_in_business"]
    business = redact(
        "经营场所为秀英食杂店", known=Known(names=["王秀英"], businesses=["秀英食杂店"])
    )
    assert business.text == "经营场所为某某食杂店"
    assert redact(title, known=Known(party_names=["钱玉兰"]), policy=Policy("keep")).text == title


def test_a_companys_name_is_never_masked_even_with_a_persons_name_in_it():
    known = Known(party_names=["王秀英"], organisations=["本溪秀英食品有限公司"])
    text = "王秀英系本溪秀英食品有限公司的员工，另经营秀英食杂店。"
    assert (
        redact(text, known=known).text == "王某某系本溪秀英食品有限公司的员工，另经营某某食杂店。"
    )


def test_one_character_given_names_are_not_looked_for_in_shops():
    assert (
        redact("张伟在伟记小吃店就餐", known=Known(names=["张伟"])).text == "张某在伟记小吃店就餐"
    )


def test_known_values_too_short_to_be_safe_are_ignored():
    assert redact("王来过", known=Known(names=["王"], phones=["12"], id_numbers=["1"])).spans == []


def test_known_from_mapping_refuses_unknown_keys_and_bad_values():
    assert Known.from_mapping({"names": ["李四"], "phones": None}).names == ("李四",)
    with pytest.raises(ValueError, match="无法识别的字段：name"):
        Known.from_mapping({"name": ["李四"]})
    with pytest.raises(ValueError, match="字符串列表"):
        Known.from_mapping({"names": "李四"})
    with pytest.raises(ValueError, match="JSON 对象"):
        Known.from_mapping(["李四"])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Known(names="李四")  # type: ignore[arg-type]
