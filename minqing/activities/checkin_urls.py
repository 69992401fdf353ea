"""The phone check-in, no login: /a/ (a box for the code) and /a/<code>/."""

from django.urls import path

from minqing.activities.views import phone

app_name = "checkin"
urlpatterns = [
    path("", phone.code_form, name="form"),
    path("<str:code>/", phone.check_in, name="code"),
]
