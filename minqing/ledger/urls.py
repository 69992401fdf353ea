from django.urls import path

from minqing.ledger.views import export, staff

app_name = "ledger"
urlpatterns = [
    path("", staff.queue, name="queue"),
    path("intake/", staff.intake, name="intake"),
    path("export/", export.problem_export, name="export"),
    path("notifications/", staff.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", staff.notification_read, name="notification_read"),
    path("<str:number>/", staff.detail, name="detail"),
    path("<str:number>/reporter/", staff.reveal, name="reveal"),
    path("<str:number>/act/<str:action>/", staff.act, name="act"),
    path("<str:number>/moderate/", staff.moderate, name="moderate"),
]
