"""The API's view of the permission matrix world (``minqing.core.tests.permission_world``), no
tests here: the path parameters of every operation for the world's records (all in township A's
subtree, or over it), and the keys of the personas.

Personas with a key (``Authorization: Bearer``):

- ``user_<role>``: a personal token of the world's user holding ``<role>`` on township A;
- ``user_norole``: a personal token of a user with no role; ``user_other``: of township B's staff;
- ``app_<role>``: a key of an application with ``<role>`` on township A (inside the subtree);
- ``out_<role>``: the same on township B (the records are outside its subtree);
- ``revoked``: township A's office token, revoked; ``anon``: no key at all.
"""

from typing import Any

from django.utils import timezone

from minqing.api.keys import application_create, application_key_issue, key_revoke, personal_token_issue
from minqing.api.models import QueuedRegistration
from minqing.api.scopes import ALL_SCOPES
from minqing.core.tests.permission_world import ROLES, SYS, MatrixWorld

PREFIX = "/api/v1"
QUEUED_TOKEN = "matrix-queued"


def path_values(world: MatrixWorld) -> dict[str, dict[str, str]]:
    """Per path template of the OpenAPI document: the identifiers of the world's records."""
    w = world
    return (
        {
            f"{PREFIX}{template}": {k: str(v) for k, v in values.items()}
            for template, values in {
                "/units/{code}": {"code": w.u["village_a"].code},
                "/units/{code}/counts": {"code": w.u["village_a"].code},
                "/people/{number}": {"number": w.person.number},
                "/people/{number}/reveal": {"number": w.person.number},
                "/households/{pk}": {"pk": w.household.pk},
                "/campaigns/{pk}": {"pk": w.campaign.pk},
                "/activities/{number}": {"number": w.activity.number},
                "/activities/{number}/attendance": {"number": w.activity.number},
                "/activities/{number}/check-in": {"number": w.activity.number},
                "/research/{pk}": {"pk": w.topic.pk},
                "/research/{pk}/interviews": {"pk": w.topic.pk},
                "/research/{pk}/reports": {"pk": w.topic.pk},
                "/visits/{pk}": {"pk": w.visit.pk},
                "/supervision/groups/{pk}": {"pk": w.group.pk},
                "/supervision/inspections/{pk}": {"pk": w.inspection.pk},
                "/programmes/{pk}": {"pk": w.programme.pk},
                "/programmes/{pk}/targets": {"pk": w.programme.pk},
                "/programmes/{pk}/targets/{key}": {"pk": w.programme.pk, "key": w.target.key},
                "/programmes/{pk}/progress": {"pk": w.programme.pk},
                "/programmes/{pk}/targets/{key}/plans": {"pk": w.programme.pk, "key": w.target.key},
                "/programmes/{pk}/reports": {"pk": w.programme.pk},
                "/catalogues/powers/{pk}": {"pk": w.power.pk},
                "/catalogues/reforms/{pk}": {"pk": w.reform.pk},
                "/catalogues/commendations/{pk}": {"pk": w.commendation.pk},
            }.items()
        }
        | {
            # every problem path: /problems/{number}, its events, reporter and actions
            "problem": {"number": w.problem.number}
        }
        | {f"{PREFIX}/problems/queued/{{token}}": {"token": QUEUED_TOKEN}}
    )


def values_for(table: dict[str, dict[str, str]], template: str) -> dict[str, str]:
    if template in table:
        return table[template]
    if template.startswith(f"{PREFIX}/problems/{{number}}"):
        return table["problem"]
    return {}


def persona_keys(world: MatrixWorld) -> dict[str, str | None]:
    """The secret of every persona's key (``None``: no key)."""
    u, users = world.u, world.users
    keys: dict[str, str | None] = {"anon": None}
    for name in (*ROLES, "norole", "other"):
        keys[f"user_{name}"] = personal_token_issue(actor=SYS, user=users[name], name="matrix").secret
    for where, unit in (("app", u["town_a"]), ("out", u["town_b"])):
        for name, role in ROLES.items():
            app = application_create(
                actor=SYS, name=f"{where}-{name}", unit=unit, roles=[role], scopes=sorted(ALL_SCOPES)
            )
            issued = application_key_issue(actor=SYS, application=app, name="k")
            keys[f"{where}_{name}"] = issued.secret
            if (where, name) == ("app", "intake"):  # its registration answered 202 (queued)
                now = timezone.now()
                QueuedRegistration.objects.create(
                    token=QUEUED_TOKEN, key=issued.key, fingerprint="-", payload={}, received_at=now
                )
    revoked = personal_token_issue(actor=SYS, user=users["office"], name="revoked")
    key_revoke(actor=SYS, key=revoked.key)
    keys["revoked"] = revoked.secret
    return keys


def headers(secret: str | None) -> dict[str, Any]:
    return {"Authorization": f"Bearer {secret}"} if secret else {}
