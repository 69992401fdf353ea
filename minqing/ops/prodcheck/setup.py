"""Run inside the stack (``python -m minqing.ops.prodcheck.setup RECEIVER_URL``): an application on
the demo's top unit with an intake and office role, its API key, and a webhook subscription to
every event at the prod-check's receiver; prints them as JSON."""

import json
import os
import sys


def main(receiver: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.production")
    import django

    django.setup()
    from minqing.api.keys import application_create, application_key_issue
    from minqing.api.scopes import ALL_SCOPES
    from minqing.orgs.actors import SYSTEM
    from minqing.orgs.enums import Role
    from minqing.orgs.models import Unit
    from minqing.webhooks.models import EventType
    from minqing.webhooks.services import subscription_create

    top = Unit.objects.filter(parent__isnull=True).order_by("code").first()
    assert top is not None, "no unit: load the demo first"
    leaf = Unit.objects.filter(path__startswith=top.path, children__isnull=True).order_by("code").first()
    app = application_create(
        actor=SYSTEM, name="prod-check", unit=top, roles=[Role.INTAKE, Role.OFFICE], scopes=sorted(ALL_SCOPES)
    )
    key = application_key_issue(actor=SYSTEM, application=app, name="prod-check")
    sub = subscription_create(actor=SYSTEM, application=app, url=receiver, event_types=list(EventType.values))
    print(
        json.dumps(
            {
                "key": key.secret,
                "top": top.code,
                "leaf": leaf.code if leaf else top.code,
                "webhook_secret": sub.secret,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
