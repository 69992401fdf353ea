"""Names for the units the NBS files do not list: agencies, enterprises, social organisations.

``{c}`` stands for the city's name (乌兰察布市, 乌兰浩特市). The agency list follows the usual
line-up of a city's party committee, government, people's congress, CPPCC, courts, mass
organisations and public institutions; the first ``n`` are used.
"""

import random

AGENCIES: tuple[str, ...] = (
    "中共{c}委办公室",
    "中共{c}委组织部",
    "中共{c}委宣传部",
    "中共{c}委统战部",
    "中共{c}委政法委员会",
    "中共{c}纪律检查委员会(监察委员会)",
    "中共{c}委机构编制委员会办公室",
    "中共{c}委党校",
    "中共{c}委网络安全和信息化委员会办公室",
    "中共{c}委老干部局",
    "中共{c}委巡察工作领导小组办公室",
    "中共{c}委党史研究室",
    "{c}人大常委会办公室",
    "{c}人民政府办公室",
    "政协{c}委员会办公室",
    "{c}发展和改革委员会",
    "{c}教育局",
    "{c}科学技术局",
    "{c}工业和信息化局",
    "{c}民族事务委员会",
    "{c}公安局",
    "{c}民政局",
    "{c}司法局",
    "{c}财政局",
    "{c}人力资源和社会保障局",
    "{c}自然资源局",
    "{c}住房和城乡建设局",
    "{c}交通运输局",
    "{c}水利局",
    "{c}农牧局",
    "{c}商务局",
    "{c}文化旅游体育局",
    "{c}卫生健康委员会",
    "{c}退役军人事务局",
    "{c}应急管理局",
    "{c}审计局",
    "{c}市场监督管理局",
    "{c}统计局",
    "{c}医疗保障局",
    "{c}林业和草原局",
    "{c}城市管理综合执法局",
    "{c}信访局",
    "{c}政务服务与数据管理局",
    "{c}能源局",
    "{c}乡村振兴局",
    "{c}人民法院",
    "{c}人民检察院",
    "{c}总工会",
    "共青团{c}委员会",
    "{c}妇女联合会",
    "{c}科学技术协会",
    "{c}工商业联合会",
    "{c}残疾人联合会",
    "{c}红十字会",
    "{c}文学艺术界联合会",
    "{c}档案馆",
    "{c}融媒体中心",
    "{c}机关事务服务中心",
    "{c}住房公积金管理中心",
    "{c}供销合作社联合社",
    "{c}人民医院",
    "{c}蒙医医院",
    "{c}第一中学",
    "{c}第二中学",
    "{c}职业教育中心",
    "{c}疾病预防控制中心",
    "{c}投资促进局",
    "{c}粮食和物资储备局",
    "{c}人民防空办公室",
    "{c}地震局",
    "{c}气象局",
    "{c}生态环境局",
    "{c}国有资产监督管理委员会",
    "{c}社会科学界联合会",
    "{c}归国华侨联合会",
    "{c}计划生育协会",
    "{c}慈善总会",
    "{c}广播电视台",
    "{c}日报社",
    "{c}中心医院",
    "{c}妇幼保健院",
    "{c}第三中学",
    "{c}实验小学",
    "{c}图书馆",
    "{c}博物馆",
    "{c}不动产登记中心",
    "{c}公共资源交易中心",
    "{c}保密局",
    "{c}机要保密局",
    "{c}经济技术开发区管理委员会",
)

BRANDS = (
    "兴安",
    "红城",
    "洮儿河",
    "罕山",
    "科尔沁",
    "草原",
    "北疆",
    "蒙源",
    "金穗",
    "绿野",
    "鑫源",
    "宏达",
    "瑞丰",
    "天骄",
    "塞北",
    "嘎达",
    "诺敏",
    "旭日",
    "恒泰",
    "德润",
    "中联",
    "新纪元",
    "华远",
    "福瑞",
    "安达",
    "长青",
    "弘泰",
    "盛元",
    "汇通",
    "永兴",
    "博远",
    "丰泽",
    "神骏",
    "白音",
    "葛根",
    "义和",
)
INDUSTRIES = (
    "农牧业科技",
    "商贸",
    "建筑工程",
    "物流",
    "乳业",
    "食品",
    "生物科技",
    "新能源",
    "电子商务",
    "旅游开发",
    "餐饮管理",
    "物业服务",
    "米业",
    "牧业",
    "医药连锁",
    "房地产开发",
    "汽车服务",
    "环保科技",
    "信息技术",
    "建材",
    "肉类加工",
    "农资",
    "文化传媒",
    "劳务派遣",
)
COMPANY_FORMS = ("有限公司", "有限公司", "有限责任公司", "股份有限公司")
SOCIAL_ORGS = (
    "个体劳动者协会",
    "私营企业协会",
    "物流行业协会",
    "餐饮行业协会",
    "律师协会",
    "书法家协会",
    "摄影家协会",
    "志愿者协会",
    "民办教育协会",
    "社会工作者协会",
    "青年企业家商会",
    "浙江商会",
    "福建商会",
    "河北商会",
    "山东商会",
    "蒙古族服饰协会",
    "养老服务协会",
    "家政服务协会",
    "马术协会",
    "乌力格尔协会",
    "农民专业合作社联合会",
    "建筑业协会",
    "旅游协会",
    "物业管理协会",
    "足球协会",
    "老年体育协会",
    "诗词学会",
    "安代舞协会",
)


def agency_names(city: str, n: int) -> list[str]:
    if n > len(AGENCIES):
        raise ValueError(f"only {len(AGENCIES)} agency names")
    return [t.format(c=city) for t in AGENCIES[:n]]


def non_public_names(
    rng: random.Random, city: str, n: int, social_share: float = 0.22
) -> list[tuple[str, bool]]:
    """``n`` distinct (name, is_social_org) pairs: companies and associations of ``city``."""
    n_social = min(round(n * social_share), len(SOCIAL_ORGS))
    socials = [(f"{city}{s}", True) for s in rng.sample(SOCIAL_ORGS, n_social)]
    seen: set[str] = set()
    companies: list[tuple[str, bool]] = []
    while len(companies) < n - n_social:
        name = f"{city}{rng.choice(BRANDS)}{rng.choice(INDUSTRIES)}{rng.choice(COMPANY_FORMS)}"
        key = name.replace("有限责任公司", "").replace("股份有限公司", "").replace("有限公司", "")
        if key not in seen:
            seen.add(key)
            companies.append((name, False))
    out = companies + socials
    rng.shuffle(out)
    return out
