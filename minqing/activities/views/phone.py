"""The phone check-in (no login, phone-first): open /a/<code>/ (or scan the activity's QR code),
enter one's name and the last digits of one's phone, or one's person number.

By the phone's last digits, the person is looked for among the people of the organiser's
subtree with that name (``checkin_identify``); by person number, any person in the system may
attend, and the name typed must be the person's name. The page never says who matched beyond
the masked name (张*).

Every attempt counts against a per-IP limit (``MINQING_CHECKIN_RATE_LIMIT`` attempts per
``MINQING_CHECKIN_RATE_WINDOW`` seconds, kept in the database so every worker shares it). Every
failed identification also counts against ``MINQING_CHECKIN_FAILURE_LIMIT`` per IP in the same
window, and a failure by phone digits against the same limit per name (in every activity), so
the last digits of one person cannot be tried one after another, from any address.
A second check-in changes nothing and says so.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from minqing.activities import selectors
from minqing.activities.checkin_identify import Match, by_name_and_phone_tail, normalise_name
from minqing.activities.forms import PhoneCheckInForm, names_match
from minqing.activities.models import Activity, CheckInMethod
from minqing.activities.services.activities import attendance_check_in
from minqing.core.audit import client_ip
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.ratelimit import rate_exceeded, rate_take
from minqing.orgs.masking import mask_name
from minqing.orgs.models import Person

RATE_SCOPE = "activity_checkin"
FAILURE_SCOPE = "activity_checkin_fail"


def code_form(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip().upper()
    if code:
        return redirect("checkin:code", code=code[:8])
    return render(request, "activities/checkin/code.html", {"code": ""})


def _form(data: object = None) -> PhoneCheckInForm:
    return PhoneCheckInForm(data, digits=settings.MINQING_CHECKIN_PHONE_DIGITS)


def _page(
    request: HttpRequest, activity: Activity, form: PhoneCheckInForm, error: str = "", status: int = 200
) -> HttpResponse:
    context = {"activity": activity, "form": form, "error": error}
    return render(request, "activities/checkin/form.html", context, status=status)


def _failure_keys(ip: str, form: PhoneCheckInForm) -> list[str]:
    keys = [f"ip:{ip}"]
    if form.cleaned_data.get("phone_tail") and not form.cleaned_data.get("number"):
        keys.append(f"name:{normalise_name(form.cleaned_data['name'])}")  # whatever the activity
    return keys


def _failures_used_up(keys: list[str]) -> bool:
    limit, window = settings.MINQING_CHECKIN_FAILURE_LIMIT, settings.MINQING_CHECKIN_RATE_WINDOW
    return any(rate_exceeded(scope=FAILURE_SCOPE, client=k, limit=limit, window=window) for k in keys)


def _count_failure(keys: list[str]) -> None:
    limit, window = settings.MINQING_CHECKIN_FAILURE_LIMIT, settings.MINQING_CHECKIN_RATE_WINDOW
    for key in keys:
        rate_take(scope=FAILURE_SCOPE, client=key, limit=limit, window=window)


def _identify(request: HttpRequest, activity: Activity, form: PhoneCheckInForm) -> Person | str:
    """The person, or the message saying why nobody (or not one person) was found."""
    data = form.cleaned_data
    if data["number"]:
        person = selectors.person_by_number(data["number"])
        if person is None:
            return DomainError(ErrorCode.PERSON_NUMBER_UNKNOWN).message
        if not names_match(data["name"], person.name):
            return _("姓名与人员编号不符,请核对后重新填写")
        return person
    found = by_name_and_phone_tail(activity, data["name"], data["phone_tail"], request, actor=request.user)
    if found.match is Match.AMBIGUOUS:
        return _("有不止一位同名人员的手机号码以这几位结尾,请多填几位手机号码,或填写人员编号")
    if found.person is None:
        return _("没有找到姓名和手机号码相符的人员,请核对后重新填写,或填写人员编号")
    return found.person


@never_cache
def check_in(request: HttpRequest, code: str) -> HttpResponse:
    activity = selectors.activity_by_short_code(code)
    if activity is None:
        error = DomainError(ErrorCode.ACTIVITY_CODE_UNKNOWN).message
        return render(request, "activities/checkin/code.html", {"code": code[:8], "error": error}, status=404)
    if request.method != "POST":
        return _page(request, activity, _form())
    form = _form(request.POST)
    ip = client_ip(request) or "unknown"
    limit, window = settings.MINQING_CHECKIN_RATE_LIMIT, settings.MINQING_CHECKIN_RATE_WINDOW
    if not rate_take(scope=RATE_SCOPE, client=ip, limit=limit, window=window):
        return _page(request, activity, form, DomainError(ErrorCode.RATE_LIMITED).message, status=429)
    if not form.is_valid():
        return _page(request, activity, form)
    keys = _failure_keys(ip, form)
    if _failures_used_up(keys):
        return _page(request, activity, form, DomainError(ErrorCode.RATE_LIMITED).message, status=429)
    person = _identify(request, activity, form)
    if isinstance(person, str):
        _count_failure(keys)
        return _page(request, activity, form, person)
    try:
        row, created = attendance_check_in(
            actor=request.user, activity=activity, person=person, method=CheckInMethod.PHONE
        )
    except DomainError as err:
        return _page(request, activity, form, err.message)
    context = {"activity": activity, "name": mask_name(person.name), "row": row, "created": created}
    return render(request, "activities/checkin/done.html", context)
