"""What every API call goes through before its endpoint (``/api/`` and ``/open311/``):

- a body over ``MINQING_API_MAX_BODY`` bytes is refused with 413 before it is read;
- a POST with an ``Idempotency-Key`` header runs at most once per caller and key: the endpoint
  runs inside one transaction that first claims the key (an ``IdempotentAnswer`` row, unique per
  caller and key) and, on success, keeps the answer; a retry, or a racing twin (its claim waits
  on the unique index until the first commits), gets the first answer again with
  ``Idempotent-Replayed: true``. An answer of 4xx/5xx is not kept: its writes roll back and a
  retry runs again. The same key with a different body answers 422.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from minqing.api.errors import error_response
from minqing.api.models import IdempotentAnswer
from minqing.core.audit import client_ip

HEADER = "Idempotency-Key"
PREFIXES = ("/api/", "/open311/")


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def caller_digest(request: HttpRequest) -> str:
    """Who is calling, without knowing yet who they are: the credential presented (a header or an
    ``api_key`` field), else the client address. Keys of different callers never meet."""
    credential = request.headers.get("Authorization", "")
    if not credential and request.content_type == "application/x-www-form-urlencoded":
        credential = request.POST.get("api_key", "")
    if not credential:
        credential = f"ip:{client_ip(request) or ''}"
    return hashlib.sha256(credential.encode("utf-8")).hexdigest()


def _replay(answer: IdempotentAnswer, fingerprint: str) -> HttpResponse:
    if answer.fingerprint != fingerprint:
        return error_response("IDEMPOTENCY_MISMATCH", 422, field=HEADER)
    response = HttpResponse(bytes(answer.body), status=answer.status, content_type=answer.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


class ApiRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIXES):
            return self.get_response(request)
        limit = int(settings.MINQING_API_MAX_BODY)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return error_response("TOO_LARGE", 413, max=limit)
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > 255 or not key.isprintable():
            return error_response("IDEMPOTENCY_BAD_KEY", 400, field=HEADER)
        return self._once(request, key)

    def _once(self, request: HttpRequest, key: str) -> HttpResponse:
        body = request.body  # read before the view (it may read POST)
        caller = caller_digest(request)
        fingerprint = hashlib.sha256(request.path.encode() + b"\n" + body).hexdigest()
        earlier = IdempotentAnswer.objects.filter(caller=caller, key=key).first()
        if earlier is not None:
            return _replay(earlier, fingerprint)
        try:
            with transaction.atomic():
                answer = IdempotentAnswer.objects.create(
                    caller=caller,
                    key=key,
                    method="POST",
                    path=request.path[:500],
                    fingerprint=fingerprint,
                    status=0,
                    content_type="",
                    body=b"",
                )
                response = self.get_response(request)
                if response.status_code >= 400 or response.streaming:
                    raise _Refused(response)
                answer.status = response.status_code
                answer.content_type = response.get("Content-Type", "application/json")
                answer.body = response.content
                answer.save(update_fields=["status", "content_type", "body"])
                return response
        except _Refused as refused:
            return refused.response
        except IntegrityError:
            # a twin claimed the key first and has committed: answer as it did
            twin = IdempotentAnswer.objects.filter(caller=caller, key=key).first()
            if twin is None:
                raise
            return _replay(twin, fingerprint)
