"""Run inside the stack (``python -m minqing.ops.prodcheck.setup RECEIVER_URL``, or
``--enqueue-deadlines`` to queue a run of the deadline job): an application on
the demo's top unit with an intake and office role, its API key, and a webhook subscription to
every event at the prod-check's receiver; prints them as JSON."""

import json
import os
import sys


def main(receiver: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.production")
    import django

    django.setup()
    import datetime as dt

    from django.utils import timezone

    from minqing.api.keys import application_create, application_key_issue
    from minqing.api.scopes import ALL_SCOPES
    from minqing.ledger.enums import Source
    from minqing.ledger.services.intake import ProblemFacts, problem_register
    from minqing.orgs.actors import SYSTEM
    from minqing.orgs.enums import Role, UnitKind
    from minqing.orgs.models import Unit
    from minqing.webhooks.models import EventType
    from minqing.webhooks.services import subscription_create

    top = Unit.objects.filter(depth=1).order_by("path").first()
    assert top is not None, "no unit: load the demo first"
    leaf = Unit.objects.filter(path__startswith=top.path, kind=UnitKind.VILLAGE).order_by("path").first()
    app = application_create(
        actor=SYSTEM, name="prod-check", unit=top, roles=[Role.INTAKE, Role.OFFICE], scopes=sorted(ALL_SCOPES)
    )
    key = application_key_issue(actor=SYSTEM, application=app, name="prod-check")
    sub = subscription_create(actor=SYSTEM, application=app, url=receiver, event_types=list(EventType.values))
    # problems past their deadline that no deadline job has seen yet: the fault test's deadline
    # runs must flag each exactly once
    overdue = [
        problem_register(
            actor=SYSTEM,
            facts=ProblemFacts(
                title=f"逾期测试问题 {i}",
                description="自查发现",
                unit=leaf or top,
                source=Source.SELF_INSPECTION,
                registered_at=timezone.now() - dt.timedelta(days=120),
            ),
        ).number
        for i in range(20)
    ]
    print(
        json.dumps(
            {
                "overdue": overdue,
                "key": key.secret,
                "top": top.code,
                "leaf": leaf.code if leaf else top.code,
                "webhook_secret": sub.secret,
            }
        )
    )


def enqueue_deadlines() -> None:
    """Queue one run of the deadline job (the huey worker runs it)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.production")
    import django

    django.setup()
    from minqing.ledger.tasks import deadlines_every_half_hour

    deadlines_every_half_hour()


if __name__ == "__main__":
    if sys.argv[1] == "--enqueue-deadlines":
        enqueue_deadlines()
    else:
        main(sys.argv[1])
