from django.urls import include, path

from minqing.reports.views.hot_topics import hot_topics

app_name = "reports"
urlpatterns = [
    path("", include("minqing.reports.bulletin_urls")),
    path("dashboard/", include("minqing.reports.dashboard_urls")),
    path("hot-topics/", hot_topics, name="hot_topics"),
]
