"""The REST API, version 1 (django-ninja): ``/api/v1/``; its OpenAPI document at
``/api/v1/openapi.json`` and the docs page at ``/api/v1/docs`` (Swagger UI from the installed
package, no CDN). Endpoints are thin: they call the same services and selectors as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from minqing.api.auth import KeyAuth
from minqing.api.errors import ApiError, domain_error_response, error_response
from minqing.core.errors import DomainError, ErrorCode

api = NinjaAPI(
    title="民情 Minqing API",
    version="1",
    description=(
        "民情开放接口:单位与网格、人员、专题、活动与签到、问题台账及其办理、督导、项目、目录、简报与看板。"
        "错误统一为 {code, message_zh, message_en, field}。\n\n"
        "Minqing open API. Every error is {code, message_zh, message_en, field}. "
        "Lists use cursor pagination (cursor, limit); every POST accepts an Idempotency-Key header. "
        "See docs/api.md."
    ),
    auth=KeyAuth(),
    urls_namespace="api-v1",
)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return exc.response(request)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return domain_error_response(exc)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response("UNAUTHENTICATED", 401, headers={"WWW-Authenticate": "Bearer"})


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return domain_error_response(DomainError(ErrorCode.PERMISSION_DENIED))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response("NOT_FOUND", 404)


def _field_of(error: dict[str, Any]) -> str | None:
    loc = [
        str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "form", "payload")
    ]
    return ".".join(loc) or None


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    detail = "; ".join(f"{_field_of(e) or '-'}: {e.get('msg', '')}" for e in exc.errors[:5])
    return error_response("VALIDATION", 422, field=_field_of(first), detail=detail)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {401: "UNAUTHENTICATED", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "TOO_LARGE"}.get(
        exc.status_code, "VALIDATION"
    )
    if code == "VALIDATION":
        return error_response(code, exc.status_code, detail=str(exc))
    if code == "TOO_LARGE":
        return error_response(code, exc.status_code, max=0)
    return error_response(code, exc.status_code)


def _register_routers() -> None:
    from minqing.api.routers import units

    api.add_router("/units", units.router)


_register_routers()
