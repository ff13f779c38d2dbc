from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from nyskap.core.jobs.selectors import jobs_of
from nyskap.projects.search import ProjectSearchForm

from . import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "search_form": ProjectSearchForm(),
        "picture": selectors.public_picture(today),
        "today": today,
    }
    return render(request, "portal/home.html", context)


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {"work": selectors.my_work(request.user, today), "today": today, "jobs": list(jobs_of(request.user)[:5])}
    return render(request, "portal/my_work.html", context)
