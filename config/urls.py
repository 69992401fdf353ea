from django.contrib import admin
from django.urls import include, path

from minqing.core.forms import AdminLockoutAuthenticationForm

# the admin site's login goes through the same lockout and audit as the staff login
admin.site.login_form = AdminLockoutAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("minqing.core.urls")),
    path("audit/", include("minqing.core.audit_urls")),
    path("ledger/", include("minqing.ledger.urls")),
    path("public/", include("minqing.ledger.public_urls")),
    path("activities/", include("minqing.activities.urls")),
    path("a/", include("minqing.activities.checkin_urls")),
    path("outreach/", include("minqing.activities.outreach.urls")),
    path("supervision/", include("minqing.supervision.urls")),
    path("programmes/", include("minqing.programmes.urls")),
    path("catalogues/", include("minqing.catalogues.urls")),
    path("reports/", include("minqing.reports.urls")),
    path("", include("minqing.orgs.urls")),
]
