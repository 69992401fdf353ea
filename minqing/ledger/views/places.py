"""The place picker's JSON (no login; issue 14 part 1): read by ``ledger/place-picker.js`` on the
online form, so the cascade and the search work without reloading the page.

``GET /public/places/``: the cascade with nothing chosen (every county); ``?code=CODE``: the
cascade with that place chosen (its county's townships, its township's villages);
``?q=TEXT``: the places whose name contains the text or whose code starts with it.
``POST /public/places/locate/`` (``lat``, ``lon``; the form's CSRF token): the county holding
the point, by the shipped county boundaries, with the cascade on it. The point is neither stored
nor logged.

Only territorial units' codes, names and parents' names: nothing personal. Reads are limited
per client address (``MINQING_PUBLIC_LOOKUP_LIMIT`` per ``MINQING_PUBLIC_LOOKUP_WINDOW``
seconds), counted in the Django cache so a read never writes to the database (each worker
counts on its own unless ``MINQING_CACHE_URL`` gives a shared cache).
"""

import math
from enum import Enum

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from minqing.core.audit import client_ip
from minqing.core.ratelimit import cache_take
from minqing.ledger import places
from minqing.orgs.importers.unit_values import UNIT_CODE_RE


class PlaceError(Enum):
    BAD_CODE = _("单位代码格式不正确:只能由字母、数字和 - _ . 组成,不超过 32 个字符")
    BAD_QUERY = _("查找的文字不能超过 50 个字")
    CODE_AND_QUERY = _("请只给出 code 或 q 中的一个")
    UNKNOWN_CODE = _("找不到该地点(只能选择省、市、旗县、乡镇街道、村社区)")
    BAD_POINT = _("位置不正确:lat 应为 -90 到 90 之间的纬度,lon 应为 -180 到 180 之间的经度")
    OUTSIDE = _("您的位置不在本系统已有地图的旗县范围内,请在下面逐级选择")
    RATE_LIMITED = _("查询过于频繁,请稍后再试")

    def response(self, status: int) -> JsonResponse:
        return JsonResponse({"error": str(self.value)}, status=status)


def _over_limit(request: HttpRequest) -> int:
    """Count one read of this client: 0 when it may go on, else the seconds to wait."""
    wait = cache_take(
        prefix="mq-public-places",
        client=client_ip(request) or "unknown",
        limit=int(settings.MINQING_PUBLIC_LOOKUP_LIMIT),
        window=int(settings.MINQING_PUBLIC_LOOKUP_WINDOW),
    )
    return wait or 0


def _limited(wait: int) -> JsonResponse:
    response = PlaceError.RATE_LIMITED.response(429)
    response["Retry-After"] = str(wait)
    return response


def _answer(payload: dict[str, object]) -> JsonResponse:
    response = JsonResponse(payload)
    # the tree changes seldom; private: the level labels follow the language the user chose
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def places_json(request: HttpRequest) -> JsonResponse:
    wait = _over_limit(request)
    if wait:
        return _limited(wait)
    code = request.GET.get("code", "").strip()
    q = request.GET.get("q", "").strip()
    if code and q:
        return PlaceError.CODE_AND_QUERY.response(400)
    if q:
        if len(q) > places.QUERY_MAX:
            return PlaceError.BAD_QUERY.response(400)
        return _answer({"q": q, "results": [p.as_json() for p in places.search(q)]})
    if code:
        if not UNIT_CODE_RE.match(code):
            return PlaceError.BAD_CODE.response(400)
        unit = places.unit_by_code(code)
        if unit is None:
            return PlaceError.UNKNOWN_CODE.response(404)
        return _answer(places.cascade(unit).as_json())
    return _answer(places.cascade(None).as_json())


def _coordinate(text: str, bound: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and -bound <= value <= bound else None


@require_POST
def locate(request: HttpRequest) -> JsonResponse:
    wait = _over_limit(request)
    if wait:
        return _limited(wait)
    lat = _coordinate(request.POST.get("lat", "")[:40], 90)
    lon = _coordinate(request.POST.get("lon", "")[:40], 180)
    if lat is None or lon is None:
        return PlaceError.BAD_POINT.response(400)
    county = places.county_of_point(lat, lon)
    if county is None:
        return PlaceError.OUTSIDE.response(404)
    return JsonResponse(places.cascade(county).as_json())
