"""The server-error handler (``handler500``): when the database cannot be reached (a restart, a
failover, PgBouncer waiting to log in again), the answer is 503 with ``Retry-After`` and says that
nothing was saved, in the API's JSON envelope under ``/api/`` and as a page elsewhere; any other
error keeps the 500 page. A client that retries with the same Idempotency-Key creates nothing twice.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

from minqing.api.errors import envelope

RETRY_AFTER_S = 5
MESSAGE = _("数据库暂时无法连接,本次操作没有保存。请 {seconds} 秒后重试。")


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if not isinstance(exc, OperationalError | InterfaceError):
        return HttpResponse(loader.render_to_string("500.html"), status=500)
    if request.path.startswith("/api/"):
        body = envelope("UNAVAILABLE", seconds=RETRY_AFTER_S)
        response: HttpResponse = JsonResponse(body, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        page = loader.render_to_string("503.html", {"message": str(MESSAGE).format(seconds=RETRY_AFTER_S)})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response
