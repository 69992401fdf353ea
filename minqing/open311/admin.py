"""The Open311 configuration on the admin site (the system administrator, ``policy.ADMIN_MODELS``):
which categories a unit accepts, and the attributes (questions) each category's service asks,
with the choices of list attributes inline. Requests and updates are not shown: they hold
reporters' data and are read through the ledger's pages."""

from django.contrib import admin

from minqing.core.admin_audit import AuditedAdminMixin
from minqing.core.admin_duties import DutyInlineMixin
from minqing.open311.models import ServiceAttribute, ServiceAttributeValue, ServiceOffer


@admin.register(ServiceOffer)
class ServiceOfferAdmin(AuditedAdminMixin):
    list_display = ("unit", "category")
    search_fields = ("unit__name", "unit__code", "category__full_name")
    raw_id_fields = ("unit", "category")
    list_select_related = ("unit", "category")


class ValueInline(DutyInlineMixin, admin.TabularInline):
    model = ServiceAttributeValue
    extra = 1


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(AuditedAdminMixin):
    list_display = ("category", "code", "datatype", "required", "order")
    list_filter = ("datatype", "required")
    search_fields = ("code", "description", "category__full_name")
    raw_id_fields = ("category",)
    list_select_related = ("category",)
    inlines = (ValueInline,)
