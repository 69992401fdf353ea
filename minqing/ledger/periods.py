"""Problems of a subtree registered in a period: filtered so that the database reads the fewer
rows.

Two indexes can serve "a subtree's problems registered in [start, end)": the registration date's
and (path, registered_at). PostgreSQL's planner has the statistics to choose. SQLite's (built
without histograms) rates every range alike: it took the date index even for a village's year,
reading every problem of the year (0.5 s at the city tier), and told to leave the date alone it
took the path index even for a 2015 bulletin of a whole city, reading all 200,000 problems to
find 39. So on SQLite the subtree's level decides: a county or anything below it (a small share
of the ledger) is read by its path, a prefecture or more by the date. Both give the same rows.
"""

import datetime as dt

from django.db import connection
from django.db.models import DateTimeField, QuerySet

from minqing.core.paths import not_by_index
from minqing.ledger.models import Problem
from minqing.orgs.models import Unit

BY_PATH_FROM_DEPTH = 3  # county (province 1, prefecture 2)


def registered_in(start: dt.datetime, end: dt.datetime, subtree: str) -> QuerySet[Problem]:
    """Problems registered in [start, end), for a caller that narrows them to the subtree of the
    path ``subtree`` (or of paths at that level)."""
    if connection.vendor != "sqlite" or len(subtree) // Unit.steplen < BY_PATH_FROM_DEPTH:
        return Problem.objects.filter(registered_at__gte=start, registered_at__lt=end)
    registered = not_by_index("registered_at", DateTimeField())
    return Problem.objects.alias(registered=registered).filter(registered__gte=start, registered__lt=end)
