"""``fast_insert``: rows written as ``bulk_create`` would write them, a column at a time."""

import datetime as dt

import pytest
from django.utils import timezone

from minqing.core.fast_insert import insert_prepared, insert_rows, prepare_rows
from minqing.core.models import WorkdayOverride

pytestmark = pytest.mark.django_db


def test_rows_naming_different_columns_take_the_defaults_of_the_others() -> None:
    day, next_day = dt.date(2031, 1, 1), dt.date(2031, 1, 2)
    rows = [{"date": day, "is_workday": True, "note": "调休"}, {"date": next_day, "is_workday": False}]
    assert insert_rows(WorkdayOverride, rows) == 2
    made = {o.date: (o.is_workday, o.note) for o in WorkdayOverride.objects.all()}
    assert made == {day: (True, "调休"), next_day: (False, "")}


def test_a_prepared_column_is_set_later_and_adapted_like_the_rest() -> None:
    from minqing.core.models import AuditEvent

    when = timezone.make_aware(dt.datetime(2030, 5, 6, 7, 8, 9))
    rows = [{"action": AuditEvent.Action.IMPORT, "detail": f"r{i}"} for i in range(3)]
    ready = prepare_rows(AuditEvent, rows)
    assert len(ready) == 3
    with pytest.raises(ValueError):
        ready.set("at", [when])
    ready.set("at", [when] * 3)
    assert insert_prepared(ready) == 3
    assert list(AuditEvent.objects.filter(detail__startswith="r").values_list("at", flat=True)) == [when] * 3
