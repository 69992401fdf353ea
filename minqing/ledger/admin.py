"""Maintenance admin for the ledger.

The taxonomy and the deadline rules are configurable here (every change audited). Problems are
read-only: their state moves only through ``problem_transition``, so the admin neither adds,
changes nor deletes them; events are append-only; extensions come from the workflow. Feedback
is shown without its reporter (``FeedbackIdentity`` is not registered).

Which administrator sees which of them is ``policy.ADMIN_MODELS``: the system administrator keeps
the taxonomy and the deadline rules; the ledger's records (problems, events, extensions,
feedback, notifications) are refused to every duty on the admin site and read through the pages,
scoped by unit roles.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from minqing.core.admin_audit import AuditedAdminMixin
from minqing.core.admin_duties import DutyInlineMixin, DutyModelAdmin
from minqing.ledger.models import (
    Category,
    DeadlineRule,
    Extension,
    Feedback,
    Notification,
    Problem,
    ProblemEvent,
)


class ReadOnlyAdminMixin(DutyModelAdmin):
    """View only: no add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin):
    list_display = ("full_name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "full_name")
    raw_id_fields = ("parent",)
    list_per_page = 100

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        parent = obj.parent
        obj.level = parent.level + 1 if parent else 1
        obj.full_name = f"{parent.full_name}/{obj.name}" if parent else obj.name
        super().save_model(request, obj, form, change)


class EventInline(DutyInlineMixin, admin.TabularInline):
    model = ProblemEvent
    fields = ("at", "actor_name", "action", "from_state", "to_state", "note", "public")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdminMixin):
    list_display = (
        "number",
        "title",
        "state",
        "source",
        "channel",
        "unit",
        "responsible_unit",
        "registered_at",
    )
    list_filter = ("state", "source", "channel", "prominent", "must_solve", "overdue")
    search_fields = ("^number", "title")
    list_select_related = ("unit", "responsible_unit")
    date_hierarchy = "registered_at"
    show_full_result_count = False
    inlines = (EventInline,)


@admin.register(ProblemEvent)
class ProblemEventAdmin(ReadOnlyAdminMixin):
    list_display = ("problem", "at", "actor_name", "action", "from_state", "to_state")
    list_filter = ("action",)
    search_fields = ("^problem__number",)
    list_select_related = ("problem",)
    show_full_result_count = False


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedAdminMixin):
    list_display = (
        "__str__",
        "source",
        "channel",
        "urgency",
        "accept_days",
        "handle_days",
        "max_extension_days",
        "warning_days",
    )
    list_filter = ("source", "channel", "urgency")


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdminMixin):
    list_display = ("problem", "days", "state", "requested_at", "old_due", "new_due", "decided_at")
    list_filter = ("state",)
    search_fields = ("^problem__number",)
    list_select_related = ("problem",)


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdminMixin):
    list_display = ("tracking_code", "title", "channel", "received_at", "problem", "anonymous")
    list_filter = ("channel", "anonymous", "group_visit")
    search_fields = ("^tracking_code", "title")
    list_select_related = ("problem",)
    exclude = ("idempotency_key",)
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(AuditedAdminMixin):
    list_display = ("user", "text", "created_at", "read_at")
    list_filter = ("read_at",)
    search_fields = ("text", "user__username")
    raw_id_fields = ("user", "problem")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
