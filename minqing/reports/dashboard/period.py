"""The dashboard's period: two local dates, both included, and the instants the counts use."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from minqing.core.pages import parse_date

MAX_MONTH_BUCKETS = 36  # a longer period is charted by year


def midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # included

    @property
    def start_at(self) -> dt.datetime:
        return midnight(self.start)

    @property
    def end_at(self) -> dt.datetime:
        """The first instant after the period (exclusive bound)."""
        return midnight(self.end + dt.timedelta(days=1))

    @property
    def valid(self) -> bool:
        return self.start <= self.end

    @property
    def as_of(self) -> dt.datetime:
        """Problem states are taken at the end of the period, or now while it is still running."""
        return min(self.end_at, timezone.now())

    @property
    def live(self) -> bool:
        """The period reaches today: the problems' current state is their state as of its end."""
        return self.end_at >= timezone.now()

    @property
    def as_of_day(self) -> dt.date:
        return min(self.end, timezone.localdate())

    def buckets(self) -> list[tuple[str, dt.datetime, dt.datetime]]:
        """(label, from, to) per month of the period, or per year past ``MAX_MONTH_BUCKETS`` months."""
        if not self.valid:
            return []
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        out = []
        if months <= MAX_MONTH_BUCKETS:
            y, m = self.start.year, self.start.month
            while (y, m) <= (self.end.year, self.end.month):
                lo = max(dt.date(y, m, 1), self.start)
                ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
                hi = min(dt.date(ny, nm, 1), self.end + dt.timedelta(days=1))
                out.append((f"{y}-{m:02d}", midnight(lo), midnight(hi)))
                y, m = ny, nm
        else:
            for y in range(self.start.year, self.end.year + 1):
                lo = max(dt.date(y, 1, 1), self.start)
                hi = min(dt.date(y + 1, 1, 1), self.end + dt.timedelta(days=1))
                out.append((str(y), midnight(lo), midnight(hi)))
        return out


def period_from(data: Mapping[str, Any], default: tuple[dt.date, dt.date]) -> Period:
    """``start`` / ``end`` from the query; each defaults to ``default``'s (the selected
    campaign's dates, else the current campaign's, else the last 12 months:
    ``campaigns.selectors.default_period``)."""
    return Period(parse_date(data.get("start")) or default[0], parse_date(data.get("end")) or default[1])
