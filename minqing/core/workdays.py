"""Working days with China's statutory holidays and make-up working days.

Order of authority for a date: an override entered by the office (``WorkdayOverride``, for a
year whose State Council schedule is newer than the chinese-calendar package), then
chinese-calendar, then Monday to Friday for years the package does not cover.
"""

import datetime as dt
from functools import lru_cache

import chinese_calendar


def _overrides() -> dict[dt.date, bool]:
    from minqing.core.models import WorkdayOverride

    return dict(WorkdayOverride.objects.values_list("date", "is_workday"))


@lru_cache(maxsize=4096)
def _package_is_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the package has no schedule for
        return day.weekday() < 5


class WorkCalendar:
    """A calendar snapshot: load it once per job or request, then ask many dates."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None) -> None:
        self.overrides = _overrides() if overrides is None else overrides
        self._added: dict[tuple[dt.date, int], dt.date] = {}  # memo: bulk loads ask the same sums

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _package_is_workday(day)

    def add_workdays(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
        if days < 0:
            raise ValueError("days must be >= 0")
        key = (start, days)
        if key in self._added:
            return self._added[key]
        day = start
        while days:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                days -= 1
        self._added[key] = day
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.workdays_between(end, start)
        n, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            n += self.is_workday(day)
        return n
