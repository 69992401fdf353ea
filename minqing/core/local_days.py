"""Local days and months (the project's time zone): the instant a day starts, a month's first day."""

import datetime as dt

from django.utils import timezone


def midnight(day: dt.date) -> dt.datetime:
    """The instant ``day`` starts, local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
