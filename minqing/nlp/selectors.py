"""Reads of the nlp app, scoped to the actor: how often the intake suggestions were taken."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from minqing.nlp.models import Suggestion
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.scoping import scoped


@dataclass
class Rate:
    key: str  # a category label or a month (YYYY-MM); "" for the total
    n: int = 0  # registrations with a category suggestion
    accepted: int = 0  # of which the chosen category was one of the suggested
    top1: int = 0  # of which it was the first suggestion
    units_n: int = 0  # registrations with a unit suggestion
    units_accepted: int = 0  # of which the chosen unit was one of the suggested

    @property
    def rate(self) -> float | None:
        return self.accepted / self.n if self.n else None

    @property
    def top1_rate(self) -> float | None:
        return self.top1 / self.n if self.n else None

    @property
    def unit_rate(self) -> float | None:
        return self.units_accepted / self.units_n if self.units_n else None


@dataclass
class Rates:
    total: Rate
    by_category: list[Rate]  # by the first suggested category, most frequent first
    by_month: list[Rate]  # newest first


def acceptance_rates(actor: Actor) -> Rates:
    """Counts and rates of suggestions taken, over the problems of the actor's office scope."""
    qs = scoped(Suggestion.objects.all(), actor, field="problem__path", roles=policy.OFFICE)
    total = Rate("")
    cats: dict[str, Rate] = defaultdict(lambda: Rate(""))
    months: dict[str, Rate] = defaultdict(lambda: Rate(""))
    rows = qs.values_list("at", "categories", "category_rank", "units", "unit_accepted")
    for at, categories, rank, units, unit_accepted in rows.iterator():
        month = timezone.localtime(at).strftime("%Y-%m")
        label = categories[0]["label"] if categories else ""
        for r in (total, cats[label], months[month]):
            if categories:
                r.n += 1
                r.accepted += rank is not None
                r.top1 += rank == 1
            if units:
                r.units_n += 1
                r.units_accepted += bool(unit_accepted)
    for key, r in cats.items():
        r.key = key
    for key, r in months.items():
        r.key = key
    by_category = sorted(cats.values(), key=lambda r: (-r.n, r.key))
    by_month = sorted(months.values(), key=lambda r: r.key, reverse=True)
    return Rates(total, by_category, by_month)
