"""Synthetic but plausible Chinese and Mongolian personal names, phones and ID numbers.

Every function takes the caller's ``random.Random``: nothing here touches global random state
or the clock, so the same seed gives the same names.
"""

import random

# The most common surnames, roughly weighted by frequency (per mille).
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 72),
    ("李", 72),
    ("张", 68),
    ("刘", 54),
    ("陈", 45),
    ("杨", 31),
    ("赵", 23),
    ("黄", 22),
    ("周", 21),
    ("吴", 20),
    ("徐", 17),
    ("孙", 16),
    ("胡", 13),
    ("朱", 13),
    ("高", 13),
    ("林", 12),
    ("何", 12),
    ("郭", 12),
    ("马", 12),
    ("罗", 9),
    ("梁", 9),
    ("宋", 8),
    ("郑", 8),
    ("谢", 7),
    ("韩", 7),
    ("唐", 6),
    ("冯", 6),
    ("于", 6),
    ("董", 6),
    ("萧", 3),
    ("程", 5),
    ("曹", 5),
    ("袁", 5),
    ("邓", 5),
    ("许", 5),
    ("傅", 4),
    ("沈", 4),
    ("曾", 4),
    ("彭", 4),
    ("吕", 4),
    ("苏", 4),
    ("卢", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("贾", 3),
    ("丁", 3),
    ("魏", 3),
    ("薛", 3),
    ("叶", 3),
    ("阎", 3),
    ("任", 3),
    ("白", 4),
    ("包", 4),
    ("乔", 3),
    ("武", 3),
    ("霍", 2),
    ("郝", 3),
    ("康", 2),
    ("孟", 3),
    ("田", 3),
    ("石", 3),
    ("侯", 2),
    ("邢", 2),
    ("云", 2),
    ("奇", 1),
    ("温", 2),
    ("尚", 1),
    ("樊", 2),
    ("段", 2),
    ("史", 2),
    ("秦", 2),
    ("闫", 3),
    ("姚", 2),
    ("常", 2),
    ("齐", 2),
    ("牛", 2),
)
_SURNAME_LIST = [s for s, _ in SURNAMES]
_SURNAME_CUM: list[int] = []
_acc = 0
for _s, _w in SURNAMES:
    _acc += _w
    _SURNAME_CUM.append(_acc)

GIVEN_MALE = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发"
    "武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪"
    "心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启"
    "克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
)
GIVEN_FEMALE = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹"
    "霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶"
    "怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希"
    "宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽"
)
MONGOLIAN_MALE = (
    "巴特尔",
    "苏和",
    "额尔敦",
    "朝鲁",
    "孟和",
    "巴图",
    "宝音",
    "那顺",
    "特木尔",
    "布仁",
    "阿拉坦",
    "达来",
    "吉日嘎拉",
    "额尔德尼",
    "乌力吉",
    "斯琴巴图",
    "哈斯",
    "毕力格",
    "满都拉",
    "巴雅尔",
    "胡日查",
    "格日勒图",
    "敖其尔",
    "呼和",
    "图门",
    "宝力道",
    "查干",
    "那日苏",
)
MONGOLIAN_FEMALE = (
    "其木格",
    "乌日娜",
    "萨仁",
    "斯琴高娃",
    "托娅",
    "娜仁花",
    "乌云",
    "高娃",
    "塔娜",
    "其其格",
    "阿茹娜",
    "萨日娜",
    "图雅",
    "乌兰",
    "琪琪格",
    "苏日娜",
    "格日乐",
    "额尔德木图",
    "娜荷芽",
    "包金花",
)


def surname(rng: random.Random) -> str:
    x = rng.randrange(_SURNAME_CUM[-1])
    lo, hi = 0, len(_SURNAME_CUM) - 1
    while lo < hi:  # bisect on the cumulative weights
        mid = (lo + hi) // 2
        if _SURNAME_CUM[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return _SURNAME_LIST[lo]


def person_name(rng: random.Random, mongolian_share: float = 0.12, male: bool | None = None) -> str:
    """A full name: a Han name (surname + one or two characters) or a Mongolian given name."""
    if male is None:
        male = rng.random() < 0.55
    if rng.random() < mongolian_share:
        return rng.choice(MONGOLIAN_MALE if male else MONGOLIAN_FEMALE)
    chars = GIVEN_MALE if male else GIVEN_FEMALE
    given = rng.choice(chars) if rng.random() < 0.3 else rng.choice(chars) + rng.choice(chars)
    return surname(rng) + given


PHONE_PREFIXES = (
    *("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153"),
    *("155", "156", "157", "158", "159", "166", "176", "177", "180", "181", "182", "183", "185"),
    *("186", "187", "188", "189", "191", "199"),
)


def phone(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check character."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number(rng: random.Random, area: str, birth_year: int, male: bool) -> str:
    """An 18-character resident ID number with a valid date, sex digit and check character."""
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    seq = rng.randrange(100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    first17 = f"{area[:6]}{birth_year:04d}{month:02d}{day:02d}{seq:03d}"
    return first17 + id_check_digit(first17)


_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (1 <= n <= 999)."""
    if not 1 <= n <= 999:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out
