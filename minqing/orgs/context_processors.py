from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from minqing.orgs.selectors import unit_roots


def scope(request: HttpRequest) -> dict[str, Any]:
    """``scope_units``: the top units of the user's scope, for the unit switcher (lazy)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"scope_units": []}
    return {"scope_units": SimpleLazyObject(lambda: unit_roots(user))}
