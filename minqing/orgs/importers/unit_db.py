"""What an import needs to know about units already in the database, in a few chunked queries."""

from collections.abc import Iterable
from dataclasses import dataclass

from minqing.core.batching import chunked
from minqing.orgs.models import Unit

STEPLEN = Unit.steplen


@dataclass(frozen=True)
class DbUnit:
    code: str
    path: str
    subkind: str
    has_party_org: bool
    party_category: str


class DbUnits:
    """Units by code for the given codes, plus their ancestors (to follow parents up the tree)."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.by_code: dict[str, DbUnit] = {}
        self.code_by_path: dict[str, str] = {}
        fields = ("code", "path", "subkind", "has_party_org", "party_category")
        for chunk in chunked(sorted(set(codes))):
            for row in Unit.objects.filter(code__in=chunk).values_list(*fields):
                self._add(DbUnit(*row))
        wanted = {
            u.path[:i] for u in self.by_code.values() for i in range(STEPLEN, len(u.path), STEPLEN)
        } - set(self.code_by_path)
        for chunk in chunked(sorted(wanted)):
            for row in Unit.objects.filter(path__in=chunk).values_list(*fields):
                self._add(DbUnit(*row))

    def _add(self, u: DbUnit) -> None:
        self.by_code[u.code] = u
        self.code_by_path[u.path] = u.code

    def get(self, code: str) -> DbUnit | None:
        return self.by_code.get(code)

    def __contains__(self, code: str) -> bool:
        return code in self.by_code

    def parent_code(self, code: str) -> str:
        """The code of the unit's parent in the database ("" for a root)."""
        path = self.by_code[code].path
        return self.code_by_path.get(path[:-STEPLEN], "") if len(path) > STEPLEN else ""


def division_codes_taken(codes: Iterable[str]) -> dict[str, str]:
    """division_code -> code of another unit that already holds it."""
    taken: dict[str, str] = {}
    for chunk in chunked(sorted(set(codes))):
        qs = Unit.objects.filter(division_code__in=chunk).values_list("division_code", "code")
        for division, code in qs:
            if division is not None and division != code:
                taken[division] = code
    return taken
