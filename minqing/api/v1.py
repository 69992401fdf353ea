"""The REST API, version 1 (django-ninja): ``/api/v1/``; its OpenAPI document at
``/api/v1/openapi.json`` and the docs page at ``/api/v1/docs`` (Swagger UI from the installed
package, no CDN). Endpoints are thin: they call the same services and selectors as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from minqing.api.auth import KeyAuth
from minqing.api.errors import ApiError, ErrorOut, domain_error_response, error_response
from minqing.core.errors import DomainError, ErrorCode

# The error answers any operation may give, whatever its own declarations (found by schemathesis,
# issue 12): 400 a bad cursor, a domain rule or a bad Idempotency-Key; 401 no valid key; 403 a
# missing scope or role; 404 an unknown record or one outside the subtree (also a filter's unit);
# 422 an input that does not validate; 429 the key's rate limit; on POST 409 a stale or
# disallowed transition and 413 a body over the size limit. Every one is the ``ErrorOut`` envelope.
COMMON_ERRORS = (400, 401, 403, 404, 422, 429)
POST_ERRORS = (409, 413)


class MinqingAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        return declare_error_answers(schema)


def declare_error_answers(schema: Any) -> Any:
    """Declare the API-wide error answers (``COMMON_ERRORS``, ``POST_ERRORS``) on every operation
    that does not declare them itself, with the ``ErrorOut`` schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            statuses = COMMON_ERRORS + (POST_ERRORS if method == "post" else ())
            responses = operation.setdefault("responses", {})
            declared = {str(status) for status in responses}
            for status in statuses:
                if str(status) not in declared:
                    responses[status] = {
                        "description": "错误 / error",
                        "content": {"application/json": {"schema": ref}},
                    }
    return schema


api = MinqingAPI(
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


@api.exception_handler(DataError)
def _bad_data(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database cannot hold (PostgreSQL: a NUL character in a text parameter) is the
    caller's input, not a server error (schemathesis found the 500 on PostgreSQL)."""
    return error_response("VALIDATION", 422, detail=str(exc).splitlines()[0][:200])


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
    from minqing.api.routers import (
        activities,
        campaigns,
        catalogues,
        outreach,
        people,
        problems,
        programmes,
        reports,
        supervision,
        units,
    )

    api.add_router("/units", units.router)
    api.add_router("/people", people.router)
    api.add_router("/households", people.households_router)
    api.add_router("/campaigns", campaigns.router)
    api.add_router("/activities", activities.router)
    api.add_router("/research", outreach.research_router)
    api.add_router("/visits", outreach.visits_router)
    api.add_router("/problems", problems.router)
    api.add_router("/supervision", supervision.router)
    api.add_router("/programmes", programmes.router)
    api.add_router("/catalogues", catalogues.router)
    api.add_router("/reports", reports.router)


_register_routers()
