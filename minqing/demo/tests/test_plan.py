import random

from minqing.demo.names import cn_number, id_check_digit, id_number, person_name
from minqing.demo.plan import apportion, short_name


def test_apportion_exact_and_minimum():
    rng = random.Random(3)
    w = [rng.uniform(0.4, 1.6) for _ in range(1517)]
    parts = apportion(10_107, w)
    assert sum(parts) == 10_107 and min(parts) >= 1
    few = apportion(3, [1.0, 5.0, 2.0, 4.0])
    assert few == [0, 1, 0, 1] or sum(few) == 3
    assert sum(few) == 3
    assert apportion(0, []) == []


def test_cn_number():
    assert [cn_number(n) for n in (1, 10, 12, 20, 21, 100, 105, 110, 999)] == [
        "一",
        "十",
        "十二",
        "二十",
        "二十一",
        "一百",
        "一百零五",
        "一百一十",
        "九百九十九",
    ]


def test_id_numbers_valid():
    rng = random.Random(1)
    for _ in range(200):
        male = rng.random() < 0.5
        n = id_number(rng, "150902", 1980, male)
        assert len(n) == 18 and n[:6] == "150902" and n[6:10] == "1980"
        assert n[17] == id_check_digit(n[:17])
        assert int(n[16]) % 2 == (1 if male else 0)
    assert id_check_digit("11010519491231002") == "X"  # the standard's example


def test_names_deterministic():
    a = [person_name(random.Random(5)) for _ in range(3)]
    b = [person_name(random.Random(5)) for _ in range(3)]
    assert a == b and all(2 <= len(x) <= 6 for x in a)


def test_short_name():
    assert short_name("白海子村委会") == "白海子村"
    assert short_name("体育场社区居民委员会") == "体育场社区"
    assert short_name("巴音嘎查委员会") == "巴音嘎查"
