from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from minqing.accounts import views as accounts_views
from minqing.api.v1 import api as api_v1
from minqing.core.forms import AdminLockoutAuthenticationForm
from minqing.ops import metrics as ops_metrics

# the admin site's login goes through the same lockout and audit as the staff login
admin.site.login_form = AdminLockoutAuthenticationForm

urlpatterns = [
    # the admin site signs in through the same two steps (password, second factor) as the staff
    # pages, and changes passwords on the same page (minqing.accounts); before admin.site.urls
    path("admin/login/", accounts_views.admin_login, name="admin_login"),
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="accounts:password_change"),
        name="admin_password_change",
    ),
    path("admin/", admin.site.urls),
    path("metrics", ops_metrics.metrics, name="metrics"),
    path("api/v1/", api_v1.urls),
    path("open311/v2/", include("minqing.open311.urls")),
    path("api-clients/", include("minqing.api.page_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("minqing.core.urls")),
    path("accounts/", include("minqing.accounts.urls")),
    path("audit/", include("minqing.core.audit_urls")),
    path("ledger/", include("minqing.ledger.urls")),
    path("nlp/", include("minqing.nlp.urls")),
    path("public/", include("minqing.ledger.public_urls")),
    path("photos/", include("minqing.photos.urls")),
    path("notify/", include("minqing.notify.urls")),
    path("activities/", include("minqing.activities.urls")),
    path("a/", include("minqing.activities.checkin_urls")),
    path("outreach/", include("minqing.activities.outreach.urls")),
    path("supervision/", include("minqing.supervision.urls")),
    path("programmes/", include("minqing.programmes.urls")),
    path("catalogues/", include("minqing.catalogues.urls")),
    path("reports/", include("minqing.reports.urls")),
    path("", include("minqing.orgs.urls")),
]

# an unknown path under /api/ answers the API's error envelope, not an HTML page
handler404 = "minqing.api.errors.not_found"
handler500 = "minqing.api.unavailable.server_error"
