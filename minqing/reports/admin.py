"""Maintenance admin for bulletins.

Templates are editable here too, with the same validation as the office's page (every
placeholder must name a registered metric); every change is audited. Published bulletins are
frozen: view only.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from minqing.core.admin_audit import AuditedAdminMixin
from minqing.reports.bulletins.forms import BulletinTemplateAdminForm
from minqing.reports.models import Bulletin, BulletinTemplate


@admin.register(BulletinTemplate)
class BulletinTemplateAdmin(AuditedAdminMixin):
    form = BulletinTemplateAdminForm
    list_display = ("kind", "title", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")

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
