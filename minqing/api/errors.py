"""Every API error has one shape: ``{"code", "message_zh", "message_en", "field"}``.

``code`` is a stable upper-case name (the ``ErrorCode`` member for domain errors); the two
messages are the same text in Chinese and in English; ``field`` names the input at fault, or is
``null``.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from ninja import Schema

from minqing.core.errors import DomainError, ErrorCode

# Errors of the API itself (not of a domain rule): a code and its Chinese message, translated.
API_ERRORS: dict[str, Promise] = {
    "UNAUTHENTICATED": _("缺少有效的接口密钥或个人令牌(Authorization: Bearer …),或密钥已吊销、已过期"),
    "SCOPE_MISSING": _("该密钥没有“{scope}”权限范围"),
    "NOT_FOUND": _("找不到该记录,或您无权查看"),
    "VALIDATION": _("输入不正确:{detail}"),
    "RATE_LIMITED": _("请求过于频繁,请 {seconds} 秒后再试"),
    "TOO_LARGE": _("请求体超过 {max} 字节的上限"),
    "IDEMPOTENCY_MISMATCH": _("该 Idempotency-Key 已用于内容不同的请求"),
    "IDEMPOTENCY_BAD_KEY": _("Idempotency-Key 应为 1 到 255 个可见字符"),
    "IDEMPOTENCY_IN_PROGRESS": _("使用该 Idempotency-Key 的请求仍在处理中,请稍后重试"),
    "BAD_CURSOR": _("分页游标不正确"),
    "METHOD_NOT_ALLOWED": _("不支持该请求方法"),
    "SERVER_ERROR": _("服务器内部错误,请稍后重试"),
    "UNAVAILABLE": _(
        "数据库暂时无法连接,本次请求没有保存任何内容,请 {seconds} 秒后用同一 Idempotency-Key 重试"
    ),
    # people and check-in (minqing/api/routers/activities.py)
    "PERSON_NUMBERS_UNKNOWN": _("人员编号不存在:{numbers}"),
    "CHECKIN_NUMBER_UNKNOWN": _("人员编号不存在"),
    "CHECKIN_NAME_MISMATCH": _("姓名与人员编号不符,请核对后重新填写"),
    "CHECKIN_WHO": _("请填写人员编号,或填写姓名和手机号码后 {digits} 位"),
    "CHECKIN_AMBIGUOUS": _("有不止一位同名人员的手机号码以这几位结尾,请多填几位手机号码,或填写人员编号"),
    "CHECKIN_NO_MATCH": _("没有找到姓名和手机号码相符的人员,请核对后重新填写,或填写人员编号"),
}


class ErrorOut(Schema):
    """The error shape, for the OpenAPI document's error answers."""

    code: str
    message_zh: str
    message_en: str
    field: str | None = None


DOMAIN_STATUS: dict[ErrorCode, int] = {
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.TRANSITION_ROLE: 403,
    ErrorCode.UNIT_NOT_FOUND: 404,
    ErrorCode.TRACKING_CODE_UNKNOWN: 404,
    ErrorCode.TRANSITION_NOT_ALLOWED: 409,
    ErrorCode.TRANSITION_STALE: 409,
    ErrorCode.ALREADY_CLAIMED: 409,
    ErrorCode.RATE_LIMITED: 429,
}


def _both(text: Promise, params: dict[str, Any]) -> tuple[str, str]:
    with override("zh-hans"):
        zh = str(text).format(**params)
    with override("en"):
        en = str(text).format(**params)
    return zh, en


def envelope(code: str, *, field: str | None = None, **params: Any) -> dict[str, Any]:
    zh, en = _both(API_ERRORS[code], params)
    return {"code": code, "message_zh": zh, "message_en": en, "field": field}


def domain_envelope(error: DomainError) -> dict[str, Any]:
    zh, en = _both(error.code.template, error.params)
    field = error.params.get("field")
    return {"code": error.code.name, "message_zh": zh, "message_en": en, "field": field}


def error_response(
    code: str, status: int, *, field: str | None = None, headers: dict[str, str] | None = None, **params: Any
) -> HttpResponse:
    response = JsonResponse(
        envelope(code, field=field, **params), status=status, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def domain_error_response(error: DomainError) -> HttpResponse:
    status = DOMAIN_STATUS.get(error.code, 400)
    return JsonResponse(domain_envelope(error), status=status, json_dumps_params={"ensure_ascii": False})


class ApiError(Exception):
    """Raise in an endpoint to answer with the envelope: ``raise ApiError("NOT_FOUND", 404)``."""

    def __init__(
        self,
        code: str,
        status: int,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.field = field
        self.headers = headers or {}
        self.params = params

    def response(self, request: HttpRequest | None = None) -> HttpResponse:
        return error_response(self.code, self.status, field=self.field, headers=self.headers, **self.params)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The project's 404 view (``config.urls.handler404``): a path under ``/api/`` that matches no
    route (``/api/v1/programmes/-1``: the route takes a positive number) answers the envelope,
    as the API's own 404s do; every other path, Django's page."""
    if request.path.startswith("/api/"):
        return error_response("NOT_FOUND", 404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception or Exception())
