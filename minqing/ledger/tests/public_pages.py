"""Every public page (no login) with real data behind it, for the browser checks of issue 14
part 6 (320 px, the first-visit budget, axe-core): the form, the tracking form, the tracking page
of a resolved problem (with its rating and follow forms), an unknown code, the published list,
and the unsubscribe pages (a valid link and a broken one)."""

from typing import Any

from minqing.ledger.enums import Action, ResolutionKind
from minqing.ledger.services.workflow import problem_transition
from minqing.notify import services as notify
from minqing.notify.tokens import unsubscribe_token


def public_pages(base: str, lw: Any) -> dict[str, str]:
    fb = lw.submit(unit_key="village_a")
    p = problem_transition(
        actor=lw.users["county_intake"],
        problem=fb.problem,
        action=Action.ASSIGN,
        responsible_unit=lw.u["town_a"],
    )
    p = problem_transition(actor=lw.users["a_staff"], problem=p, action=Action.ACCEPT)
    problem_transition(
        actor=lw.users["a_staff"], problem=p, action=Action.RESOLVE, resolution_kind=ResolutionKind.RECTIFIED
    )
    sub = notify.subscribe(feedback=fb, channel="email", address="resident@example.com")
    return {
        "submit": f"{base}/public/submit/",
        "track_form": f"{base}/public/track/",
        "track": f"{base}/public/track/{fb.tracking_code}/",
        "track_unknown": f"{base}/public/track/NOPE2345/",
        "problems": f"{base}/public/problems/",
        "unsubscribe": f"{base}/notify/unsubscribe/{unsubscribe_token(subscription_id=sub.pk)}/",
        "unsubscribe_broken": f"{base}/notify/unsubscribe/broken/",
    }
