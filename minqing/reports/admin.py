"""Maintenance admin for bulletins.

The shipped default templates are editable here by the system administrator only
(``Duty.SYSTEM``), with the same validation as the templates page (every placeholder must name
a registered metric); a unit's own templates are its office's, edited on the templates page and
only viewed here. Every change is audited. Published bulletins are
frozen: view only.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from minqing.core.admin_audit import AuditedAdminMixin
from minqing.reports.bulletins import permissions
from minqing.reports.bulletins.forms import BulletinTemplateAdminForm
from minqing.reports.models import Bulletin, BulletinTemplate


@admin.register(BulletinTemplate)
class BulletinTemplateAdmin(AuditedAdminMixin):
    form = BulletinTemplateAdminForm
    list_display = ("kind", "unit", "title", "updated_at", "updated_by")
    list_filter = ("kind",)
    readonly_fields = ("unit", "updated_at", "updated_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[BulletinTemplate]:
        return super().get_queryset(request).select_related("unit", "updated_by")

    def _may_write(self, request: HttpRequest, obj: BulletinTemplate | None) -> bool:
        """Only the defaults (``unit`` empty; an added template is one), only the system administrator."""
        return (obj is None or obj.unit_id is None) and permissions.can_edit_template(request.user, None)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would reach units' own templates
        return actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_write(request, None) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_write(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_write(request, obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: BulletinTemplate, form: Any, change: bool) -> None:
        obj.updated_by = request.user if request.user.is_authenticated else None
        super().save_model(request, obj, form, change)


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "campaign", "number", "as_of", "published_at", "checked_at")
    list_filter = ("campaign",)
    search_fields = ("title", "unit__code", "unit__name")
    raw_id_fields = ("unit", "campaign", "template", "published_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
