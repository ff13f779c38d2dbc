from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"memberships": request.user.memberships.select_related("organisation")})


@login_required
def mfa_required_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/mfa_required.html")
