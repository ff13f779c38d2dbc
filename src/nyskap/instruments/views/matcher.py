"""The matcher: instruments that fit a need, with why; saved matcher profiles and their alert e-mails, and the
one-click unsubscribe from them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from nyskap.core.memory import collector_paused
from nyskap.projects.models import Project

from .. import selectors, services
from ..forms import (
    MatcherForm,
    ProfileForm,
    normalise_matcher_query,
)
from ..matching import DOES_NOT_FIT, FITS, FITS_PARTLY, WEIGHTS
from ..models import MatcherProfile
from ..services import CatalogueError


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
        with collector_paused():
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
        # Shown again with the error at its field and what was typed kept (a name with a refused character, say).
        return render(request, "instruments/profile_save.html", {"form": form}, status=400)
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
