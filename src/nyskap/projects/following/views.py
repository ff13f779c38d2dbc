"""Pages for following: my subscriptions and follow/unfollow (POST, for the follow buttons). The unsubscribe link of
the digest e-mail is the core unsubscribe view with `services.UNSUBSCRIBE` (see `urls`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from nyskap.core.text import has_refused_characters

from ..models import Subscription, SubscriptionKind
from . import services as following


class FollowForm(forms.Form):
    kind = forms.ChoiceField(choices=SubscriptionKind.choices)
    target = forms.CharField(max_length=1000, strip=False)
    next = forms.CharField(required=False, max_length=2000)


def _back(request: HttpRequest, next_url: str | None = None) -> HttpResponseRedirect:
    """To ``next`` when it is a path on this site, else to my subscriptions. ``next`` is sent back by the follow
    buttons as it came, so it is taken only as a path (never a view name to reverse) and without control or other
    refused characters (a redirect must not break its header)."""
    next_url = next_url if next_url is not None else request.POST.get("next", "")
    if (
        next_url
        and next_url.startswith("/")
        and not has_refused_characters(next_url)
        and not any(ord(character) < 32 for character in next_url)
        and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(next_url)
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
