"""Pages of the instrument catalogue (M2). Thin: parse, check access on the server, call one service or selector,
render. The catalogue, calls, matcher and portfolio are public; writes need the instrument-owner role (instruments
and calls), the right to change the project (its use of instruments) or an organisation's admin role (granting
the owner role)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nyskap.core.history import action_label, field_labels
from nyskap.core.permissions import organisations_administered_by
from nyskap.core.spreadsheets import XLSX_TYPE, csv_separator
from nyskap.core.visibility import is_operator
from nyskap.organisations.models import Organisation
from nyskap.projects.models import Project

from . import exports, selectors, services
from .forms import (
    CallForm,
    CatalogueFilterForm,
    InstrumentCreateForm,
    InstrumentForm,
    MatcherForm,
    OwnerRoleForm,
    ProfileForm,
    UseForm,
    normalise_matcher_query,
)
from .matching import DOES_NOT_FIT, FITS, FITS_PARTLY, WEIGHTS
from .models import Call, Instrument, InstrumentOwnerRole, InstrumentUse, MatcherProfile, Offer
from .services import CatalogueError

CLOSED_PAGE_SIZE = 20
LIST_PAGE_SIZE = 50


def _add_service_error(form: Any, error: CatalogueError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _editable(request: HttpRequest, slug: str) -> Instrument:
    instrument = get_object_or_404(Instrument, slug=slug)
    if not services.can_edit_instrument(request.user, instrument):
        raise PermissionDenied
    return instrument


# The catalogue


@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    instruments = selectors.instrument_search(
        q=filters.get("q", ""),
        offer=filters.get("offer", []),
        phase=filters.get("phase", []),
        applicant_kind=filters.get("applicant_kind", ""),
        sector=filters.get("sector", ""),
        status=filters.get("status", ""),
    ).prefetch_related(Prefetch("owners", queryset=Organisation.objects.order_by("name")))
    paginator = Paginator(instruments, LIST_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "instruments/list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "instruments": list(page_obj.object_list),
            "can_add": services.owned_organisations(request.user).exists(),
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
            _add_service_error(form, error)
        else:
            messages.success(request, _("The instrument was saved."))
            return redirect(instrument)
    return render(request, "instruments/edit.html", {"instrument": instrument, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def instrument_create(request: HttpRequest) -> HttpResponse:
    """Instrument owners add a new instrument for their organisation."""
    organisations = services.owned_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = InstrumentCreateForm(request.POST or None, organisations=organisations, initial={"status": "active"})
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        organisation = values.pop("organisation")
        try:
            instrument = services.instrument_create(organisation=organisation, actor=request.user, **values)
        except CatalogueError as error:
            _add_service_error(form, error)
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
            _add_service_error(form, error)
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
            _add_service_error(form, error)
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


# The matcher


@require_GET
def matcher(request: HttpRequest) -> HttpResponse:
    """The guided matcher. ``?prosjekt=<slug>`` fills the answers from a project the visitor may see and redirects
    to the plain answers, so the result has a shareable URL."""
    project_slug = request.GET.get("prosjekt")
    if project_slug:
        project = get_object_or_404(Project, slug=project_slug)
        if not request.user.has_perm("core.view_object", project):
            raise Http404
        answers = selectors.project_answers(project)
        query = QueryDict(mutable=True)
        for name, value in answers.items():
            if isinstance(value, list):
                query.setlist(name, value)
            elif value:
                query[name] = value
        query["fra"] = project.slug
        return redirect(f"{reverse('instruments:matcher')}?{query.urlencode()}")

    form = MatcherForm(request.GET or None)
    fits: list[selectors.Ranked] = []
    fits_partly: list[selectors.Ranked] = []
    does_not_fit: list[selectors.Ranked] = []
    profile_form = None
    if form.is_answered():
        with selectors.collector_paused():
            results = selectors.run_matcher(form.match_input(), today=timezone.localdate())
        groups: dict[str, list[selectors.Ranked]] = {FITS: fits, FITS_PARTLY: fits_partly, DOES_NOT_FIT: does_not_fit}
        for item in results:
            groups[item.result.fit].append(item)
        if request.user.is_authenticated:
            profile_query, _form = normalise_matcher_query(request.GET.urlencode())
            profile_form = ProfileForm(initial={"query": profile_query})
    from_project = None
    if request.GET.get("fra"):
        candidate = Project.objects.filter(slug=request.GET["fra"]).first()
        if candidate is not None and request.user.has_perm("core.view_object", candidate):
            from_project = candidate
    return render(
        request,
        "instruments/matcher.html",
        {
            "form": form,
            "answered": form.is_answered(),
            "fits": fits,
            "fits_partly": fits_partly,
            "does_not_fit": does_not_fit,
            "show_excluded": form.is_valid() and form.cleaned_data.get("show_excluded"),
            "organisation": form.chosen_organisation,
            "profile_form": profile_form,
            "from_project": from_project,
            "weights": WEIGHTS,
        },
    )


@login_required
@require_POST
def profile_save(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The question could not be saved. Answer the matcher's questions again."))
        return redirect("instruments:matcher")
    try:
        query, _matcher_form = normalise_matcher_query(form.cleaned_data["query"])
    except ValueError:
        messages.error(request, _("The question could not be saved. Answer the matcher's questions again."))
        return redirect("instruments:matcher")
    try:
        profile = services.profile_create(user=request.user, query=query, label=form.cleaned_data["label"])
    except CatalogueError as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request,
            _("Saved as “%(label)s”. You will get an e-mail when a call opens that fits.") % {"label": profile.label},
        )
    return redirect(f"{reverse('instruments:matcher')}?{query}")


@login_required
@require_GET
def profile_list(request: HttpRequest) -> HttpResponse:
    profiles = MatcherProfile.objects.filter(user=request.user).order_by("label", "pk")  # type: ignore[misc]
    return render(
        request,
        "instruments/profiles.html",
        {"profiles": [(p, f"{reverse('instruments:matcher')}?{p.query}") for p in profiles]},
    )


@login_required
@require_POST
def profile_delete(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(MatcherProfile, pk=pk, user=request.user)
    services.profile_delete(profile=profile, user=request.user)
    messages.success(request, _("“%(label)s” was deleted.") % {"label": profile.label})
    return redirect("instruments:profiles")


# Portfolio


@require_GET
def portfolio(request: HttpRequest) -> HttpResponse:
    active = list(Instrument.objects.real().active().only("phases", "offers", "applicant_kinds"))
    matrix, groups, phases = selectors.coverage(active)
    group_labels = {
        "municipal": _("Municipalities and county municipalities"),
        "state": _("State bodies"),
        "companies": _("Companies and social entrepreneurs"),
        "research": _("Research organisations"),
    }
    use_rows, bands, centrality = selectors.use_by_municipality(request.user)
    band_labels = selectors.size_bands()
    return render(
        request,
        "instruments/portfolio.html",
        {
            "active_count": len(active),
            "matrix_columns": [label for _code, label in matrix.columns],
            "matrix_rows": matrix.row_values(),
            "phase_rows": [(label, phases.get(code, 0)) for code, label in matrix.rows],
            "group_rows": [(group_labels[code], groups.get(code, 0)) for code in group_labels],
            "band_labels": band_labels,
            "band_rows": [(label, bands.get(code, 0)) for code, label in band_labels],
            "centrality_rows": [(str(klass), centrality.get(klass, 0)) for klass in range(1, 7)],
            "use_rows": [
                (
                    row.instrument,
                    [row.by_band.get(code, 0) for code, _label in band_labels],
                    [row.by_centrality.get(klass, 0) for klass in range(1, 7)],
                    row.total,
                )
                for row in use_rows
            ],
            "offers": [str(o.label) for o in Offer],
        },
    )


# Exports


def _export_queryset(request: HttpRequest) -> Any:
    form = CatalogueFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    return selectors.instrument_search(
        q=filters.get("q", ""),
        offer=filters.get("offer", []),
        phase=filters.get("phase", []),
        applicant_kind=filters.get("applicant_kind", ""),
        sector=filters.get("sector", ""),
        status=filters.get("status", ""),
    )


def _filename(extension: str) -> str:
    return f"nyskap-virkemidler-{timezone.localdate().isoformat()}.{extension}"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.export_csv(
            _export_queryset(request), base_url=_base_url(request), separator=csv_separator(request.GET.get("sep"))
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@require_GET
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.export_json(_export_queryset(request), base_url=_base_url(request)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    return response


@require_GET
def export_xlsx(request: HttpRequest) -> FileResponse:
    return FileResponse(
        exports.export_xlsx(_export_queryset(request), base_url=_base_url(request)),
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type=XLSX_TYPE,
    )


# A project's use of instruments (the form sits in the project page's instrument panel)


def _changeable_project(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(Project, slug=slug)
    if not request.user.has_perm("core.view_object", project):
        raise Http404
    if not request.user.has_perm("core.change_object", project):
        raise PermissionDenied
    return project


@login_required
@require_http_methods(["GET", "POST"])
def use_add(request: HttpRequest, project_slug: str) -> HttpResponse:
    project = _changeable_project(request, project_slug)
    form = UseForm(request.POST or None, prefix="use")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.use_add(
                project=project,
                actor=request.user,
                instrument=data["instrument"],
                year=data["year"],
                outcome=data["outcome"],
                amount=data["amount"],
                note=data["note"],
            )
        except CatalogueError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("The instrument was recorded."))
            return redirect(f"{reverse('projects:detail', kwargs={'slug': project.slug})}#instruments-heading")
    return render(request, "instruments/use_form.html", {"project": project, "use_form": form})


@login_required
@require_POST
def use_delete(request: HttpRequest, project_slug: str, pk: int) -> HttpResponse:
    project = _changeable_project(request, project_slug)
    use = get_object_or_404(InstrumentUse, pk=pk, project=project)
    services.use_remove(use=use, actor=request.user)
    messages.success(request, _("The record was removed."))
    return redirect(f"{reverse('projects:detail', kwargs={'slug': project.slug})}#instruments-heading")


# The instrument-owner role


def _grantable(user: Any) -> Any:
    if is_operator(user):
        return Organisation.objects.filter(instruments__isnull=False).distinct().order_by("name")
    return organisations_administered_by(user).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def owner_roles(request: HttpRequest) -> HttpResponse:
    """Administrators of an organisation (and operators) give users the instrument-owner role for it."""
    organisations = _grantable(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = OwnerRoleForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        try:
            role = services.owner_role_grant(
                organisation=form.cleaned_data["organisation"], user=user, actor=request.user
            )
        except CatalogueError as error:
            _add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(user)s can now edit the instruments of %(organisation)s.")
                % {"user": role.user, "organisation": role.organisation},
            )
            return redirect("instruments:owner_roles")
    roles = InstrumentOwnerRole.objects.filter(organisation__in=organisations).select_related("user", "organisation")
    return render(request, "instruments/owner_roles.html", {"form": form, "roles": list(roles)})


@login_required
@require_POST
def owner_role_delete(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(InstrumentOwnerRole, pk=pk)
    services.owner_role_revoke(role=role, actor=request.user)
    messages.success(request, _("The role was removed."))
    return redirect("instruments:owner_roles")
