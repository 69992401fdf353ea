from typing import Any

from django.http import HttpRequest

from minqing.ledger.models import Notification
from minqing.orgs.actors import user_of


def unread(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: the user's unread count for the top bar. A callable, so the one
    query (on the ``user, read_at`` index) runs only when a page shows it."""
    user = user_of(getattr(request, "user", None))
    if user is None:
        return {"unread_notifications": 0}
    unread_qs = Notification.objects.filter(user=user, read_at__isnull=True)
    return {"unread_notifications": unread_qs.count}
