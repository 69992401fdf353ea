from django.urls import path

from minqing.ledger.views import public

app_name = "public"
urlpatterns = [
    path("submit/", public.submit, name="submit"),
    path("track/", public.track_form, name="track_form"),
    path("track/<str:code>/", public.track, name="track"),
    path("problems/", public.problem_list, name="problems"),
]
