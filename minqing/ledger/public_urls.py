from django.urls import path

from minqing.ledger.views import follow, places, public

app_name = "public"
urlpatterns = [
    path("submit/", public.submit, name="submit"),
    path("places/", places.places_json, name="places"),
    path("places/locate/", places.locate, name="places_locate"),
    path("track/", public.track_form, name="track_form"),
    path("track/<str:code>/", public.track, name="track"),
    path("track/<str:code>/follow/", follow.follow, name="follow"),
    path("track/<str:code>/send/", follow.send_code, name="send_code"),
    path("track/<str:code>/rate/", follow.rate, name="rate"),
    path("track/<str:code>/qr.svg", follow.qr, name="track_qr"),
    path("problems/", public.problem_list, name="problems"),
]
