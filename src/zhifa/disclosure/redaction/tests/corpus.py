"""A labelled corpus of realistic 行政处罚决定书 for recall and precision tests.

The people, numbers and companies are invented; ID numbers, bank cards and
USCCs carry valid check characters, so the detectors are exercised as on
real documents — except the tobacco decision's ID number, whose check
character is wrong (a typo in a served decision must still be masked: it is
found by the word 身份证号码 before it). For each decision:

- `known`: what the case records about its people (redaction's layer 1, as
  `zhifa.disclosure.source.known_people` builds it: the party, its ID
  number, phone and address; an organisation, its representative and its
  address; an individual business and its operator). Third persons are
  seldom registered on a case: only the online shop's complainant and
  agent are in `known.names`;
- `masked`: (value, category) — or (value, category, within) when `value`
  is to be found inside the first occurrence of `within` — that must not
  survive redaction. The categories are the kinds of personal data issue 8
  lists (CATEGORIES, with the span kind each must be masked as);
- `kept`: (value, category) that must stay verbatim (KEPT_CATEGORIES);
- `detector_misses`: labelled values the detectors alone are known not to
  find, each with the reason (names.py and addresses.py document the
  limits). They count against the detector recall that test_corpus.py
  reports; the known layer, and the reviewer, cover them.
"""

from __future__ import annotations

# Personal data to mask: category → the span kind it must be masked as.
CATEGORIES = {
    "id_18": "id_number",  # 18 digits with the GB 11643 check character
    "id_15": "id_number",  # the 15-digit legacy number
    "id_fullwidth": "id_number",  # written in full-width digits
    "id_context": "id_number",  # a mistyped number after 身份证号码
    "mobile": "phone",  # 138 5712 3456, +86 139-…, full-width …
    "landline": "phone",  # 0572-5123456, （0414）4567890, 024-… 转8012 …
    "contact_handle": "phone",  # a WeChat ID
    "bank_card": "bank_account",  # 13–19 digits passing Luhn
    "bank_account": "bank_account",  # an account after 账号
    "email": "email",
    "address": "address",  # residential, below the township
    "party_name": "name",  # the penalised natural person (policy "mask")
    "other_name": "name",  # natural persons other than the party
    "name_in_shop": "name",  # a person's given name as a shop's 字号
}
# What issue 8 requires the corpus to hold, every one at least twice.
REQUIRED_CATEGORIES = (
    "id_18",
    "id_15",
    "id_fullwidth",
    "mobile",
    "landline",
    "bank_card",
    "email",
    "address",
    "other_name",
)
# What must stay.
KEPT_CATEGORIES = (
    "organisation",  # names of organisations, agencies and businesses
    "uscc",
    "representative",  # legal representatives and 负责人 of organisations
    "document_number",  # decision, case, licence and other numbers
    "amount",
    "date",
    "citation",  # statutes and articles
    "place",  # administrative divisions, places of business or of the act
    "officer",  # enforcement officers and their certificate numbers
    "fact",  # other facts (quantities, plates)
)

FOOD_SHOP = {
    "id": "food-shop",
    "text": """杭州市西湖区市场监督管理局
行政处罚决定书
杭西市监罚〔2026〕12号

当事人：陈建国，男，1985年3月12日出生，汉族，公民身份号码：330106198503120415，住址：浙江省杭州市西湖区文三路259号3幢2单元501室，联系电话：138 5712 3456。
经营场所：杭州市西湖区古墩路88号（陈记小吃店，个体工商户，统一社会信用代码：92330681MA2DB7C0TP）。

2026年3月15日，本局执法人员根据投诉举报线索，对当事人经营场所进行现场检查，发现当事人在其经营的陈记小吃店后厨存放超过保质期的“鲜牛奶”12盒。经查，投诉人林晓燕（联系电话：13957101234）于2026年3月14日在该店就餐后反映身体不适。证人周海涛证实，上述食品系当事人于2026年2月从杭州某某食品有限公司购进。店员吴丽华称，当事人平时未对库存食品进行定期检查。

以上事实，有现场笔录、询问笔录、照片、证人周海涛的证言等证据为证。

本局认为，当事人经营超过保质期的食品的行为，违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项的规定，本局决定对当事人作出如下行政处罚：
一、没收超过保质期的鲜牛奶12盒；
二、罚款人民币50000元（大写：伍万元整）。

当事人应当自收到本决定书之日起十五日内，将罚款缴至指定银行账户（户名：杭州市西湖区财政局非税收入专户）。当事人的退款银行卡号：6217 0012 3456 7890 122。逾期不缴纳罚款的，依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，每日按罚款数额的百分之三加处罚款。

如不服本行政处罚决定，可以在收到本决定书之日起六十日内向杭州市西湖区人民政府申请行政复议，或者在六个月内依法向杭州市西湖区人民法院提起行政诉讼。

杭州市西湖区市场监督管理局
2026年4月20日
""",
    "known": {
        "party_names": ["陈建国"],
        "id_numbers": ["330106198503120415"],
        "phones": ["13857123456"],
        "addresses": ["浙江省杭州市西湖区文三路259号3幢2单元501室"],
        "businesses": ["陈记小吃店"],
        "organisation_addresses": ["杭州市西湖区古墩路88号"],
    },
    "masked": [
        ("陈建国", "party_name"),
        ("330106198503120415", "id_18"),
        ("文三路259号3幢2单元501室", "address"),
        ("138 5712 3456", "mobile"),
        ("林晓燕", "other_name"),
        ("13957101234", "mobile"),
        ("周海涛", "other_name"),
        ("吴丽华", "other_name"),
        ("6217 0012 3456 7890 122", "bank_card"),
    ],
    "kept": [
        ("杭西市监罚〔2026〕12号", "document_number"),
        ("浙江省杭州市西湖区", "place"),
        ("杭州市西湖区古墩路88号", "place"),
        ("陈记小吃店", "organisation"),
        ("92330681MA2DB7C0TP", "uscc"),
        ("2026年3月15日", "date"),
        ("杭州某某食品有限公司", "organisation"),
        ("《中华人民共和国食品安全法》第三十四条第（十）项", "citation"),
        ("第一百二十四条第一款第（五）项", "citation"),
        ("罚款人民币50000元（大写：伍万元整）", "amount"),
        ("鲜牛奶12盒", "fact"),
        ("第七十二条第一款第（一）项", "citation"),
        ("杭州市西湖区人民法院", "organisation"),
        ("2026年4月20日", "date"),
    ],
}

ONLINE_SHOP = {
    "id": "online-shop",
    "text": """宁波市鄞州区市场监督管理局
行政处罚决定书
甬鄞市监处罚〔2026〕87号

当事人：宁波某某电子商务有限公司
统一社会信用代码：91330102MA27XY8N18
住所：浙江省宁波市鄞州区首南街道天童南路588号1201室
法定代表人：黄志明
联系电话：0574-87651234

2026年1月8日，本局接到消费者王雨桐投诉，称其在当事人经营的网店购买的电动牙刷无中文标签。本局于2026年1月10日对当事人进行检查，当事人员工孙佳琪、郑凯到场配合检查。经查，当事人自2025年10月起通过网络销售进口电动牙刷共计1260支，货值金额人民币189000元，违法所得人民币37800元。当事人委托代理人刘思远（身份证号：330102197009051522）在询问笔录中对上述事实予以确认。消费者王雨桐提供的订单编号为3301062026011512345。

上述事实，有营业执照复印件、法定代表人黄志明身份证明、询问笔录、销售记录、订单截图等证据证实。

本局认为，当事人销售无中文标签的进口产品，违反了《中华人民共和国产品质量法》第二十七条的规定。依据《中华人民共和国产品质量法》第五十四条之规定，决定：
一、责令改正；
二、没收违法所得人民币37800元；
三、罚款人民币56700元。

当事人开户银行：中国工商银行宁波鄞州支行，账号：3901 1100 0920 0123 456。消费者王雨桐的联系方式：+86 139-5741-2345，邮箱 wyt2026@qq.com。

当事人如不服本处罚决定，可在接到本处罚决定书之日起六十日内向宁波市鄞州区人民政府申请行政复议；也可以在六个月内直接向宁波市鄞州区人民法院提起行政诉讼。

宁波市鄞州区市场监督管理局
2026年3月2日
""",
    "known": {
        "names": ["王雨桐", "刘思远"],
        "organisations": ["宁波某某电子商务有限公司"],
        "representatives": ["黄志明"],
        "organisation_addresses": ["浙江省宁波市鄞州区首南街道天童南路588号1201室"],
        "bank_accounts": ["3901110009200123456"],
    },
    "masked": [
        ("王雨桐", "other_name"),
        ("孙佳琪", "other_name"),
        ("郑凯", "other_name"),
        ("刘思远", "other_name"),
        ("330102197009051522", "id_18"),
        ("3901 1100 0920 0123 456", "bank_account"),
        ("139-5741-2345", "mobile"),
        ("wyt2026@qq.com", "email"),
    ],
    "kept": [
        ("甬鄞市监处罚〔2026〕87号", "document_number"),
        ("宁波某某电子商务有限公司", "organisation"),
        ("91330102MA27XY8N18", "uscc"),
        ("浙江省宁波市鄞州区首南街道天童南路588号1201室", "place"),
        ("法定代表人：黄志明", "representative"),
        ("法定代表人黄志明身份证明", "representative"),
        ("货值金额人民币189000元", "amount"),
        ("违法所得人民币37800元", "amount"),
        ("订单编号为3301062026011512345", "document_number"),
        ("《中华人民共和国产品质量法》第二十七条", "citation"),
        ("中国工商银行宁波鄞州支行", "organisation"),
        ("2026年3月2日", "date"),
    ],
}

ROADSIDE_DUMPING = {
    "id": "roadside-dumping",
    "text": """安吉县综合行政执法局
行政处罚决定书
安综执罚决字〔2026〕第0035号

当事人：钱福根，男，1956年1月1日出生，身份证号码：33012719560101071X，户籍地：浙江省湖州市安吉县递铺街道古城村三组，现住安吉县孝丰镇横柏村5组18号，联系电话：０５７２－５１２３４５６。

经查，2026年2月20日，当事人驾驶浙E·A1234号货车，在安吉县递铺街道胜利西路与天目路交叉口随意倾倒建筑垃圾约3立方米。驾驶员钱福根当场承认上述事实。现场目击证人许国庆（旧身份证号330127560312041）、沈梅芳证实了上述情况。当事人之子钱小军于2026年2月22日到本局接受询问，其手机号为１３９５７２３４５６７。

以上事实有现场检查笔录、现场照片、询问笔录及视频资料等证据证实。

本局认为，当事人的行为违反了《浙江省城市市容和环境卫生管理条例》第二十八条第一款的规定。根据该条例第四十六条第一款，决定对当事人处罚款人民币3000元。

罚款请于收到本决定书之日起十五日内缴至安吉县财政局指定账户，或通过“浙里办”APP缴纳。

当事人对本处罚决定不服的，可以在收到本决定书之日起六十日内向安吉县人民政府申请行政复议，也可以在六个月内直接向安吉县人民法院提起行政诉讼。

安吉县综合行政执法局
2026年3月6日
""",
    "known": {
        "party_names": ["钱福根"],
        "id_numbers": ["33012719560101071x"],
        "phones": ["0572-5123456"],
        "addresses": ["安吉县孝丰镇横柏村5组18号"],
    },
    "masked": [
        ("钱福根", "party_name"),
        ("33012719560101071X", "id_18"),
        ("古城村三组", "address"),
        ("横柏村5组18号", "address"),
        ("０５７２－５１２３４５６", "landline"),
        ("许国庆", "other_name"),
        ("330127560312041", "id_15"),
        ("沈梅芳", "other_name"),
        ("钱小军", "other_name"),
        ("１３９５７２３４５６７", "mobile"),
    ],
    "kept": [
        ("安综执罚决字〔2026〕第0035号", "document_number"),
        ("浙江省湖州市安吉县递铺街道", "place"),
        ("安吉县孝丰镇", "place"),
        ("浙E·A1234号货车", "fact"),
        ("安吉县递铺街道胜利西路与天目路交叉口", "place"),
        ("约3立方米", "fact"),
        ("《浙江省城市市容和环境卫生管理条例》第二十八条第一款", "citation"),
        ("第四十六条第一款", "citation"),
        ("罚款人民币3000元", "amount"),
        ("2026年3月6日", "date"),
    ],
}

FIRE_SAFETY = {
    "id": "fire-safety",
    "text": """温州市鹿城区消防救援大队
行政处罚决定书
鹿消行罚决字〔2026〕0042号

被处罚单位：温州某某鞋业有限公司，统一社会信用代码：913301007042061448，注册号：330302000123456，住所：温州市鹿城区双屿街道鞋都大道1号。
负责人：潘国强，职务：总经理。

经查，2026年1月19日，本大队监督员在消防监督检查中发现，该单位生产车间疏散通道堆放原材料、安全出口锁闭。该单位员工宿舍设置在厂房内（违规设置“三合一”场所）。经询问，该单位员工叶小芬、毛建军称宿舍内居住员工12人。员工叶小芬，女，1992年11月28日出生，身份证号330681199211283628，家住温州市鹿城区藤桥镇上戍村，现租住于温州市鹿城区双屿街道嘉鸿花园8栋2单元1503室。

叶小芬向本大队提供了其本人银行卡（卡号6222021202001234567）的工资流水，证明其在该单位工作。该单位安全管理员章立新（手机：+86 15888123456，电子邮箱zhanglx@163.com）陪同检查。

以上事实有现场检查记录、询问笔录、照片等证据证实。

该单位的上述行为违反了《中华人民共和国消防法》第二十八条、第十九条第二款的规定。依据《中华人民共和国消防法》第六十条第一款第（三）项、第六十一条第一款之规定，决定给予如下处罚：罚款人民币伍万元（￥50000.00）。

如不服本决定，可在收到本决定书之日起六十日内依法向温州市鹿城区人民政府申请行政复议，或者六个月内依法向温州市鹿城区人民法院提起行政诉讼。

温州市鹿城区消防救援大队
2026年2月5日
""",
    "known": {
        "organisations": ["温州某某鞋业有限公司"],
        "representatives": ["潘国强"],
        "organisation_addresses": ["温州市鹿城区双屿街道鞋都大道1号"],
    },
    "masked": [
        ("叶小芬", "other_name"),
        ("毛建军", "other_name"),
        ("330681199211283628", "id_18"),
        ("上戍村", "address"),
        ("嘉鸿花园8栋2单元1503室", "address"),
        ("6222021202001234567", "bank_card"),
        ("章立新", "other_name"),
        ("15888123456", "mobile"),
        ("zhanglx@163.com", "email"),
    ],
    "kept": [
        ("鹿消行罚决字〔2026〕0042号", "document_number"),
        ("温州某某鞋业有限公司", "organisation"),
        ("统一社会信用代码：913301007042061448", "uscc"),
        ("注册号：330302000123456", "document_number"),
        ("住所：温州市鹿城区双屿街道鞋都大道1号", "place"),
        ("负责人：潘国强", "representative"),
        ("员工宿舍", "fact"),
        ("居住员工12人", "fact"),
        ("温州市鹿城区藤桥镇", "place"),
        ("温州市鹿城区双屿街道", "place"),
        ("《中华人民共和国消防法》第二十八条、第十九条第二款", "citation"),
        ("罚款人民币伍万元（￥50000.00）", "amount"),
        ("2026年2月5日", "date"),
    ],
}

TOBACCO = {
    "id": "tobacco",
    "text": """杭州市上城区烟草专卖局
行政处罚决定书
杭上烟处〔2026〕第8号

当事人：方志强，性别：男，民族：汉，出生日期：1979年6月2日，身份证号码：3301 0219 7906 0221 13，住所：杭州市上城区望江街道近江家园5幢1单元602室，烟草专卖零售许可证号：330102106789，经营地址：杭州市上城区秋涛路178号。

2026年1月12日，本局执法人员童某某、范某某（执法证号：33010012、33010013）在当事人经营场所检查时，发现当事人存放无烟草专卖品准运证的卷烟共计18个品种236条，总价值人民币壹万贰仟伍佰元（￥12,500.00）。当事人之妻俞海燕在场并在检查记录上签字确认。经查，上述卷烟系当事人于2025年12月通过微信（微信号：fzq1979）向上家购进，上家手机号码：17767123456，货款通过其农业银行卡6228480123456789017支付。

本局认为，当事人的行为违反了《中华人民共和国烟草专卖法实施条例》第二十六条的规定，依据《中华人民共和国烟草专卖法实施条例》第五十七条和《浙江省烟草专卖局行政处罚自由裁量权细化标准》，决定：一、没收违法运输的卷烟236条；二、处以罚款人民币叁仟柒佰伍拾元（￥3,750.00）。

如不服本决定，可于收到本决定书之日起六十日内向杭州市烟草专卖局申请行政复议，或者六个月内向杭州市上城区人民法院提起行政诉讼。相关判例可参见（2025）浙0102行初45号行政判决。

杭州市上城区烟草专卖局
二〇二六年二月三日
""",
    "known": {
        "party_names": ["方志强"],
        "id_numbers": ["330102197906022113"],
        "addresses": ["杭州市上城区望江街道近江家园5幢1单元602室"],
    },
    "masked": [
        ("方志强", "party_name"),
        ("3301 0219 7906 0221 13", "id_context"),
        ("近江家园5幢1单元602室", "address"),
        ("俞海燕", "other_name"),
        ("fzq1979", "contact_handle"),
        ("17767123456", "mobile"),
        ("6228480123456789017", "bank_card"),
    ],
    "kept": [
        ("杭上烟处〔2026〕第8号", "document_number"),
        ("出生日期：1979年6月2日", "date"),
        ("杭州市上城区望江街道", "place"),
        ("烟草专卖零售许可证号：330102106789", "document_number"),
        ("经营地址：杭州市上城区秋涛路178号", "place"),
        ("执法人员童某某、范某某（执法证号：33010012、33010013）", "officer"),
        ("18个品种236条", "fact"),
        ("人民币壹万贰仟伍佰元（￥12,500.00）", "amount"),
        ("《中华人民共和国烟草专卖法实施条例》第二十六条", "citation"),
        ("（2025）浙0102行初45号", "document_number"),
        ("二〇二六年二月三日", "date"),
    ],
}

# An individual business named after its operator (issue 8 gap (b): the
# operator is the party, a natural person; the 字号 would give the name away).
BARBECUE = {
    "id": "barbecue",
    "text": """本溪满族自治县市场监督管理局
行政处罚决定书
本县市监罚〔2026〕21号

当事人：本溪满族自治县建华烧烤店（个体工商户）
统一社会信用代码：92210521MA0YC3KQ01
经营者：孙建华，男，1980年4月17日出生，居民身份证号码：２１０５２１１９８００４１７０４３２
经营场所：本溪满族自治县小市镇站前街8号
经营者住址：本溪满族自治县观音阁街道新城社区3组12号
联系电话：139-0414-5678；（0414）4567890

2026年6月3日，本局接到消费者赵海波投诉，称其于6月2日晚在当事人店内就餐后腹泻。本局执法人员于6月4日对当事人经营场所进行检查，店员周小燕在场。经查，当事人使用的羊肉串原料系从供货人李秀梅经营的秀梅调料店（本溪满族自治县小市镇农贸市场东区3号）购进的散装冷冻肉，无法提供供货者的许可证明和检验合格证明。

以上事实有现场检查笔录、询问笔录、进货单据、消费者赵海波提供的就诊记录等证据证实。

本局认为，当事人采购、使用不能提供合格证明文件的食品原料的行为，违反了《中华人民共和国食品安全法》第五十条第一款的规定。依据《中华人民共和国食品安全法》第一百二十六条第一款第（三）项的规定，决定：一、警告；二、罚款人民币5000元（大写：伍仟元整）。

罚款应于收到本决定书之日起十五日内缴至指定账户。当事人申请退还多缴款项的银行卡号：6217 0000 8100 2345 670；电子邮箱：sjh1980@163.com。

当事人如不服本决定，可以在收到本决定书之日起六十日内向本溪满族自治县人民政府申请行政复议，也可以在六个月内依法向本溪市平山区人民法院提起行政诉讼。

本溪满族自治县市场监督管理局
2026年6月20日
""",
    "known": {
        "businesses": ["本溪满族自治县建华烧烤店"],
        "party_names": ["孙建华"],
        "id_numbers": ["210521198004170432"],
        "phones": ["13904145678", "0414-4567890"],
        "addresses": ["本溪满族自治县观音阁街道新城社区3组12号"],
        "organisation_addresses": ["本溪满族自治县小市镇站前街8号"],
    },
    "masked": [
        ("孙建华", "party_name"),
        ("建华", "name_in_shop", "建华烧烤店"),
        ("２１０５２１１９８００４１７０４３２", "id_fullwidth"),
        ("新城社区3组12号", "address"),
        ("139-0414-5678", "mobile"),
        ("（0414）4567890", "landline"),
        ("赵海波", "other_name"),
        ("周小燕", "other_name"),
        ("李秀梅", "other_name"),
        ("秀梅", "name_in_shop", "秀梅调料店"),
        ("6217 0000 8100 2345 670", "bank_card"),
        ("sjh1980@163.com", "email"),
    ],
    "kept": [
        ("本溪满族自治县市场监督管理局", "organisation"),
        ("本县市监罚〔2026〕21号", "document_number"),
        ("当事人：本溪满族自治县", "place"),
        ("烧烤店（个体工商户）", "organisation"),
        ("92210521MA0YC3KQ01", "uscc"),
        ("经营场所：本溪满族自治县小市镇站前街8号", "place"),
        ("经营者住址：本溪满族自治县观音阁街道", "place"),
        ("调料店（本溪满族自治县小市镇农贸市场东区3号）", "place"),
        ("1980年4月17日出生", "date"),
        ("2026年6月3日", "date"),
        ("《中华人民共和国食品安全法》第五十条第一款", "citation"),
        ("第一百二十六条第一款第（三）项", "citation"),
        ("罚款人民币5000元（大写：伍仟元整）", "amount"),
        ("本溪市平山区人民法院", "organisation"),
        ("2026年6月20日", "date"),
    ],
}

# A company in a village (issue 8 gap (a): its registered address stays whole,
# and the county and township names with numerals or place words are never
# cut: 桓仁满族自治县八里甸子镇二户来村).
SAWMILL = {
    "id": "sawmill",
    "text": """桓仁满族自治县应急管理局
行政处罚决定书
桓应急罚〔2026〕9号

被处罚单位：桓仁满族自治县华来木业有限公司
统一社会信用代码：91210522MA0U8R2T4Q
住所：辽宁省本溪市桓仁满族自治县八里甸子镇二户来村5组
法定代表人：于洪涛
联系电话：0414-8123456

2026年5月11日，当事人员工郑晓东在操作带锯机时左手受伤。经查，当事人未对郑晓东进行安全生产教育和培训，带锯机防护罩缺失。郑晓东，男，身份证号码：21052219910923152X，家住桓仁满族自治县华来镇三道岭子村二组，手机：+86 186-4142-5896。现场目击证人王德福（旧居民身份证号码210522560318123）证实了上述事实。当事人车间主任吕长海称，防护罩于事故前一周拆下维修，未及时安装。

以上事实有现场勘验笔录、询问笔录、视频资料、医院诊断证明等证据证实。

本局认为，当事人未对从业人员进行安全生产教育和培训的行为，违反了《中华人民共和国安全生产法》第二十八条第一款的规定。依据《中华人民共和国安全生产法》第九十七条第（三）项的规定，决定对当事人处罚款人民币贰万元（¥20,000.00），对其法定代表人于洪涛处罚款人民币贰仟元。

当事人对本决定不服的，可以在收到本决定书之日起六十日内向桓仁满族自治县人民政府申请行政复议，或者在六个月内直接向桓仁满族自治县人民法院提起行政诉讼。

桓仁满族自治县应急管理局
2026年6月8日
""",
    "known": {
        "organisations": ["桓仁满族自治县华来木业有限公司"],
        "representatives": ["于洪涛"],
        "organisation_addresses": ["辽宁省本溪市桓仁满族自治县八里甸子镇二户来村5组"],
        "phones": ["0414-8123456"],
    },
    "masked": [
        ("郑晓东", "other_name"),
        ("21052219910923152X", "id_18"),
        ("三道岭子村二组", "address"),
        ("186-4142-5896", "mobile"),
        ("王德福", "other_name"),
        ("210522560318123", "id_15"),
        ("吕长海", "other_name"),
    ],
    "detector_misses": {
        "吕长海": "车间主任 is not a role word the name detector knows; no other mention",
    },
    "kept": [
        ("桓应急罚〔2026〕9号", "document_number"),
        ("被处罚单位：桓仁满族自治县华来木业有限公司", "organisation"),
        ("91210522MA0U8R2T4Q", "uscc"),
        ("住所：辽宁省本溪市桓仁满族自治县八里甸子镇二户来村5组", "place"),
        ("法定代表人：于洪涛", "representative"),
        ("对其法定代表人于洪涛处罚款", "representative"),
        ("家住桓仁满族自治县华来镇", "place"),
        ("2026年5月11日", "date"),
        ("《中华人民共和国安全生产法》第二十八条第一款", "citation"),
        ("第九十七条第（三）项", "citation"),
        ("罚款人民币贰万元（¥20,000.00）", "amount"),
        ("罚款人民币贰仟元", "amount"),
        ("桓仁满族自治县人民法院", "organisation"),
        ("2026年6月8日", "date"),
    ],
}

# Unpaid wages: workers' names, an apartment, landlines in two written forms.
WAGES = {
    "id": "wages",
    "text": """本溪满族自治县人力资源和社会保障局
劳动保障监察行政处罚决定书
本县人社监罚〔2026〕3号

被处罚单位：本溪满族自治县鑫源建筑劳务有限公司
统一社会信用代码：91210521MA10Q7XG2D
住所：本溪满族自治县小市镇滨河路6号
法定代表人：高振国

经查，你单位自2025年11月起拖欠刘志刚、陈晓梅等12名劳动者工资共计人民币186400元。劳动者刘志刚（居民身份证号码：210521197502083628；住址：本溪满族自治县小市镇滨河花园3号楼2单元502室；联系电话：(024)2345 6789转8012）代表上述劳动者投诉。陈晓梅的工资卡（中国农业银行，卡号：6228 4804 1234 5678 905）自2025年12月起未收到工资。你单位会计孟凡丽于2026年4月9日接受询问，承认拖欠事实，其电子邮箱为mengfl@sina.com，座机0414-2866123。

以上事实有投诉登记表、询问笔录、工资表、银行流水等证据证实。

本局认为，你单位的行为违反了《保障农民工工资支付条例》第十五条的规定。依据《保障农民工工资支付条例》第五十四条第一款第（二）项的规定，决定对你单位处罚款人民币5万元，并责令于2026年5月31日前支付拖欠工资。

如不服本决定，可于收到本决定书之日起六十日内向本溪满族自治县人民政府申请行政复议，或者六个月内向本溪市平山区人民法院提起行政诉讼。

本溪满族自治县人力资源和社会保障局
2026年4月28日
""",
    "known": {
        "organisations": ["本溪满族自治县鑫源建筑劳务有限公司"],
        "representatives": ["高振国"],
        "organisation_addresses": ["本溪满族自治县小市镇滨河路6号"],
    },
    "masked": [
        ("刘志刚", "other_name"),
        ("陈晓梅", "other_name"),
        ("210521197502083628", "id_18"),
        ("滨河花园3号楼2单元502室", "address"),
        ("(024)2345 6789转8012", "landline"),
        ("6228 4804 1234 5678 905", "bank_card"),
        ("孟凡丽", "other_name"),
        ("mengfl@sina.com", "email"),
        ("0414-2866123", "landline"),
    ],
    "detector_misses": {
        "陈晓梅": "named only in a list and as 陈晓梅的工资卡, with no role word before her",
    },
    "kept": [
        ("本县人社监罚〔2026〕3号", "document_number"),
        ("本溪满族自治县鑫源建筑劳务有限公司", "organisation"),
        ("91210521MA10Q7XG2D", "uscc"),
        ("住所：本溪满族自治县小市镇滨河路6号", "place"),
        ("法定代表人：高振国", "representative"),
        ("等12名劳动者工资共计人民币186400元", "amount"),
        ("住址：本溪满族自治县小市镇", "place"),
        ("中国农业银行", "organisation"),
        ("2026年4月9日", "date"),
        ("《保障农民工工资支付条例》第十五条", "citation"),
        ("第五十四条第一款第（二）项", "citation"),
        ("罚款人民币5万元", "amount"),
        ("2026年5月31日", "date"),
        ("2026年4月28日", "date"),
    ],
}

# A summary-procedure decision on the spot: full-width digits, a village
# address, a legacy ID card shown on site, the officers' names and numbers.
STREET_STALL = {
    "id": "street-stall",
    "text": """本溪满族自治县城市管理综合行政执法局
当场行政处罚决定书
本县城管简罚〔2026〕58号

当事人：马春生，男，1958年6月12日出生，公民身份号码：２１０５２１１９５８０６１２００１１，家住本溪满族自治县草河掌镇草河掌村四组，手机号码：１３６ ０４１４ ２２８７。
违法事实：2026年7月2日9时许，当事人在本溪满族自治县小市镇繁荣街与站前街交叉口人行道上占道摆摊销售水果，经执法人员劝阻后拒不改正。当事人之子马小虎到场，当事人出示其持有的旧身份证210521580612001。
处罚依据：《城市市容和环境卫生管理条例》第十四条、第三十六条第（二）项。
处罚决定：罚款人民币100元。
执法人员：张伟（执法证号：21052124001）、李娜（执法证号：21052124002）
本溪满族自治县城市管理综合行政执法局
2026年7月2日
""",
    "known": {
        "party_names": ["马春生"],
        "id_numbers": ["210521195806120011"],
        "phones": ["13604142287"],
        "addresses": ["本溪满族自治县草河掌镇草河掌村四组"],
    },
    "masked": [
        ("马春生", "party_name"),
        ("２１０５２１１９５８０６１２００１１", "id_fullwidth"),
        ("草河掌村四组", "address"),
        ("１３６ ０４１４ ２２８７", "mobile"),
        ("马小虎", "other_name"),
        ("210521580612001", "id_15"),
    ],
    "kept": [
        ("本县城管简罚〔2026〕58号", "document_number"),
        ("家住本溪满族自治县草河掌镇", "place"),
        ("本溪满族自治县小市镇繁荣街与站前街交叉口", "place"),
        ("1958年6月12日出生", "date"),
        ("2026年7月2日9时许", "date"),
        ("《城市市容和环境卫生管理条例》第十四条", "citation"),
        ("第三十六条第（二）项", "citation"),
        ("罚款人民币100元", "amount"),
        ("执法人员：张伟（执法证号：21052124001）、李娜（执法证号：21052124002）", "officer"),
        ("本溪满族自治县城市管理综合行政执法局", "organisation"),
    ],
}

DECISIONS = [
    FOOD_SHOP,
    ONLINE_SHOP,
    ROADSIDE_DUMPING,
    FIRE_SAFETY,
    TOBACCO,
    BARBECUE,
    SAWMILL,
    WAGES,
    STREET_STALL,
]
