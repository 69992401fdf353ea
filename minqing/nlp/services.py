"""Writes of the nlp app: the record of what was suggested at intake and what the clerk chose."""

from collections.abc import Sequence
from dataclasses import asdict

from django.contrib.auth.models import User
from django.utils import timezone

from minqing.ledger.models import Category, Problem
from minqing.nlp.category.service import Suggestion as CategorySuggestion
from minqing.nlp.models import Suggestion
from minqing.nlp.units import UnitSuggestion
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit


def first_level_id(category: Category | None) -> int | None:
    """The id of a category's first-level ancestor (itself if it is first-level)."""
    c = category
    while c is not None and c.parent_id is not None:
        c = c.parent
    return c.pk if c is not None else None


def suggestion_record(
    *,
    actor: Actor,
    problem: Problem,
    categories: Sequence[CategorySuggestion],
    units: Sequence[UnitSuggestion],
    chosen_category: Category | None,
    chosen_unit: Unit | None,
) -> Suggestion:
    """Record the suggestions a registration was made with and whether the clerk took them: a
    category is taken when it (or its first-level category) is one of the suggested; a unit when
    it is one of the suggested units."""
    top = first_level_id(chosen_category)
    rank = next((i for i, s in enumerate(categories, 1) if top is not None and s.category_id == top), None)
    unit_ids = [u.unit_id for u in units]
    return Suggestion.objects.create(
        problem=problem,
        categories=[asdict(s) for s in categories],
        chosen_category=chosen_category,
        category_rank=rank,
        accepted=rank is not None,
        units=[{**asdict(u), "reasons": list(u.reasons)} for u in units],
        chosen_unit=chosen_unit,
        unit_accepted=chosen_unit is not None and chosen_unit.pk in unit_ids,
        by=actor if isinstance(actor, User) else None,
        at=timezone.now(),
    )
