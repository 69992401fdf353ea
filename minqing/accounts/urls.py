from django.urls import path

from minqing.accounts import views

app_name = "accounts"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("second-factor/", views.enroll, name="enroll"),
    path("second-factor/qr.svg", views.enroll_qr, name="enroll_qr"),
    path("second-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("second-factor/reset/", views.second_factor_reset_view, name="second_factor_reset"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]
