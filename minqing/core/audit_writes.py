"""Every write and every permission change, audited by signals: one uniform place instead of a
call in each service and admin.

- a domain record (every model of the ``minqing`` apps but the high-volume internals in
  ``SKIPPED``) created, changed or deleted: a CREATE, UPDATE or DELETE row;
- a role assignment, an administrator duty or an application's roles, a user's staff,
  superuser or active flag, groups or permissions: a PERMISSION row; a password: PASSWORD_CHANGE.

The row is written when the transaction commits (nothing for a write rolled back), by the actor
of the audit context (the signed-in user of the request, else ``SYSTEM``), and skipped when the
service already wrote its own row for the same object and action (with more detail; for a grant,
any write of it: ``stand_in_key``). Inside
``bulk_writes`` (the demo, an import) the writes are only counted. ``QuerySet.update`` and
``bulk_create`` send no signals: the services that use them write one summary row themselves.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_out
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from minqing.core.audit_context import AuditContext, Key, current

# written often by the system itself, or themselves a log: no row per write
SKIPPED = frozenset(
    {
        "core.auditevent",
        "core.ratelimithit",
        "ledger.problemevent",
        "ledger.notification",
        "notify.outboxmessage",  # the message queue (its subscriptions and preferences are audited)
        "activities.activityrollup",
        "activities.rollupstate",
        "ledger.problemrollup",  # the problem rollup, its waiting changes and its state: derived
        "ledger.problemrollupchange",
        "ledger.problemrollupstate",
        "accounts.passwordrecord",
        # webhook events and their deliveries: written with the problem event they carry, and
        # their sending is itself a log (each attempt); subscriptions are audited
        # a queued registration and an Open311 request are themselves the record of the call
        # (its key or application, time and body); their recording writes the feedback's and the
        # problem's own rows, as the application
        "api.queuedregistration",
        "open311.servicerequest",
        "webhooks.event",
        "webhooks.delivery",
        "webhooks.attempt",  # a password's date: the user's PASSWORD_CHANGE row says it
    }
)
PERMISSION_MODELS = frozenset({"orgs.roleassignment", "orgs.adminduty", "orgs.application"})
USER_FLAGS = ("is_staff", "is_superuser", "is_active")
OLD_ATTR = "_audit_old_values"


def stand_in_key(object_type: str, object_id: str, action: str) -> Key:
    """The automatic row a service's own row stands in for: the same object and action, and for
    a grant (``PERMISSION_MODELS``) any write of it, whose automatic row is PERMISSION (a role
    assignment saved in the admin is audited as CREATE or UPDATE by ``role_save``)."""
    if object_type in PERMISSION_MODELS and action in ("create", "update", "delete"):
        action = "permission"
    return (object_type, object_id, action)


def _schedule(sender: type[Model], key: Key, detail: str) -> None:
    ctx = current()
    if ctx.bulk:
        ctx.bulk_counts[key[0]] += 1
        return
    using = router.db_for_write(sender)
    conn = transaction.get_connection(using)
    if not conn.in_atomic_block:  # autocommit: the write is committed, its row now
        transaction.on_commit(partial(_write_rows, [(ctx, key, detail)]), using=using)
        return
    batch = getattr(conn, BATCH_ATTR, None)
    if batch is None or batch.hooks is not conn.run_on_commit:
        # a new transaction (a commit or a rollback replaced the list of hooks), or a savepoint
        # rolled back since (it filtered the list into a new one: the old batch's flush is still
        # in it and writes the rows gathered before, this one the rows after)
        batch = _Batch(conn.run_on_commit)
        setattr(conn, BATCH_ATTR, batch)
    # the row's own hook: dropped with it if its savepoint rolls back, as any on_commit hook
    transaction.on_commit(partial(batch.add, ctx, key, detail), using=using)
    batch.flush_after_last(conn)


BATCH_ATTR = "_minqing_audit_batch"


class _Flush:
    """The hook that writes a batch, registered after its last row's hook; an earlier one is
    turned off (``live``) when a later row moves the write behind it."""

    def __init__(self, batch: "_Batch") -> None:
        self.batch = batch
        self.live = True

    def __call__(self) -> None:
        if self.live:
            self.batch.write()


class _Batch:
    """The automatic rows of one transaction, written when it commits with ONE ``bulk_create``.

    Each row keeps its own ``on_commit`` hook (``add``), so a row of a savepoint rolled back is
    dropped with the savepoint's hooks and a rolled-back transaction writes nothing, exactly as a
    hook per row did. The hooks run in order at the commit: the rows' hooks gather them, then the
    batch's flush hook, always after the last row's, writes them all. The flush hook belongs to the
    whole transaction (no savepoint): a savepoint rolled back never drops it with rows of the
    transaction still to write. Hooks are only ever appended (never moved), so Django's
    ``captureOnCommitCallbacks``, which runs the hooks after an index, still runs them in order."""

    def __init__(self, hooks: list[Any]) -> None:
        self.hooks = hooks
        self.rows: list[tuple[AuditContext, Key, str]] = []
        self.flush: _Flush | None = None

    def add(self, ctx: AuditContext, key: Key, detail: str) -> None:
        self.rows.append((ctx, key, detail))

    def flush_after_last(self, conn: Any) -> None:
        if self.flush is not None:
            self.flush.live = False
        self.flush = _Flush(self)
        conn.on_commit(self.flush)
        _sids, func, robust = conn.run_on_commit[-1]
        conn.run_on_commit[-1] = (set(), func, robust)  # the transaction's, not a savepoint's

    def write(self) -> None:
        rows, self.rows = self.rows, []
        _write_rows(rows)


def _write_rows(rows: list[tuple[AuditContext, Key, str]]) -> None:
    """The automatic rows, in order, with one INSERT; each as ``audit`` would write it, skipped
    when the service already wrote its own row for the key (``AuditContext.written``)."""
    from minqing.core.audit import audit_row

    events = []
    for ctx, key, detail in rows:
        if key in ctx.written:
            ctx.written.discard(key)
            continue
        object_type, object_id, action = key
        events.append(
            audit_row(
                actor=ctx.actor,
                action=action,
                object_type=object_type,
                object_id=object_id,
                detail=detail,
                request=ctx.request,
            )
        )
        # what ``audit`` then remembers, and what writing an automatic row then forgot: only the
        # service's own rows stand in for an automatic one
        if object_id:
            current().remember(stand_in_key(object_type, object_id, action))
        ctx.written.discard(key)
    if events:
        _insert(events)


def _insert(events: list[Any]) -> None:
    """One INSERT: in a transaction ``bulk_create``; in autocommit (the hooks after a commit) the
    statement alone, without the BEGIN and COMMIT ``bulk_create`` puts around it for batches that
    need more than one statement (a single INSERT is atomic by itself)."""
    from minqing.core.models import AuditEvent

    conn = connections[router.db_for_write(AuditEvent)]
    meta = AuditEvent._meta
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    if conn.in_atomic_block or len(events) > conn.ops.bulk_batch_size(fields, events):
        AuditEvent.objects.bulk_create(events)
        return
    AuditEvent._base_manager._insert(events, fields=fields, using=conn.alias)  # type: ignore[attr-defined]


@contextmanager
def written_before_commit(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Inside a transaction: the automatic rows of the writes made in the block are written at
    its end, in the transaction (one INSERT), instead of after the commit. For a write that must
    not be acknowledged unless its audit rows are in too (the public form: a commit followed by a
    failed audit insert would store a complaint and answer 500, without its tracking code; the API's
    POSTs: one statement less, and no commit of its own)."""
    conn = transaction.get_connection(using)
    if not conn.in_atomic_block:
        raise RuntimeError("written_before_commit() needs an enclosing transaction.atomic()")
    before = {id(entry) for entry in conn.run_on_commit}
    yield
    mine = [
        entry
        for entry in conn.run_on_commit
        if id(entry) not in before and isinstance(entry[1], partial) and _is_row_hook(entry[1])
    ]
    taken = {id(entry) for entry in mine}
    conn.run_on_commit = [entry for entry in conn.run_on_commit if id(entry) not in taken]
    _write_rows([(ctx, key, detail) for _sids, func, _robust in mine for ctx, key, detail in _row_of(func)])


def _is_row_hook(func: partial[Any]) -> bool:
    return func.func is _write_rows or getattr(func.func, "__func__", None) is _Batch.add


def _row_of(func: partial[Any]) -> list[tuple[AuditContext, Key, str]]:
    if func.func is _write_rows:
        rows: list[tuple[AuditContext, Key, str]] = func.args[0]
        return rows
    ctx, key, detail = func.args
    return [(ctx, key, detail)]


def _label(sender: type[Model]) -> str:
    return sender._meta.label_lower


def _record_saved(sender: type[Model], instance: Model, created: bool, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    label = _label(sender)
    if label in PERMISSION_MODELS:
        action, detail = "permission", f"{'grant' if created else 'change'}: {_permission_text(instance)}"
    else:
        action = "create" if created else "update"
        fields = kw.get("update_fields")
        detail = f"fields: {', '.join(sorted(fields))}" if fields else ""
    _schedule(sender, (label, str(instance.pk), action), detail)


def _record_deleted(sender: type[Model], instance: Model, **kw: Any) -> None:
    label = _label(sender)
    if label in PERMISSION_MODELS:
        _schedule(sender, (label, str(instance.pk), "permission"), f"revoke: {_permission_text(instance)}")
    else:
        _schedule(sender, (label, str(instance.pk), "delete"), "")


def _permission_text(instance: Model) -> str:
    """Who got or lost what, without personal data."""
    parts = []
    for name in ("user_id", "role", "duty", "unit_id", "name", "roles", "is_active"):
        if hasattr(instance, name):
            parts.append(f"{name}={getattr(instance, name)}")
    return " ".join(parts)[:400]


# --- users: flags, password, groups and permissions ---------------------------------------------

WATCHED_USER_FIELDS = frozenset({*USER_FLAGS, "password"})


def _user_before(sender: type[Model], instance: Any, raw: bool = False, **kw: Any) -> None:
    fields = kw.get("update_fields")
    if (
        raw
        or instance.pk is None
        or current().bulk
        or (fields is not None and not WATCHED_USER_FIELDS & set(fields))
    ):
        return
    old = sender._default_manager.filter(pk=instance.pk).values(*USER_FLAGS, "password").first()
    instance.__dict__[OLD_ATTR] = old


def _user_saved(sender: type[Model], instance: Any, created: bool, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    old = instance.__dict__.pop(OLD_ATTR, None)
    label, pk = _label(sender), str(instance.pk)
    if created:
        flags = " ".join(f"{f}={getattr(instance, f)}" for f in USER_FLAGS)
        _schedule(sender, (label, pk, "create"), f"{instance.get_username()} {flags}")
        return
    if old is None:
        fields = kw.get("update_fields")
        if fields is None or not set(fields) <= {"last_login"}:
            _schedule(sender, (label, pk, "update"), instance.get_username())
        return
    changed = [f"{f}: {old[f]}->{getattr(instance, f)}" for f in USER_FLAGS if old[f] != getattr(instance, f)]
    if changed:
        _schedule(sender, (label, pk, "permission"), f"{instance.get_username()} " + ", ".join(changed))
    if old["password"] != instance.password:
        _schedule(sender, (label, pk, "password_change"), instance.get_username())
    if not changed and old["password"] == instance.password:
        _schedule(sender, (label, pk, "update"), instance.get_username())


def _m2m_changed(
    sender: type[Model], instance: Any, action: str, model: type[Model], pk_set: Any, **kw: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    what = f"{action.removeprefix('post_')} {_label(model)} {sorted(pk_set or [])}"
    _schedule(
        type(instance),
        (_label(type(instance)), str(instance.pk), "permission"),
        f"{sender._meta.model_name}: {what}"[:500],
    )


def _logged_out(sender: Any, request: Any, user: Any, **kw: Any) -> None:
    if user is None:
        return
    from minqing.core.audit import audit

    audit(actor=user, action="logout", obj=user, request=request)


def connect() -> None:
    """Called once by ``CoreConfig.ready``."""
    user_model = get_user_model()
    for model in apps.get_models():
        label = _label(model)
        if model.__module__.startswith("minqing.") and label not in SKIPPED:
            post_save.connect(_record_saved, sender=model, dispatch_uid=f"audit-save-{label}")
            post_delete.connect(_record_deleted, sender=model, dispatch_uid=f"audit-delete-{label}")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    pre_save.connect(_user_before, sender=user_model, dispatch_uid="audit-user-before")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="audit-user-saved")
    post_delete.connect(_record_deleted, sender=user_model, dispatch_uid="audit-user-deleted")
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"audit-m2m-{_label(through)}")
