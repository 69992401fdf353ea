"""After the fault test's load: wait for the queued jobs, then count, straight from the primary,
what was acknowledged against what was stored, and what was queued against what ran."""

import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from minqing.ops.prodcheck.load import QUEUED, Load
from minqing.ops.prodcheck.stack import HUEY_THREADS, JOB_WORKER_KILLS, Stack
from minqing.webhooks import signing
from minqing.webhooks.tests.receiver import Receiver

MARKER = re.compile(r"pc-[0-9a-f]{12}")
# Sending is at least once: a job worker killed between the provider's (or the receiver's) answer
# and the row's commit sends that one again. Only what the killed worker's threads had in flight
# can go twice, so more than one per thread per kill is a fault; a database restart must cause
# none (the outcome is written once it is back: core/db_retry.py).
RESEND_BOUND = HUEY_THREADS * JOB_WORKER_KILLS
DRAIN_S = 300  # the outbox and webhook sweeps run every minute: a job cut off by a kill waits for one


def _rows(stack: Stack, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    assert stack.primary is not None
    with stack.primary.connect() as c:
        return list(c.execute(sql, params).fetchall())


def _drained(stack: Stack, overdue: list[str]) -> dict[str, int]:
    (outbox,) = _rows(stack, "SELECT count(*) FROM notify_outboxmessage WHERE state = 'pending'")[0]
    (hooks,) = _rows(stack, "SELECT count(*) FROM webhooks_delivery WHERE status = 'pending'")[0]
    (queued,) = _rows(stack, "SELECT count(*) FROM api_queuedregistration WHERE state = 'queued'")[0]
    (flagged,) = _rows(
        stack, "SELECT count(*) FROM ledger_problem WHERE number = ANY(%s) AND overdue", [overdue]
    )[0]
    return {
        "outbox_pending": outbox,
        "webhooks_pending": hooks,
        "registrations_queued": queued,
        "overdue_unflagged": len(overdue) - flagged,
    }


def verify(stack: Stack, load: Load, receiver: Receiver, setup: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + DRAIN_S
    while True:
        left = _drained(stack, setup["overdue"])
        if not any(left.values()) or time.monotonic() > deadline:
            break
        time.sleep(2)
    tally = load.tally

    # submissions: each acknowledged one stored exactly once, under the code it was answered with
    stored: Counter[str] = Counter()
    codes: dict[str, set[str]] = {}
    for title, code in _rows(
        stack, "SELECT title, tracking_code FROM ledger_feedback WHERE title LIKE %s", ["%pc-%"]
    ):
        found = MARKER.search(title)
        if found:
            stored[found.group(0)] += 1
            codes.setdefault(found.group(0), set()).add(code)
    # a queued registration (202) was acknowledged with a token: its code is the one it was
    # registered with
    queue_rows = _rows(stack, "SELECT token, state, tracking_code FROM api_queuedregistration")
    registered = {token: (state, code) for token, state, code in queue_rows}
    acked = {
        m: registered.get(code.removeprefix(QUEUED), ("", ""))[1] if code.startswith(QUEUED) else code
        for m, code in tally.acked.items()
    }
    queued_acked = [code.removeprefix(QUEUED) for code in tally.acked.values() if code.startswith(QUEUED)]
    submissions = {
        "acknowledged_queued": len(queued_acked),
        "queued_registered": sum(1 for t in queued_acked if registered.get(t, ("",))[0] == "registered"),
        "queued_failed": sum(1 for t in queued_acked if registered.get(t, ("",))[0] == "failed"),
        "acknowledged": len(acked),
        "stored": sum(1 for m in acked if stored[m] >= 1),
        "lost": sum(1 for m in acked if stored[m] == 0),
        "duplicated": sum(1 for m in acked if stored[m] > 1),
        "code_mismatch": sum(1 for m, code in acked.items() if stored[m] and code not in codes.get(m, set())),
        "never_acknowledged": len(tally.gave_up),
        "never_acknowledged_but_stored": sum(1 for m in tally.gave_up if stored[m]),
    }

    # jobs: the deadline runs flagged each overdue problem once; every message and delivery once
    overdue_events = dict(
        _rows(
            stack,
            "SELECT p.number, count(e.id) FROM ledger_problem p LEFT JOIN ledger_problemevent e "
            "ON e.problem_id = p.id AND e.action = 'overdue' WHERE p.number = ANY(%s) GROUP BY p.number",
            [setup["overdue"]],
        )
    )
    outbox = dict(_rows(stack, "SELECT state, count(*) FROM notify_outboxmessage GROUP BY state"))
    sent_file = Path(stack.env["MINQING_SENDER_FILE"])
    lines = (
        [json.loads(x) for x in sent_file.read_text(encoding="utf-8").splitlines()]
        if sent_file.exists()
        else []
    )
    per_message = Counter((m["to"], m["subject"], m["body"]) for m in lines)
    # a receiver dedupes on the delivery id (docs/api.md): each id's first receipt is applied,
    # a resend after a crash must carry the same body
    received: Counter[str] = Counter()
    bodies: dict[str, set[bytes]] = {}
    for r in receiver.delivered("/hook"):
        delivery = r.headers.get("Minqing-Delivery-Id", "")
        received[delivery] += 1
        bodies.setdefault(delivery, set()).add(r.body)
    secret = setup["webhook_secret"]
    bad = [
        r
        for r in receiver.delivered("/hook")
        if not signing.verify(secret, r.body, r.headers.get(signing.HEADER, ""))
    ]
    deliveries = dict(_rows(stack, "SELECT status, count(*) FROM webhooks_delivery GROUP BY status"))
    jobs = {
        "deadline_problems": len(setup["overdue"]),
        "deadline_flagged_once": sum(1 for n in setup["overdue"] if overdue_events.get(n) == 1),
        "deadline_flagged_twice": sum(1 for n in setup["overdue"] if (overdue_events.get(n) or 0) > 1),
        "messages_queued": sum(outbox.values()),
        "messages_sent": outbox.get("sent", 0),
        "messages_written": len(lines),
        "messages_written_twice": sum(1 for n in per_message.values() if n > 1),
        "messages_resent_after_crash": sum(n - 1 for n in per_message.values()),
        "webhook_deliveries": sum(deliveries.values()),
        "webhooks_delivered": deliveries.get("delivered", 0),
        "webhooks_received": len(received),
        "webhooks_received_twice": sum(1 for n in received.values() if n > 1),
        "webhooks_resent_after_crash": sum(n - 1 for n in received.values()),
        "webhooks_resent_differing": sum(1 for b in bodies.values() if len(b) > 1),
        "resend_bound": RESEND_BOUND,
        "webhook_bad_signatures": len(bad),
        "left_after_drain": left,
        "followed": len(tally.followed),
        "assigned": len(tally.assigned),
    }
    ok = (
        submissions["lost"] == 0
        and submissions["duplicated"] == 0
        and submissions["code_mismatch"] == 0
        and submissions["acknowledged"] > 0
        and submissions["acknowledged_queued"] > 0
        and submissions["queued_registered"] == submissions["acknowledged_queued"]
        and jobs["deadline_flagged_once"] == jobs["deadline_problems"]
        and jobs["messages_sent"] == jobs["messages_queued"] == jobs["messages_written"]
        and jobs["webhooks_delivered"] == jobs["webhook_deliveries"] == jobs["webhooks_received"]
        and jobs["webhooks_resent_differing"] == 0
        and jobs["messages_resent_after_crash"] + jobs["webhooks_resent_after_crash"] <= RESEND_BOUND
        and jobs["webhook_bad_signatures"] == 0
    )
    return {"ok": ok, "submissions": submissions, "jobs": jobs}
