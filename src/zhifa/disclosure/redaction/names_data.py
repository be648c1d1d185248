"""Word lists for the name detector.

Hand-made and deliberately small: common surnames, the role words after which
a natural person's name is expected, characters that (almost) never occur in
a given name, words that may follow a name, and common words that begin with a
surname character. See `names.py` for how they are used.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# About 350 common single-character surnames, roughly by frequency (应 and 楼,
# frequent in Zhejiang, at the end). Left out on purpose: rare surnames that
# are also very common words (和 平 国 相 来 都 普 但 由 那 信 元 利 全 公 海 强
# 花 原 门 位 区 初 计 支 丰 井 容 敬 展 衣 干 居 呼 阿 乌 母 修 玉 银 盘 满 练 豆
# 盖 商 边 从 以 …), which after a role word are far more often the start of a
# verb or noun.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱"
    "江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢"
    "安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童"
    "凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳"
    "时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟"
    "邬卞姬师仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀"
    "郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺闻厉伊仝郜阚权帅屠朴廉禹祖漆巴卿狄晋宣索"
    "扈晁芮阙浦戈伏鹿薄邸雍辜羊裘亓邰赫杭况宿鲜印逯隆茹诸战慕危亢嵇湛宾戎茅揭"
    "檀昝智幸奉衡富尧洪凤竺钮鄂郦楼应"
)

# Two-character surnames, tried before the single ones.
COMPOUND_SURNAMES = frozenset(
    _words(
        "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 澹台 "
        "公冶 申屠 太史 端木 独孤 南宫 万俟 闻人 呼延 赫连 濮阳 西门 东郭 百里 公羊 司空 淳于 拓跋"
    )
)

# Roles whose name follows the party's policy (Policy.party_name).
PARTY_ROLES = ("当事人姓名", "当事人", "被处罚人", "个体工商户经营者", "经营者")

# Roles of organisations' representatives: their names stay (issue 8; PUB-10
# publishes the organisation's legal representative).
KEEP_ROLES = (
    "法定代表人",
    "法人代表",
    "主要负责人",
    "负责人",
    "执行事务合伙人",
    "投资人",
)

# Roles of other natural persons: their names are masked (PUB-08).
OTHER_ROLES = (
    "证人",
    "见证人",
    "在场人",
    "被询问人",
    "询问对象",
    "被调查人",
    "驾驶员",
    "驾驶人",
    "司机",
    "户主",
    "员工",
    "职工",
    "雇员",
    "工作人员",
    "从业人员",
    "店员",
    "店长",
    "营业员",
    "收银员",
    "服务员",
    "管理员",
    "安全员",
    "仓管员",
    "配送员",
    "快递员",
    "销售员",
    "业务员",
    "厨师",
    "保安",
    "会计",
    "出纳",
    "经办人",
    "委托代理人",
    "律师",
    "代理人",
    "受托人",
    "受委托人",
    "法定代理人",
    "监护人",
    "举报人",
    "投诉人",
    "报案人",
    "消费者",
    "劳动者",
    "供货人",
    "顾客",
    "购买人",
    "购买者",
    "患者",
    "就诊人",
    "房东",
    "出租人",
    "承租人",
    "租户",
    "住户",
    "业主",
    "村民",
    "联系人",
    "收货人",
    "签收人",
    "股东",
    "现场负责人",
    "翻译人员",
    "第三人",
    "妻子",
    "丈夫",
    "之妻",
    "之夫",
    "其妻",
    "其夫",
    "之子",
    "之女",
    "之父",
    "之母",
    "父亲",
    "母亲",
    "儿子",
    "女儿",
    "亲属",
    "家属",
    "邻居",
    "同事",
    "姓名",
)

# Characters that never (or almost never) end or fill a given name: function
# words, verbs of testimony, words of the party block. A candidate given name
# containing one is refused, so in 证人李四称 the name cannot be 李四称.
STOP_GIVEN = frozenset(
    "称说讲的在于系是等与及到对将把被因也已未均并所从不没无驾证表供签负购销住户身联"
    "电手男女年当陪使收报告其该此这那某了着过就都还又再即以按由局本我你他她它们"
    "人名址号码岁日时分条款项章节第市县区省厂店司馆站"
)

# Characters of STOP_GIVEN that end place and organisation names (江山市,
# 王记小吃店) rather than follow a person's name.
NOT_AFTER_NAME = "市县区省厂店司馆站某"

# Words that may follow a name (besides punctuation and digits). Single
# characters here are in STOP_GIVEN or very rare in given names; longer words
# begin with a character that does occur in names.
FOLLOW_WORDS = tuple(
    sorted(
        (STOP_GIVEN - set(NOT_AFTER_NAME))
        | set(
            _words(
                "和 明确 确认 提供 反映 介绍 承认 同意 作证 出具 陈述 现场 现已 现住 家中 家住 和其 "
                "和当事人 持有 自称 一起 一同 经营 经查 协助 拒绝 有限 向其 向执法 向本 出售 出生 "
                "汉族 回族 证实 证明 曾 共同 一人 二人 两人 等人 驾车 驾驶 作为 个人 户籍 身份证 "
                "联系 电话 手机 签字 签名 捺印 投诉 举报 报案 到场 接受 供述 交代 辩称 表示 介绍"
            )
        ),
        key=len,
        reverse=True,
    )
)

# Common words that begin with a surname character and often follow a role
# word; a candidate name starting one of them is refused.
COMMON_WORDS = _words(
    "于现场 于当日 于当天 于案发 于是 于本 于某 陈述 向执法 向本 向我 向其 向当事人 向社会 "
    "应当 安装 安全 成立 成为 常年 常住 时间 时任 明知 明确 单位 车辆 车间 关于 关系 "
    "方面 方式 方向 高价 高于 金额 金属 文件 文字 程序 任何 任职 申请 申报 管理 田地 "
    "石材 江边 林地 平时 马上 周围 周边 周末 包括 包装 宿舍 师事务所 华侨 黄金 白天 "
    "万元 石头 孙子 司法 司机 司务 古董 吉林 龙头 龙虾 项目 谷物 米面 甘肃 江苏 江西 "
    "湖南 湖北 山东 山西 河南 河北 广东 广西 云南 贵州 四川 海南 宁夏 宁波 浙江 福建 "
    "安徽 辽宁 吉祥 黑龙江 内蒙古 新疆 西藏 青海 陕西 台湾 香港 澳门 北京 上海 天津 "
    "重庆 杭州 温州 金华 台州 嘉兴 湖州 绍兴 舟山 丽水 衢州 苏州 常州 南京 南通 "
    "连云港 徐州 扬州 镇江 泰州 宿迁 盐城 淮安 无锡 武汉 长沙 广州 深圳 成都 西安 "
    "郑州 济南 青岛 沈阳 大连 哈尔滨 长春 石家庄 太原 合肥 南昌 福州 厦门 昆明 南宁 "
    "贵阳 兰州 银川 西宁 乌鲁木齐 拉萨 呼和浩特 海口 三亚 有限 公司 集团 商行 餐饮 "
    "超市 药店 药房 门店 个体 农户 农民 居民 村民 党员 干部 相关 其他 其它 共同 "
    "未成年 成年 男性 女性 本人 个人 该人 此人 他人 其人 众人 权益 权利 权限 "
    "解锁 解除 解决 解释 解答 审核 审批 审查 查询 查看 查处 查验 登记 "
)
