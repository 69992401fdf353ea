"""People and households of a unit's subtree: ``/api/v1/people`` and ``/api/v1/households``.

Phone and ID number are masked (138****5678) as on the person page; ``GET
/people/{number}/reveal`` answers them in full to a caller who may reveal them
(``orgs.selectors.can_reveal``) and audits the read, exactly as the page's reveal button does.
A household's head is masked in lists (张*) and in full on the household itself, an audited read
as on its page.
"""

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from minqing.api.auth import require_scope
from minqing.api.errors import ErrorOut
from minqing.api.pagination import Page, keyset_page
from minqing.api.routers.units import unit_in_scope
from minqing.api.scopes import Scope
from minqing.orgs import selectors
from minqing.orgs.masking import mask_id_number, mask_name, mask_phone
from minqing.orgs.models import Household, Person

router = Router(tags=["people 人员"])
households_router = Router(tags=["people 人员"])


class PersonOut(Schema):
    number: str
    name: str
    unit_code: str
    unit_name: str
    rank: str
    is_party_member: bool
    duties: str
    phone: str  # masked unless revealed
    id_number: str  # masked unless revealed
    revealed: bool
    can_reveal: bool


class IdentityOut(Schema):
    number: str
    phone: str
    id_number: str
    revealed: bool


class HouseholdOut(Schema):
    id: int
    number: str
    head_name: str  # masked in lists, in full on the household itself (an audited read)
    address: str
    members: int
    grid_code: str
    grid_name: str


def person_out(person: Person, *, can_reveal: bool) -> PersonOut:
    identity = getattr(person, "identity", None)
    return PersonOut(
        number=person.number,
        name=person.name,
        unit_code=person.unit.code,
        unit_name=person.unit.name,
        rank=person.rank,
        is_party_member=person.is_party_member,
        duties=person.duties,
        phone=mask_phone(identity.phone) if identity is not None else "",
        id_number=mask_id_number(identity.id_number) if identity is not None else "",
        revealed=False,
        can_reveal=can_reveal,
    )


def household_out(household: Household, *, full: bool) -> HouseholdOut:
    return HouseholdOut(
        id=household.pk,
        number=household.number,
        head_name=household.head_name if full else mask_name(household.head_name),
        address=household.address,
        members=household.members,
        grid_code=household.grid.code,
        grid_name=household.grid.name,
    )


@router.get("/", response={200: Page[PersonOut], 404: ErrorOut}, summary="人员列表 / list people")
def list_people(
    request: HttpRequest,
    unit: str,
    q: str = "",
    rank: str = "",
    party: str = "",
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[PersonOut]:
    """People of ``unit``'s subtree; ``q`` (name contains / number starts with), ``rank``,
    ``party`` (yes / no). Phone and ID number masked."""
    actor = require_scope(request, Scope.READ)
    qs = selectors.unit_people_queryset(actor, unit_in_scope(request, unit), q=q, rank=rank, party=party)
    rows, next_cursor = keyset_page(qs.select_related("identity"), cursor, limit)
    return Page[PersonOut](
        items=[person_out(p, can_reveal=selectors.can_reveal(actor, p)) for p in rows],
        next_cursor=next_cursor,
    )


@router.get("/{number}", response={200: PersonOut, 404: ErrorOut}, summary="人员 / one person")
def get_person(request: HttpRequest, number: str) -> PersonOut:
    actor = require_scope(request, Scope.READ)
    person = selectors.person_by_number(actor, number)
    return person_out(person, can_reveal=selectors.can_reveal(actor, person))


@router.get(
    "/{number}/reveal",
    response={200: IdentityOut, 403: ErrorOut, 404: ErrorOut},
    summary="查看完整手机号码和身份证号 / reveal phone and ID number (audited)",
)
def reveal_person(request: HttpRequest, number: str, response: HttpResponse) -> IdentityOut:
    """The full phone and ID number, for office or unit staff and leaders of the person's unit
    (or above); every read is written to the audit trail. Others: 403. A GET, not a POST: a
    POST's answer would be kept in clear for Idempotency-Key replays (and replayed unaudited)."""
    response["Cache-Control"] = "no-store"
    actor = require_scope(request, Scope.READ)
    person = selectors.person_by_number(actor, number)
    identity = selectors.person_identity(actor, person, request, reveal=True)
    return IdentityOut(
        number=person.number, phone=identity.phone, id_number=identity.id_number, revealed=identity.revealed
    )


@households_router.get(
    "/", response={200: Page[HouseholdOut], 404: ErrorOut}, summary="户列表 / list households"
)
def list_households(
    request: HttpRequest, unit: str, q: str = "", cursor: str | None = None, limit: int | None = None
) -> Page[HouseholdOut]:
    """Households of ``unit``'s subtree; ``q``: number starts with / head's name contains.
    Heads' names masked."""
    actor = require_scope(request, Scope.READ)
    qs = selectors.unit_households_queryset(actor, unit_in_scope(request, unit), q=q)
    rows, next_cursor = keyset_page(qs, cursor, limit)
    return Page[HouseholdOut](items=[household_out(h, full=False) for h in rows], next_cursor=next_cursor)


@households_router.get("/{int:pk}", response={200: HouseholdOut, 404: ErrorOut}, summary="户 / one household")
def get_household(request: HttpRequest, pk: int) -> HouseholdOut:
    """The household with its head's full name: an audited read of personal data, as its page."""
    actor = require_scope(request, Scope.READ)
    return household_out(selectors.household_open(actor, pk, request), full=True)
