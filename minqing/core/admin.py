from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from minqing.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for superusers."""

    list_display = ("at", "actor_name", "action", "object_type", "object_id", "ip", "detail")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_id", "detail")
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
