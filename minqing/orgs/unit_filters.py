"""A page's ``?unit=`` filter read through ``minqing.orgs.selectors.resolve_unit``.

A bad value never answers 404: the page shows an inline error (the messages strip above the
content) and keeps its other filters, on the top of the actor's scope.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest

from minqing.orgs.models import Unit
from minqing.orgs.selectors import resolve_unit, unit_filter


def unit_error(request: HttpRequest, key: str = "unit") -> str:
    """The inline error for ``?<key>=`` ("" when blank or resolved)."""
    return resolve_unit(request.user, request.GET.get(key, "")).error


def flag_unit_error(request: HttpRequest, key: str = "unit") -> str:
    """``unit_error``, also shown in the page's messages strip."""
    error = unit_error(request, key)
    if error:
        messages.error(request, error)
    return error


def request_unit(request: HttpRequest, key: str = "unit") -> Unit:
    """The unit ``?<key>=`` names, or the top of the actor's scope with an inline error; 404 only
    when the actor has no unit at all."""
    unit, error = unit_filter(request.user, request.GET.get(key, ""))
    if error:
        messages.error(request, error)
    if unit is None:
        raise Http404
    return unit
