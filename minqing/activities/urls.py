from django.urls import include, path

from minqing.activities.views import qr, staff

app_name = "activities"
urlpatterns = [
    path("", staff.activity_list, name="list"),
    path("new/", staff.activity_new, name="new"),
    path("counts/", staff.counts, name="counts"),
    path("campaigns/", include("minqing.campaigns.urls")),
    path("<str:number>/", staff.activity_detail, name="detail"),
    path("<str:number>/check-in/", staff.activity_check_in, name="check_in"),
    path("<str:number>/qr.svg", qr.activity_qr, name="qr"),
    path("<str:number>/poster/", qr.activity_poster, name="poster"),
]
