"""The taxonomy: shipped by the data migration, loaded idempotently, three levels with full names."""

import pytest
from django.apps import apps as django_apps

from minqing.ledger.models import Category
from minqing.ledger.services.categories import categories_load
from minqing.ledger.taxonomy import load_shipped, read_shipped

pytestmark = pytest.mark.django_db


def test_every_install_has_the_shipped_taxonomy() -> None:
    rows = read_shipped()
    assert len(rows) == 517
    leaf = Category.objects.get(full_name="城乡建设/安全生产/事故处理")
    assert leaf.parent is not None and leaf.parent.parent is not None
    assert (leaf.level, leaf.name, leaf.parent.full_name) == (3, "事故处理", "城乡建设/安全生产")
    assert leaf.parent.parent.level == 1 and leaf.parent.parent.parent is None
    assert Category.objects.filter(level=3).count() == len({tuple(r) for r in rows})


def test_loading_again_creates_nothing() -> None:
    count = Category.objects.count()
    assert categories_load(read_shipped()) == 0
    load_shipped(django_apps, None)
    assert Category.objects.count() == count


def test_new_rows_and_short_rows() -> None:
    created = categories_load(
        [["城乡建设", "安全生产", "新分类"], ["新一级"], ["新一级", "", ""], ["", "孤儿"]]
    )
    assert created == 2
    assert Category.objects.get(full_name="城乡建设/安全生产/新分类").level == 3
    assert Category.objects.get(full_name="新一级").level == 1
