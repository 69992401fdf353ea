"""An SMS provider reached by one HTTP POST with a JSON body, configured by settings:

- ``MINQING_SMS_URL``: the provider's endpoint (required);
- ``MINQING_SMS_KEY``: sent as ``Authorization: Bearer <key>`` when set;
- ``MINQING_SMS_TEMPLATE``: the JSON body, in which every string value has ``{phone}`` and
  ``{text}`` replaced (default ``{"phone": "{phone}", "text": "{text}"}``), so most providers'
  shapes (``{"to": ..., "content": ..., "sign": "民情"}``) need no code;
- ``MINQING_SMS_TIMEOUT``: seconds (default 10).

A 2xx answer is a success; anything else, or no answer, raises ``SendError`` (retried later).
"""

import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from minqing.notify.senders import Message, SendError

DEFAULT_TEMPLATE = '{"phone": "{phone}", "text": "{text}"}'


def _fill(value: Any, phone: str, text: str) -> Any:
    if isinstance(value, str):
        return value.replace("{phone}", phone).replace("{text}", text)
    if isinstance(value, dict):
        return {k: _fill(v, phone, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, phone, text) for v in value]
    return value


def request_body(phone: str, text: str) -> bytes:
    template = json.loads(getattr(settings, "MINQING_SMS_TEMPLATE", "") or DEFAULT_TEMPLATE)
    return json.dumps(_fill(template, phone, text), ensure_ascii=False).encode("utf-8")


class HttpJsonSmsSender:
    def send(self, message: Message) -> None:
        url = getattr(settings, "MINQING_SMS_URL", "")
        if not url:
            raise SendError("MINQING_SMS_URL is not set")
        if not url.startswith(("http://", "https://")):
            raise SendError("MINQING_SMS_URL must be an http(s) URL")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        key = getattr(settings, "MINQING_SMS_KEY", "")
        if key:
            headers["Authorization"] = f"Bearer {key}"
        req = urllib.request.Request(url, data=request_body(message.to, message.body), headers=headers)
        timeout = float(getattr(settings, "MINQING_SMS_TIMEOUT", 10))
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status = resp.status
        except urllib.error.HTTPError as err:
            raise SendError(f"SMS provider answered {err.code}") from err
        except (urllib.error.URLError, OSError) as err:
            raise SendError(f"SMS provider unreachable: {err}") from err
        if not 200 <= status < 300:
            raise SendError(f"SMS provider answered {status}")
