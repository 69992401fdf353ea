"""``suggest()``: the top categories with probabilities, tied to the ledger's level-1 categories."""

import pytest

from minqing.ledger.models import Category
from minqing.nlp.category import Suggestion, load_model, model_path, suggest
from minqing.nlp.category.service import SHIPPED_MODEL

pytestmark = pytest.mark.django_db


def test_the_default_model_is_the_shipped_one_with_the_seven_labels() -> None:
    assert model_path() == SHIPPED_MODEL
    assert len(load_model().classes) == 7


def test_top_three_with_probabilities_and_ledger_categories() -> None:
    res = suggest("孩子所在的小学强制收取补课费和资料费,家长负担很重,请教育局查处", k=3)
    assert len(res) == 3
    assert all(isinstance(s, Suggestion) for s in res)
    assert res[0].label == "教育文体"
    confidences = [s.confidence for s in res]
    assert confidences == sorted(confidences, reverse=True)
    assert 0.0 < sum(confidences) <= 1.0 + 1e-3
    assert res[0].confidence > 0.5
    assert len({s.label for s in res}) == 3
    for s in res:  # every shipped label is a first-level category of the shipped taxonomy
        assert s.category_id == Category.objects.get(level=1, name=s.label).pk


def test_all_labels_sum_to_one_and_k_bounds() -> None:
    everything = suggest("出租车司机拒载乱收费,运管部门不管", k=100)
    assert len(everything) == 7
    assert sum(s.confidence for s in everything) == pytest.approx(1.0, abs=1e-3)
    assert everything[0].label == "交通运输"
    assert suggest("出租车司机拒载乱收费,运管部门不管", k=0) == []


def test_a_label_missing_from_the_ledger_has_no_category() -> None:
    Category.objects.filter(level=1, name="交通运输").update(name="交通")
    res = suggest("出租车司机拒载乱收费,运管部门不管", k=1)
    assert res[0].label == "交通运输"
    assert res[0].category_id is None


def test_empty_text_still_answers() -> None:
    res = suggest("", k=3)
    assert len(res) == 3
    assert all(0.0 <= s.confidence <= 1.0 for s in res)
