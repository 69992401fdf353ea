"""``python -m benchmarks.upload_probe_world``: the probe's small world, written through the
project's services into the database of ``DATABASE_URL`` (already migrated): a province >
prefecture > county > township tree, an office user on the township (who may use every upload
form), a programme with one target, and a signed-in session for that user made by Django's own
session store (what ``login()`` stores), so the probe needs no password form. Prints JSON:
``{"session": key, "session_cookie": name, "programme": pk}``.
"""

import json
import os
from importlib import import_module


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django_otp import DEVICE_ID_SESSION_KEY

    from minqing.accounts.testing import totp_device
    from minqing.core.tests.upload_table import upload_programme
    from minqing.orgs.actors import SYSTEM
    from minqing.orgs.enums import Role, UnitKind
    from minqing.orgs.models import Unit
    from minqing.orgs.services.roles import role_grant
    from minqing.orgs.services.units import UnitRow, units_upsert

    k = UnitKind
    units_upsert(
        actor=SYSTEM,
        rows=[
            UnitRow("150000000000", "内蒙古自治区", k.PROVINCE, division_code="150000000000"),
            UnitRow("150900000000", "乌兰察布市", k.PREFECTURE, "150000000000", division_code="150900000000"),
            UnitRow("150902000000", "集宁区", k.COUNTY, "150900000000", division_code="150902000000"),
            UnitRow("150902001000", "新体育场街道", k.TOWNSHIP, "150902000000", "street", "150902001000"),
        ],
    )
    town = Unit.objects.get(code="150902001000")
    user = get_user_model().objects.create_user("probe_office", password=None)
    role_grant(actor=SYSTEM, user=user, role=Role.OFFICE, unit=town)
    programme = upload_programme(town)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # the office signs in with a second factor: the session is verified by a real TOTP device,
    # as the code step leaves it (minqing.accounts.testing)
    store[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    store.create()
    out = {
        "session": store.session_key,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "programme": programme.pk,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
