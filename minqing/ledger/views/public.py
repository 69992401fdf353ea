"""Public pages (no login): the online form, tracking by code, the published list (晒出来).

Nothing here shows personal data: no reporter, no staff names, no internal notes.
The online form is rate-limited per client IP (``MINQING_PUBLIC_RATE_LIMIT`` submissions per
``MINQING_PUBLIC_RATE_WINDOW`` seconds, counted in the database so every worker shares it) and
idempotent: a repeated ``Idempotency-Key`` header, or the same form page posted twice,
returns the first submission's tracking code and creates nothing. A submission is stored with
its audit rows in one transaction, so it is either stored and answered with its tracking code,
or (the database busy past its timeout) not stored and answered 503 with a page to send again.

The place is chosen in the same form (minqing.ledger.places: a cascade 旗县 → 乡镇街道 →
嘎查村社区 and a search): without JavaScript the picker's buttons (``search``, ``next``, a
result's ``pick``) are submit buttons of that form, answered by the same page with everything
typed kept and nothing checked or stored; only the form's own submit button stores. With
JavaScript, ``ledger/place-picker.js`` does the same in place from ``/public/places/``
(views/places.py).
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from minqing.core.audit import client_ip
from minqing.core.audit_writes import written_before_commit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.ratelimit import rate_exceeded, rate_take
from minqing.core.replica import replica_reads
from minqing.ledger import places, selectors
from minqing.ledger.enums import Channel, Source, State
from minqing.ledger.forms import PublicSubmitForm, new_token
from minqing.ledger.models import Feedback
from minqing.ledger.selectors import PublicFilters
from minqing.ledger.services.intake import feedback_submit
from minqing.ledger.views.follow import NOTICES, track_context
from minqing.notify.forms import FollowForm, SendCodeForm
from minqing.orgs.actors import SYSTEM
from minqing.photos.services import photos_attach_to_feedback, prepare_uploads
from minqing.reports.dashboard.assets import echarts_available
from minqing.reports.dashboard.geo import GEO_FILES

log = logging.getLogger(__name__)
RATE_SCOPE = "public_submit"
RETRY_AFTER_S = 5
IDEMPOTENCY_HEADER = "Idempotency-Key"
# the place picker's submit buttons (a search, a step down the cascade, a search result): they
# show the page again, they never submit the report
PICKER_STEPS = ("search", "next", "pick")


def idempotency_key(request: HttpRequest, token: str) -> str | None:
    """The header's key (bound to the client, so strangers' keys never collide), else the form's token."""
    header = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if header:
        digest = hashlib.sha256(f"{client_ip(request) or ''}|{header[:200]}".encode()).hexdigest()
        return f"h:{digest[:60]}"
    return f"f:{token}" if token else None


@dataclass(frozen=True)
class Picker:
    """The place picker's state on the page: the cascade, and a search's results (None: no search)."""

    cascade: places.Cascade
    results: list[places.Place] | None = None
    q: str = ""


def _submit_page(
    request: HttpRequest, form: PublicSubmitForm, picker: Picker, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "picker": picker,
        "nav": "submit",
        "echarts": echarts_available(),
        "geo_files": [g.static for g in GEO_FILES],
    }
    return render(request, "public/submit.html", context, status=status)


def _picker_of(form: PublicSubmitForm) -> Picker:
    """The picker as the form's data left it (a page shown again with its errors; the form is
    validated, and its ``clean`` already read the cascade and the picked unit into ``unit_obj``)."""
    return Picker(places.cascade(form.cleaned_data.get("unit_obj")))


def _picker_step(request: HttpRequest) -> HttpResponse:
    """A search or a step down the cascade without JavaScript: the same page again with every
    field kept, nothing checked, nothing stored."""
    data = request.POST
    q = str(data.get("unit_code", "")).strip()[: places.QUERY_MAX]
    chosen = places.cascade_choice(data) or places.unit_by_code(str(data.get("unit", "")))
    results = None
    if "pick" in data:  # a search result
        chosen = places.unit_by_code(str(data["pick"])) or chosen
    elif "search" in data:
        results = places.search(q)
        exact = places.unit_by_code(q)
        if exact is not None:  # a code typed whole is a choice
            chosen = exact
    return _submit_page(
        request, PublicSubmitForm.kept(data, chosen), Picker(places.cascade(chosen), results, q)
    )


def _done(request: HttpRequest, fb: Feedback) -> HttpResponse:
    """The success page: the code with a copy button, its QR code, "send to my phone" and
    "tell me of each change" (views/follow.py does both)."""
    context = {
        "code": fb.tracking_code,
        "send_form": SendCodeForm(),
        "follow_form": FollowForm(),
        "nav": "submit",
    }
    return render(request, "public/submitted.html", context)


@never_cache
def submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        q = request.GET.get("q", "").strip()[: places.QUERY_MAX]  # a search link: ?q=红旗
        form = PublicSubmitForm(initial={"token": new_token(), "unit_code": q})
        return _submit_page(request, form, Picker(places.cascade(None), places.search(q) if q else None, q))
    if any(step in request.POST for step in PICKER_STEPS):
        return _picker_step(request)
    form = PublicSubmitForm(request.POST)
    token = request.POST.get("token", "")
    key = idempotency_key(request, token if form.fields["token"].clean(token) else "")
    if key:
        earlier = Feedback.objects.filter(idempotency_key=key).first()
        if earlier is not None:  # a replay: the same answer, nothing new, not counted
            return _done(request, earlier)
    ip = client_ip(request) or "unknown"
    limit, window = settings.MINQING_PUBLIC_RATE_LIMIT, settings.MINQING_PUBLIC_RATE_WINDOW
    if rate_exceeded(scope=RATE_SCOPE, client=ip, limit=limit, window=window):
        form.is_valid()
        form.add_error(None, DomainError(ErrorCode.RATE_LIMITED).message)
        return _submit_page(request, form, _picker_of(form), status=429)
    if not form.is_valid():
        return _submit_page(request, form, _picker_of(form))
    d = form.cleaned_data
    try:  # photos (minqing.photos): checked and re-encoded before the transaction, stored in it
        photos = prepare_uploads(request.FILES.getlist("photos"))
    except DomainError as err:
        form.add_error(None, err.message)
        return _submit_page(request, form, _picker_of(form))
    try:
        # one transaction with its audit rows: stored and acknowledged, or neither (a submission
        # that fails also gives its count back)
        with transaction.atomic(), written_before_commit():
            if not rate_take(scope=RATE_SCOPE, client=ip, limit=limit, window=window):
                raise DomainError(ErrorCode.RATE_LIMITED)
            fb = feedback_submit(
                actor=SYSTEM,  # the public form: anyone may report, the system registers it
                channel=Channel.ONLINE,
                title=d["title"],
                content=d["content"],
                unit=d["unit_obj"],
                reporter=form.reporter(),
                anonymous=bool(d.get("anonymous")),
                idempotency_key=key,
            )
            photos_attach_to_feedback(actor=SYSTEM, feedback=fb, prepared=photos)
    except DomainError as err:
        form.add_error(None, err.message)
        status = 429 if err.code == ErrorCode.RATE_LIMITED else 200
        return _submit_page(request, form, _picker_of(form), status=status)
    except OperationalError:
        # the database stayed busy (another writer past the busy timeout) or went away: nothing
        # was stored; the page says so and keeps what was typed, to send again
        log.warning("public submission not stored: database busy or unavailable", exc_info=True)
        form.add_error(None, DomainError(ErrorCode.SUBMIT_BUSY).message)
        response = _submit_page(request, form, _picker_of(form), status=503)
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response
    return _done(request, fb)


def track_form(request: HttpRequest) -> HttpResponse:
    code = selectors.normalise_tracking_code(request.GET.get("code", ""))
    if code:
        return redirect("public:track", code=code[:16])
    return render(request, "public/track.html", {"code": "", "nav": "track"})


@never_cache
def track(request: HttpRequest, code: str) -> HttpResponse:
    """The reporter's page: what they reported, where it stands, its public timeline; how to be
    told of changes, and the rating once it is resolved. A code typed with spaces, dashes or in
    lower case is the same code (redirected to its plain form)."""
    tracking = selectors.public_tracking(code)
    if tracking is None:
        error = DomainError(ErrorCode.TRACKING_CODE_UNKNOWN).message
        return render(
            request, "public/track.html", {"code": code[:16], "error": error, "nav": "track"}, status=404
        )
    if code != tracking.code:
        return redirect("public:track", code=tracking.code)
    fb = Feedback.objects.select_related("problem").get(pk=tracking.feedback_id)
    context: dict[str, object] = track_context(tracking, fb)
    done = request.GET.get("done", "")
    context["notice"] = done if done in NOTICES else ""
    return render(request, "public/track.html", context)


@replica_reads
def problem_list(request: HttpRequest) -> HttpResponse:
    filters = PublicFilters.from_mapping(request.GET)
    page = selectors.public_problem_list(filters, request.GET)
    context = {
        "filters": filters,
        "page_obj": page,
        "rows": selectors.public_list_rows(page),
        "unit_error": bool(filters.unit) and selectors.public_unit_lookup(filters.unit) is None,
        "states": [(v, label) for v, label in State.choices if v != State.MERGED],
        "sources": Source.choices,
        "nav": "problems",
    }
    return render(request, "public/problems.html", context)
