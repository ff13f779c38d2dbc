"""Pages for following: my subscriptions, follow/unfollow (POST, for the follow buttons), and the unsubscribe link
of the digest e-mail, which works without logging in because the signed token is the authority."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import Subscription, SubscriptionKind
from . import services as following


class FollowForm(forms.Form):
    kind = forms.ChoiceField(choices=SubscriptionKind.choices)
    target = forms.CharField(max_length=1000, strip=False)
    next = forms.CharField(required=False, max_length=2000)


def _back(request: HttpRequest, next_url: str | None = None) -> HttpResponseRedirect:
    """To ``next`` when it points into this site, else to my subscriptions."""
    next_url = next_url if next_url is not None else request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("project_follow:list")


@login_required
@require_GET
def subscription_list(request: HttpRequest) -> HttpResponse:
    rows = [
        {"subscription": subscription, "url": following.target_path(subscription)}
        for subscription in following.subscriptions_of(request.user)
    ]
    return render(request, "projects/follow/list.html", {"rows": rows})


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to follow."))
        return _back(request)
    data = form.cleaned_data
    try:
        subscription = following.subscription_create(user=request.user, kind=data["kind"], target=data["target"])
    except following.SubscriptionError as exc:
        messages.error(request, exc.message)
    else:  # PermissionDenied propagates: 403
        messages.success(
            request,
            _("You now follow %(label)s. You will get a daily e-mail when there is something new.")
            % {"label": subscription.label},
        )
    return _back(request, data["next"])


@login_required
@require_POST
def unfollow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to stop following."))
        return _back(request)
    data = form.cleaned_data
    subscription = following.subscription_for(user=request.user, kind=data["kind"], target=data["target"])
    if subscription is None:
        messages.info(request, _("You were not following this."))
    else:
        following.subscription_delete(subscription=subscription, user=request.user)
        messages.success(request, _("You no longer follow %(label)s.") % {"label": subscription.label})
    return _back(request, data["next"])


@login_required
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=pk, user=request.user)
    following.subscription_delete(subscription=subscription, user=request.user)
    messages.success(request, _("You no longer follow %(label)s.") % {"label": subscription.label})
    return redirect("project_follow:list")


# Mail clients POST to this URL without a CSRF token (RFC 8058 one-click); the signed token is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    unsubscribe_request = following.read_unsubscribe_token(token)
    if unsubscribe_request is None:
        return render(request, "projects/follow/unsubscribe_invalid.html", status=403)
    if request.method == "POST":
        removed = following.unsubscribe(request=unsubscribe_request)
        return render(
            request,
            "projects/follow/unsubscribe_done.html",
            {"removed": removed, "all": unsubscribe_request.subscription_id is None},
        )
    subscriptions = list(unsubscribe_request.subscriptions())
    return render(
        request,
        "projects/follow/unsubscribe_confirm.html",
        {
            "subscriptions": subscriptions,
            "all": unsubscribe_request.subscription_id is None,
            "action": reverse("project_follow:unsubscribe", kwargs={"token": token}),
        },
    )
