"""The Open311 GeoReport v2 endpoints (``/open311/v2/``): thin views that read the format from
the path's extension, sign the caller in by ``api_key`` and call the selectors and services.

A key is the same as the REST API's (``minqing.api.keys``) and needs the ``open311`` scope;
POSTs require one, GETs take one optionally (a key widens what is seen to its holder's subtree).
Errors are the spec's error lists with the spec's status codes (``formats.Open311Error``)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from minqing.api import limits
from minqing.api.errors import DOMAIN_STATUS
from minqing.api.keys import credential_for
from minqing.api.middleware import prefers_async
from minqing.api.scopes import Scope
from minqing.core.errors import DomainError
from minqing.open311 import selectors, services
from minqing.open311.formats import FORMATS, Open311Error, error_response, respond
from minqing.orgs.actors import Actor

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-06T00:00:00+08:00"  # the last change of this endpoint's behaviour

View = Callable[..., HttpResponse]


def open311(methods: tuple[str, ...]) -> Callable[[View], View]:
    """A GeoReport endpoint: the format checked, the method checked, errors as error lists."""

    def wrap(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def inner(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            fmt = fmt.lower()
            try:
                if fmt not in FORMATS:
                    raise Open311Error(404, _("不支持的格式 .{fmt}:请用 .xml 或 .json").format(fmt=fmt))
                if request.method not in methods:
                    response = error_response(fmt, Open311Error(405, _("不支持该请求方法")))
                    response["Allow"] = ", ".join(methods)
                    return response
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                response = error_response(fmt, error)
                if error.status == 429:
                    response["Retry-After"] = str(getattr(error, "retry_after", 60))
                return response
            except DomainError as error:
                return error_response(fmt, Open311Error(DOMAIN_STATUS.get(error.code, 400), error.message))
            except Http404:
                return error_response(fmt, Open311Error(404, _("找不到该记录,或您无权查看")))

        return inner

    return wrap


def _params(request: HttpRequest) -> QueryDict:
    return request.POST if request.method == "POST" else request.GET


def caller(request: HttpRequest, required: bool) -> Actor | None:
    """Who calls: the holder of ``api_key`` (or of an ``Authorization: Bearer`` key), which must
    carry the ``open311`` scope; ``None`` for an anonymous GET. A missing key where one is
    required, or a wrong, revoked or expired one: 403 (the spec's status)."""
    raw = _params(request).get("api_key", "").strip()
    if not raw:
        header = request.headers.get("Authorization", "")
        raw = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if not raw:
        if required:
            raise Open311Error(403, _("缺少 api_key"))
        return None
    credential = credential_for(raw)
    if credential is None:
        raise Open311Error(403, _("api_key 无效、已吊销或已过期"))
    wait = limits.take(f"key:{credential.key.prefix}")
    if wait is not None:
        error = Open311Error(429, _("请求过于频繁,请 {seconds} 秒后再试").format(seconds=wait))
        error.retry_after = wait  # type: ignore[attr-defined]
        raise error
    if not credential.allows(Scope.OPEN311):
        raise Open311Error(403, _("该密钥没有“{scope}”权限范围").format(scope=Scope.OPEN311))
    request.api_actor = credential.actor  # type: ignore[attr-defined]  # the audit names it
    return credential.actor


def _jurisdiction(request: HttpRequest) -> Any:
    return selectors.jurisdiction(_params(request).get("jurisdiction_id"))


@open311(("GET",))
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    payload = {
        "changeset": CHANGESET,
        "contact": settings.MINQING_OPEN311_CONTACT,
        "key_service": _("接口密钥由所属单位的办公室在“接入应用”中签发(需 open311 权限范围)"),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base.rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", payload)


@open311(("GET",))
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", selectors.service_list(_jurisdiction(request)))


@open311(("GET",))
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = selectors.offered_category(_jurisdiction(request), code)
    if category is None:
        raise Open311Error(404, _("找不到服务 service_code={code}").format(code=code))
    return respond(fmt, "service_definition", selectors.service_definition(category))


def _attributes(data: QueryDict) -> dict[str, list[str]]:
    """``attribute[code]`` (repeated for a multi-value list) and ``attribute[code][]``."""
    out: dict[str, list[str]] = {}
    for key in data:
        if key.startswith("attribute[") and key.endswith("]"):
            code = key[len("attribute[") : -1].removesuffix("][")
            out.setdefault(code, []).extend(data.getlist(key))
    return out


def _request_input(data: QueryDict) -> services.RequestInput:
    return services.RequestInput(
        service_code=data.get("service_code", "").strip(),
        description=data.get("description", ""),
        lat=data.get("lat", "").strip(),
        long=data.get("long", "").strip(),
        address_string=data.get("address_string", ""),
        address_id=data.get("address_id", ""),
        media_url=data.get("media_url", "").strip(),
        attributes=_attributes(data),
        first_name=data.get("first_name", "").strip(),
        last_name=data.get("last_name", "").strip(),
        phone=data.get("phone", "").strip(),
        email=data.get("email", "").strip(),
        device_id=data.get("device_id", ""),
        account_id=data.get("account_id", ""),
        channel=data.get("channel", "").strip(),
    )


@open311(("GET", "POST"))
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        actor = caller(request, required=True)
        assert actor is not None
        queue = bool(settings.MINQING_OPEN311_QUEUE) or prefers_async(request)
        kept = services.request_accept(
            actor=actor, jurisdiction=_jurisdiction(request), data=_request_input(request.POST), queue=queue
        )
        answer: dict[str, Any] = (
            {"token": kept.token}
            if kept.problem is None
            else {"service_request_id": kept.problem.number, "token": kept.token}
        )
        answer["service_notice"] = (
            _("已收到,正在登记;请用 token 查询编号")
            if kept.problem is None
            else _("已登记,办理进度可按编号查询")
        )
        answer["account_id"] = kept.account_id or None
        return respond(fmt, "service_requests", [answer])
    actor = caller(request, required=False)
    unit = _jurisdiction(request)
    filters = selectors.request_filters(request.GET)
    found = selectors.find_requests(actor, unit, filters)
    extensions = request.GET.get("extensions", "").lower() == "true"
    return respond(fmt, "service_requests", selectors.request_rows(actor, found, extensions))


@open311(("GET",))
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    actor = caller(request, required=False)
    problem = selectors.find_request(actor, _jurisdiction(request), service_request_id)
    extensions = request.GET.get("extensions", "").lower() == "true"
    return respond(fmt, "service_requests", selectors.request_rows(actor, [problem], extensions))


@open311(("GET",))
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    kept = selectors.token_request(token)
    if kept.failure:
        raise Open311Error(400, kept.failure)
    number = kept.problem.number if kept.problem is not None else None
    return respond(fmt, "service_requests", [{"service_request_id": number, "token": kept.token}])


@open311(("GET", "POST"))
def updates(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        actor = caller(request, required=True)
        assert actor is not None
        data = request.POST
        update = services.UpdateInput(
            service_request_id=data.get("service_request_id", ""),
            update_id=data.get("update_id", ""),
            status=data.get("status", ""),
            updated_datetime=data.get("updated_datetime", ""),
            description=data.get("description", ""),
            media_url=data.get("media_url", "").strip(),
            resolution_kind=data.get("resolution_kind", "").strip(),
        )
        event_id = services.update_apply(actor=actor, jurisdiction=_jurisdiction(request), data=update)
        return respond(fmt, "service_request_updates", [{"update_id": str(event_id)}])
    actor = caller(request, required=False)
    rows = selectors.find_updates(actor, _jurisdiction(request), request.GET)
    return respond(fmt, "service_request_updates", rows)
