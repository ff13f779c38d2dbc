"""The catalogue's pages: the list, an instrument and its history, creating and editing instruments and their calls,
and the list of calls."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nyskap.core.history import action_label, field_labels
from nyskap.organisations.models import Organisation

from .. import selectors, services
from ..forms import (
    CallForm,
    InstrumentCreateForm,
    InstrumentForm,
)
from ..models import Call, Instrument
from ..services import CatalogueError
from .common import add_service_error, catalogue_search

CLOSED_PAGE_SIZE = 20
LIST_PAGE_SIZE = 50


def _editable(request: HttpRequest, slug: str) -> Instrument:
    instrument = get_object_or_404(Instrument, slug=slug)
    if not services.can_edit_instrument(request.user, instrument):
        raise PermissionDenied
    return instrument


# The catalogue


@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    form, instruments = catalogue_search(request)
    instruments = instruments.prefetch_related(Prefetch("owners", queryset=Organisation.objects.order_by("name")))
    paginator = Paginator(instruments, LIST_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "instruments/list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "instruments": list(page_obj.object_list),
            "can_add": selectors.owned_organisations(request.user).exists(),
        },
    )


def _history(instrument: Instrument, with_actor: bool) -> list[dict[str, Any]]:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    call_ids = [str(pk) for pk in instrument.calls.values_list("pk", flat=True)]
    entries = (
        (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Instrument), object_pk=str(instrument.pk)
            )
            | LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Call), object_pk__in=call_ids)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:50]
    )
    by_model: dict[str, type[Model]] = {"instrument": Instrument, "call": Call}
    return [
        {
            "at": entry.timestamp,
            "actor": entry.actor if with_actor else None,
            "action": action_label(entry.action),
            "what": _("Call") if entry.content_type.model == "call" else _("Instrument"),
            "fields": field_labels(by_model.get(entry.content_type.model, Instrument), entry.changes_dict),
        }
        for entry in entries
    ]


@require_GET
def instrument_detail(request: HttpRequest, slug: str) -> HttpResponse:
    instrument = get_object_or_404(selectors.instrument_for_detail(), slug=slug)
    today = timezone.localdate()
    calls = list(instrument.calls.all())
    can_edit = services.can_edit_instrument(request.user, instrument)
    uses = (
        selectors.uses_visible_to(request.user)
        .filter(instrument=instrument)
        .select_related("project")
        .order_by("-year", "project__title", "pk")
    )
    return render(
        request,
        "instruments/detail.html",
        {
            "instrument": instrument,
            "owners": list(instrument.owners.all()),
            "open_calls": [c for c in calls if c.opens_on <= today and (c.closes_on is None or c.closes_on >= today)],
            "upcoming_calls": [c for c in calls if c.opens_on > today],
            "closed_calls": [c for c in calls if c.closes_on is not None and c.closes_on < today],
            "uses": list(uses[:200]),
            "can_edit": can_edit,
            "history": _history(instrument, with_actor=can_edit),
            "match_url": reverse("instruments:matcher"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_edit(request: HttpRequest, slug: str) -> HttpResponse:
    instrument = _editable(request, slug)
    form = InstrumentForm(request.POST or None, initial=InstrumentForm.initial_for(instrument))
    if request.method == "POST" and form.is_valid():
        try:
            services.instrument_update(instrument=instrument, actor=request.user, **form.cleaned_data)
        except CatalogueError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The instrument was saved."))
            return redirect(instrument)
    return render(request, "instruments/edit.html", {"instrument": instrument, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def instrument_create(request: HttpRequest) -> HttpResponse:
    """Instrument owners add a new instrument for their organisation."""
    organisations = selectors.owned_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = InstrumentCreateForm(request.POST or None, organisations=organisations, initial={"status": "active"})
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        organisation = values.pop("organisation")
        try:
            instrument = services.instrument_create(organisation=organisation, actor=request.user, **values)
        except CatalogueError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The instrument was added."))
            return redirect(instrument)
    status = 400 if request.method == "POST" else 200
    return render(request, "instruments/create.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest, slug: str) -> HttpResponse:
    instrument = _editable(request, slug)
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_create(instrument=instrument, actor=request.user, **form.cleaned_data)
        except CatalogueError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The call was added."))
            return redirect(instrument)
    return render(request, "instruments/call_form.html", {"instrument": instrument, "form": form, "call": None})


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    instrument = _editable(request, slug)
    call = get_object_or_404(Call, pk=pk, instrument=instrument)
    initial = {name: getattr(call, name) for name in CallForm.base_fields}
    initial["budget"] = "" if call.budget is None else str(call.budget)
    form = CallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(call=call, actor=request.user, **form.cleaned_data)
        except CatalogueError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The call was saved."))
            return redirect(instrument)
    return render(request, "instruments/call_form.html", {"instrument": instrument, "form": form, "call": call})


# Calls


@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    closed = Paginator(selectors.calls_closed(today), CLOSED_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "instruments/calls.html",
        {
            "open_calls": list(selectors.calls_open(today)),
            "closing_soon": list(selectors.calls_closing_soon(today)),
            "upcoming": list(selectors.calls_upcoming(today)[:50]),
            "page_obj": closed,
            "days": selectors.CLOSING_SOON_DAYS,
            "today": today,
        },
    )
