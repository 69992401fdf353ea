"""The suggestions shown on the clerk's intake page: the top categories and units for a message,
and the open problems most like it (on the page and on the registered problem's page).

``intake_suggestions`` is what the page renders (and what is recorded with the registration);
the views stay thin. See docs/nlp.md, "登记时的建议".
"""

from dataclasses import dataclass

from minqing.ledger.models import Category, Problem
from minqing.nlp.category.service import Suggestion as CategorySuggestion
from minqing.nlp.category.service import suggest
from minqing.nlp.duplicates.index import THRESHOLD
from minqing.nlp.duplicates.service import SimilarProblem, find_similar, problem_text
from minqing.nlp.units import UnitSuggestion, suggest_units
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit

K = 3


@dataclass(frozen=True)
class CategoryChoice:
    label: str
    confidence: float
    category_id: int | None
    percent: int  # the confidence as a whole percentage, for the page


@dataclass(frozen=True)
class IntakeSuggestions:
    categories: list[CategorySuggestion]
    units: list[UnitSuggestion]

    @property
    def category_choices(self) -> list[CategoryChoice]:
        return [
            CategoryChoice(s.label, s.confidence, s.category_id, round(s.confidence * 100))
            for s in self.categories
        ]


def message_text(title: str, content: str) -> str:
    """The text the category model reads: the title, a newline, the content (as ``nlp train``)."""
    return f"{title.strip()}\n{content.strip()}".strip()


def intake_suggestions(
    actor: Actor, *, title: str, content: str, place: str = "", place_unit: Unit | None = None
) -> IntakeSuggestions:
    """The top categories for the message, and the units from its text, its place and past routing
    of problems of the first suggested category."""
    text = message_text(title, content)
    if not text:
        return IntakeSuggestions([], [])
    categories = suggest(text, k=K)
    top = next((s.category_id for s in categories if s.category_id is not None), None)
    units = suggest_units(actor, f"{text}\n{place.strip()}", place_unit=place_unit, category=top, k=K)
    return IntakeSuggestions(categories, units)


def category_by_id(pk: str) -> Category | None:
    return Category.objects.filter(pk=pk).first() if pk.isdigit() else None


# --- duplicates: the open problems most like a message (docs/nlp.md, "重复件") -----------------

DUPLICATES_K = 5
DUPLICATES_MIN = 0.3  # listed from this score; "可能重复" from index.THRESHOLD


@dataclass(frozen=True)
class Duplicate:
    similar: SimilarProblem
    likely: bool  # at or above the "same matter" threshold
    # the one-click merge: the later registered of the two into the earlier
    merge_from: Problem | None = None
    merge_into: Problem | None = None

    @property
    def merges_this(self) -> bool:
        """The merge folds the page's own problem into the listed one (else the reverse)."""
        return self.merge_into is self.similar.problem


@dataclass(frozen=True)
class Duplicates:
    ready: bool  # false while the index is being built (the page says so)
    items: list[Duplicate]


def _later(a: Problem, b: Problem) -> bool:
    return (a.registered_at, a.pk) > (b.registered_at, b.pk)


def problem_duplicates(actor: Actor, problem: Problem) -> Duplicates:
    """The open problems most like ``problem`` that the actor may merge with it (seen with a
    dispatcher's role), itself left out; each merge folds the later registered into the earlier."""
    text = problem_text(problem.title, problem.description)
    found = find_similar(
        actor, text, k=DUPLICATES_K, min_score=DUPLICATES_MIN, exclude=problem.pk, roles=policy.DISPATCHERS
    )
    items = []
    for s in found.items:
        other = s.problem
        src, dst = (problem, other) if _later(problem, other) else (other, problem)
        items.append(Duplicate(s, s.score >= THRESHOLD, src, dst))
    return Duplicates(found.ready, items)


def message_duplicates(actor: Actor, *, title: str, content: str, exclude: int | None = None) -> Duplicates:
    """The open problems the actor may see that are most like a message (``exclude``: the id of
    the problem the message was filed on, when it is registered already)."""
    text = message_text(title, content)
    if not text:
        return Duplicates(True, [])
    found = find_similar(actor, text, k=DUPLICATES_K, min_score=DUPLICATES_MIN, exclude=exclude)
    return Duplicates(found.ready, [Duplicate(s, s.score >= THRESHOLD) for s in found.items])
