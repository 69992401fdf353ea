"""The phone check-in (no login, phone-first): open /a/<code>/, enter one's person number and name.

Any person in the system may attend any activity; to keep strangers from checking others in,
the name typed must be the person's name. Every attempt counts against a per-IP limit
(``MINQING_CHECKIN_RATE_LIMIT`` attempts per ``MINQING_CHECKIN_RATE_WINDOW`` seconds, kept in
the database so every worker shares it). A second check-in changes nothing and says so.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from minqing.activities import selectors
from minqing.activities.forms import PhoneCheckInForm, names_match
from minqing.activities.models import Activity, CheckInMethod
from minqing.activities.services.activities import attendance_check_in
from minqing.core.audit import client_ip
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.ratelimit import rate_take

RATE_SCOPE = "activity_checkin"


def code_form(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip().upper()
    if code:
        return redirect("checkin:code", code=code[:8])
    return render(request, "activities/checkin/code.html", {"code": ""})


def _page(
    request: HttpRequest, activity: Activity, form: PhoneCheckInForm, error: str = "", status: int = 200
) -> HttpResponse:
    context = {"activity": activity, "form": form, "error": error}
    return render(request, "activities/checkin/form.html", context, status=status)


@never_cache
def check_in(request: HttpRequest, code: str) -> HttpResponse:
    activity = selectors.activity_by_short_code(code)
    if activity is None:
        error = DomainError(ErrorCode.ACTIVITY_CODE_UNKNOWN).message
        return render(request, "activities/checkin/code.html", {"code": code[:8], "error": error}, status=404)
    if request.method != "POST":
        return _page(request, activity, PhoneCheckInForm())
    form = PhoneCheckInForm(request.POST)
    ip = client_ip(request) or "unknown"
    limit, window = settings.MINQING_CHECKIN_RATE_LIMIT, settings.MINQING_CHECKIN_RATE_WINDOW
    if not rate_take(scope=RATE_SCOPE, client=ip, limit=limit, window=window):
        return _page(request, activity, form, DomainError(ErrorCode.RATE_LIMITED).message, status=429)
    if not form.is_valid():
        return _page(request, activity, form)
    person = selectors.person_by_number(form.cleaned_data["number"])
    if person is None:
        return _page(request, activity, form, DomainError(ErrorCode.PERSON_NUMBER_UNKNOWN).message)
    if not names_match(form.cleaned_data["name"], person.name):
        return _page(request, activity, form, _("姓名与人员编号不符,请核对后重新填写"))
    try:
        row, created = attendance_check_in(
            actor=request.user, activity=activity, person=person, method=CheckInMethod.PHONE
        )
    except DomainError as err:
        return _page(request, activity, form, err.message)
    context = {"activity": activity, "name": person.name, "row": row, "created": created}
    return render(request, "activities/checkin/done.html", context)
