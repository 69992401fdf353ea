from django.urls import include, path

app_name = "reports"
urlpatterns = [
    path("", include("minqing.reports.bulletin_urls")),
    path("dashboard/", include("minqing.reports.dashboard_urls")),
]
