"""The suggestions shown on the clerk's intake page: the top categories and units for a message.

``intake_suggestions`` is what the page renders (and what is recorded with the registration);
the views stay thin. See docs/nlp.md, "登记时的建议".
"""

from dataclasses import dataclass

from minqing.ledger.models import Category
from minqing.nlp.category.service import Suggestion as CategorySuggestion
from minqing.nlp.category.service import suggest
from minqing.nlp.units import UnitSuggestion, suggest_units
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
