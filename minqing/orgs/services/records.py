"""Households, people and assignments edited one at a time (the maintenance admin).

Each row keeps a copy of its unit's path (``minqing.orgs.pathcopies``) so that scoping is one
prefix filter; a save here sets that copy from the row's unit before writing.
"""

from django.db import transaction

from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Duty
from minqing.orgs.models import Assignment, Household, Person
from minqing.orgs.services.bulk import check_paths_write

Record = Household | Person | Assignment


def copied_path(obj: Record) -> str:
    """The unit path a household (its grid), a person (its unit) or an assignment (the unit or
    household assigned) carries."""
    if isinstance(obj, Household):
        return obj.grid.path
    if isinstance(obj, Person):
        return obj.unit.path
    target = obj.unit if obj.unit is not None else obj.household
    return target.path if target is not None else ""


@transaction.atomic
def record_save(*, actor: Actor, obj: Record) -> None:
    """Write ``obj`` with its copied path; the actor must be the system administrator (the
    unscoped admin's writer) or able to write at that path and, for a row that moves, at its old
    path too."""
    path = copied_path(obj)
    old = type(obj).objects.filter(pk=obj.pk).values_list("path", flat=True).first() if obj.pk else None
    if not policy.has_duty(actor, Duty.SYSTEM):
        check_paths_write(actor, [path, old or path])
    obj.path = path
    obj.save()
