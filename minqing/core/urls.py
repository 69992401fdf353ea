from django.contrib.auth import views as auth_views
from django.urls import path

# the login's two steps (password, then the second factor) are minqing.accounts'
from minqing.accounts.views import LoginView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
