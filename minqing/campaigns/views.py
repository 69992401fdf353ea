"""Campaign pages: the list of campaigns the user may see and, for the office, the form that
creates one; a thin view over the campaign selectors and form and ``campaign_create``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from minqing.campaigns.forms import CampaignForm
from minqing.campaigns.selectors import visible_campaigns
from minqing.campaigns.services import campaign_create
from minqing.core.errors import DomainError
from minqing.core.forms import fail
from minqing.orgs import policy
from minqing.orgs.selectors import default_unit


@never_cache
@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    can_create = policy.has_role(request.user, policy.OFFICE)
    form: CampaignForm | None = None
    status = 200
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        form = CampaignForm(request.POST, actor=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                campaign = campaign_create(
                    actor=request.user,
                    name=d["name"],
                    kind=d["kind"],
                    scope=d["scope"],
                    start_date=d["start_date"],
                    end_date=d.get("end_date"),
                )
            except DomainError as err:
                status = fail(form, err)
            else:
                messages.success(request, _("已新建专题:{name}").format(name=campaign.name))
                return redirect("activities:campaigns")
    elif can_create:
        scope = default_unit(request.user, policy.OFFICE)
        initial = {"unit_code": scope.code if scope else "", "start_date": timezone.localdate()}
        form = CampaignForm(actor=request.user, initial=initial)
    context = {"campaigns": visible_campaigns(request.user), "form": form}
    return render(request, "campaigns/campaigns.html", context, status=status)
