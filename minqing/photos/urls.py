from django.urls import path

from minqing.photos import views

app_name = "photos"
urlpatterns = [
    path("<uuid:key>/public/", views.set_public, name="set_public"),
    path("<uuid:key>/<str:variant>/", views.serve, name="serve"),
]
