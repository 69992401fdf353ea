"""The unsubscribe page (no login: the signed link in every message) and a staff user's own
delivery preference (in-app only, + e-mail, + SMS)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from minqing.core.errors import DomainError
from minqing.notify import services
from minqing.notify.forms import PreferenceForm
from minqing.notify.models import StaffDelivery, StaffPreference
from minqing.notify.tokens import read_token


@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a mail scanner following the link stops nothing); POST stops the messages."""
    valid = read_token(token) is not None
    if request.method == "POST" and valid:
        done = services.unsubscribe(token)
        return render(request, "notify/unsubscribe.html", {"done": done, "valid": done})
    return render(request, "notify/unsubscribe.html", {"valid": valid}, status=200 if valid else 404)


def user_id_of(request: HttpRequest) -> int:
    pk = request.user.pk
    assert isinstance(pk, int)  # login_required
    return pk


@never_cache
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user_id = user_id_of(request)
    pref = StaffPreference.objects.filter(user_id=user_id).first()
    initial = {
        "delivery": pref.delivery if pref else StaffDelivery.IN_APP,
        "phone": pref.phone if pref else "",
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preference(
                user_id=user_id,
                delivery=form.cleaned_data["delivery"],
                phone=form.cleaned_data["phone"],
            )
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, _("通知方式已保存"))
            return redirect("notify:preferences")
    email = getattr(request.user, "email", "")
    return render(request, "notify/preferences.html", {"form": form, "email": email})
