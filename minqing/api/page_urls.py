from django.urls import path

from minqing.api import pages
from minqing.webhooks import views as webhooks

app_name = "api_clients"
urlpatterns = [
    path("", pages.applications, name="applications"),
    path("new/", pages.application_new, name="application_new"),
    path("<int:pk>/", pages.application, name="application"),
    path("<int:pk>/keys/", pages.key_issue, name="key_issue"),
    path("<int:pk>/keys/<int:key_pk>/revoke/", pages.key_revoke, name="key_revoke"),
    path("<int:pk>/webhooks/", webhooks.subscription_new, name="subscription_new"),
    path("<int:pk>/webhooks/<int:sub_pk>/active/", webhooks.subscription_toggle, name="subscription_toggle"),
    path("<int:pk>/deliveries/<int:delivery_pk>/retry/", webhooks.delivery_retry, name="delivery_retry"),
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/<int:key_pk>/revoke/", pages.token_revoke, name="token_revoke"),
]
