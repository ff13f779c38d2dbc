from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Organisation


def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.select_related("county")[:50]
    return render(request, "organisations/list.html", {"organisations": organisations})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("county", "parent"), slug=slug)
    return render(request, "organisations/detail.html", {"organisation": organisation})
