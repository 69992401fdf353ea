from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from minqing.core.admin_audit import AuditedAdminMixin
from minqing.core.admin_duties import DutyModelAdmin
from minqing.core.models import AuditEvent, WorkdayOverride


@admin.register(AuditEvent)
class AuditEventAdmin(DutyModelAdmin):
    """Read-only: the audit log is append-only, even for superusers (no add, change, delete, and
    so no bulk delete action either); only the audit administrator (审计管理员) sees it
    (``policy.ADMIN_MODELS``)."""

    actions = None

    list_display = ("at", "actor_name", "action", "outcome", "object_type", "object_id", "ip", "detail")
    list_filter = ("action", "outcome", "object_type")
    search_fields = ("actor_name", "object_id", "detail")
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(AuditedAdminMixin):
    """Holidays and make-up working days the office enters ahead of the chinese-calendar package
    (a new year's State Council schedule); they win over the package in every deadline."""

    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    search_fields = ("note",)
    date_hierarchy = "date"
    ordering = ("-date",)
