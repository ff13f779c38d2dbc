"""The trial pages: the overview (facets, counts, search, overdue marked), a trial's page, creating and editing,
the approval checklist, the transitions, results entry and the decision. Every page works without JavaScript."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nyskap.core.forms import form_page, form_saved, posted
from nyskap.organisations.models import size_band_choices

from . import jobs, rules, selectors, services
from .forms import (
    FACET_LABELS,
    ApprovalForm,
    CountsForm,
    DecisionForm,
    ExemptionForm,
    FilterForm,
    MeansForm,
    ReportForm,
    SandboxForm,
    TrialForm,
    UnitsForm,
    approval_initial,
    initial_for,
)
from .models import Exemption, Sandbox, SandboxAdmission, Trial, TrialKind, TrialStatus
from .services import TrialError

PAGE_SIZE = 20


def visible_trial(request: HttpRequest, slug: str) -> Trial:
    """The trial, if the visitor may see it (core.permissions.can_view); 404 otherwise, so a draft's existence is
    not revealed."""
    trial = get_object_or_404(Trial.objects.select_related("sandbox", "project"), slug=slug)
    if not request.user.has_perm("core.view_object", trial):
        raise Http404
    return trial


def editable_trial(request: HttpRequest, slug: str) -> Trial:
    trial = visible_trial(request, slug)
    if not services.can_change(request.user, trial):
        raise PermissionDenied
    return trial


# The overview


# What a card on the overview shows of a trial (nothing else is read for the page).
CARD_FIELDS = ("title", "slug", "kind", "status", "design", "visibility", "not_preregistered")


def _facets(request: HttpRequest, figures: selectors.FacetCounts) -> list[dict[str, Any]]:
    dynamic: dict[str, dict[Any, Any]] = {**figures.names, "size_band": dict(size_band_choices())}
    facets = []
    for name, (label, labels) in FACET_LABELS.items():
        chosen = request.GET.getlist(name)
        names: dict[Any, Any] = dynamic.get(name) or cast(dict[Any, Any], labels)
        values = [
            {"value": value, "label": names.get(value, value), "count": count, "selected": str(value) in chosen}
            for value, count in sorted(figures.counts.get(name, {}).items(), key=lambda item: (-item[1], str(item[0])))
        ]
        if values:
            facets.append({"name": name, "label": label, "values": values})
    return facets


@require_GET
def trial_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    params = {name: request.GET.getlist(name) for name in (*selectors.FACETS, "overdue")}
    trials = selectors.filtered(request.user, params, query)
    figures = selectors.overview_counts(trials)
    paginator = Paginator(selectors.with_overdue(trials).only(*CARD_FIELDS), PAGE_SIZE)
    paginator.count = figures.total  # already counted with the facets
    page = paginator.get_page(request.GET.get("page"))
    shown = list(page.object_list)
    rest = request.GET.copy()
    rest.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "trials": shown,
        "owners": selectors.owner_names([trial.pk for trial in shown]),
        "facets": _facets(request, figures),
        "query": query,
        "overdue_only": bool(request.GET.get("overdue")),
        "querystring": rest.urlencode(),
        "can_create": services.may_create(request.user),
    }
    return render(request, "trials/list.html", context)


SHARE_LABELS = {
    "preregistered": (gettext_lazy("Pre-registered"), gettext_lazy("of all trials")),
    "randomised": (gettext_lazy("Randomised"), gettext_lazy("of all trials")),
    "decided": (gettext_lazy("With a decision"), gettext_lazy("of the ended trials")),
    "permanent": (gettext_lazy("Made permanent"), gettext_lazy("of the decided trials")),
}


@require_GET
def trial_statistics(request: HttpRequest) -> HttpResponse:
    """The statistics the white paper asks for, of the trials the overview shows for the same search and filters:
    trials per year by kind and four shares, each as a chart with its table."""
    form = FilterForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    params = {name: request.GET.getlist(name) for name in (*selectors.FACETS, "overdue")}
    stats = selectors.statistics(selectors.filtered(request.user, params, query))
    not_given = _("Year not given")
    kind_labels = dict(TrialKind.choices)
    context = {
        "stats": stats,
        "year_header": [_("Year"), *(kind_labels[kind] for kind in stats.kinds), _("In all")],
        "years": [
            (year if year is not None else not_given, "", [*counts, total]) for year, counts, total in stats.by_year
        ],
        "year_chart": [(str(year) if year is not None else not_given, total) for year, _c, total in stats.by_year],
        "share_header": [_("Share"), _("Trials"), _("Of"), _("Percent")],
        "shares": [
            (SHARE_LABELS[share.key][0], SHARE_LABELS[share.key][1], [share.count, share.of, f"{share.percent} %"])
            for share in stats.shares
        ],
        "share_chart": [(str(SHARE_LABELS[share.key][0]), share.percent) for share in stats.shares],
        "querystring": request.GET.urlencode(),
    }
    return render(request, "trials/statistics.html", context)


# A trial's page


@require_GET
def trial_detail(request: HttpRequest, slug: str) -> HttpResponse:
    trial = visible_trial(request, slug)
    is_overdue = selectors.overdue().filter(pk=trial.pk).exists()
    registration = getattr(trial, "registration", None)
    current = services.current_plan(trial)
    context = {
        "trial": trial,
        "owners": trial.owners.all(),
        "partners": trial.partners.all(),
        "registration": registration,
        "current_fingerprint": rules.plan_fingerprint(current) if current else "",
        "amendments": selectors.amendments(trial),
        "diff": selectors.diff_since_registration(registration.plan if registration else None, current),
        "results": selectors.results_with_effects(trial),
        "exemptions": trial.exemptions.all(),
        "status_changes": trial.status_changes.select_related("by"),
        "approval_steps": trial.approval_steps.all(),
        "checklist": trial.checklist_answers.all(),
        "is_overdue": is_overdue,
        "can_edit": services.can_change(request.user, trial),
        "actions": _actions(trial),
        "admission": getattr(trial, "admission", None),
        "adopted_by": trial.adopted_by.visible_to(request.user).order_by("title"),
    }
    return render(request, "trials/detail.html", context)


def _actions(trial: Trial) -> list[tuple[str, str]]:
    """The transitions a trial's page offers now (as buttons), by status."""
    actions: list[tuple[str, str]] = []
    if trial.status == TrialStatus.PLANNED and not trial.not_preregistered:
        actions.append(("preregister", _("Pre-register the plan")))
        actions.append(("not_preregistered", _("Label as not pre-registered")))
    if trial.status == TrialStatus.PREREGISTERED or (trial.status == TrialStatus.PLANNED and trial.not_preregistered):
        actions.append(("approve", _("Mark as approved")))
    if trial.status == TrialStatus.APPROVED:
        actions.append(("start", _("Mark as started")))
    if trial.status == TrialStatus.RUNNING:
        actions.append(("end", _("Mark as ended")))
    return actions


def _detail_url(trial: Trial) -> str:
    return reverse("trials:detail", kwargs={"slug": trial.slug})


# Creating and editing


@login_required
@require_http_methods(["GET", "POST"])
def trial_create(request: HttpRequest) -> HttpResponse:
    if not services.may_create(request.user):
        raise PermissionDenied
    form = TrialForm(posted(request), user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.trial_create(
            actor=request.user, owners=list(data["owners"]), fields=form.service_fields()
        ),
        success=_("The trial is registered."),
        template="trials/form.html",
        context={},
        then=_detail_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def trial_edit(request: HttpRequest, slug: str) -> HttpResponse:
    trial = editable_trial(request, slug)
    if request.method == "POST":
        form = TrialForm(request.POST, user=request.user, trial=trial)
    else:
        form = TrialForm(initial=initial_for(trial), user=request.user, trial=trial)
    return form_page(
        request,
        form,
        lambda data: services.trial_update(
            actor=request.user,
            trial=trial,
            fields=form.service_fields(),
            owners=list(data["owners"]),
            amendment_reason=data.get("amendment_reason", ""),
        ),
        success=_("The trial is saved."),
        template="trials/form.html",
        context={"trial": trial},
        then=_detail_url(trial),
    )


# The approval checklist (trial act)


@login_required
@require_http_methods(["GET", "POST"])
def trial_approval(request: HttpRequest, slug: str) -> HttpResponse:
    trial = editable_trial(request, slug)
    if trial.kind != TrialKind.FORSOKSLOVEN:
        raise Http404
    if request.method == "POST":
        form = ApprovalForm(request.POST)

        def save(data: dict[str, Any]) -> None:
            with transaction.atomic():
                for step in rules.APPROVAL_STEPS:
                    services.approval_step_set(
                        actor=request.user, trial=trial, step=step, dated_on=data[f"step_{step}"]
                    )
                for item in rules.LIMITS_CHECKLIST:
                    answer = data[f"answer_{item}"]
                    services.checklist_answer_set(
                        actor=request.user,
                        trial=trial,
                        item=item,
                        answer=None if not answer else answer == "yes",
                        reason=data[f"reason_{item}"],
                    )

        if form_saved(request, form, save, success=_("The approval steps and the checklist are saved.")):
            return redirect("trials:detail", slug=trial.slug)
        return render(request, "trials/approval.html", {"form": form, "trial": trial}, status=400)
    form = ApprovalForm(initial=approval_initial(trial))
    return render(request, "trials/approval.html", {"form": form, "trial": trial})


# Transitions

TRANSITIONS = {
    "preregister": services.preregister,
    "not_preregistered": services.mark_not_preregistered,
    "approve": services.approve,
    "start": services.start,
    "end": services.end,
}


@login_required
@require_POST
def trial_transition(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    trial = editable_trial(request, slug)
    move = TRANSITIONS.get(action)
    if move is None:
        raise Http404
    try:
        move(actor=request.user, trial=trial)  # type: ignore[operator]
    except TrialError as error:
        for _field, message in error.problems:
            messages.error(request, message)
    else:
        messages.success(request, _("The trial's status is changed."))
    return redirect("trials:detail", slug=trial.slug)


# Results


def _results_page(request: HttpRequest, trial: Trial, forms: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {"trial": trial, "results": selectors.results_with_effects(trial), **forms}
    return render(request, "trials/results.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def trial_results(request: HttpRequest, slug: str) -> HttpResponse:
    trial = editable_trial(request, slug)
    forms: dict[str, Any] = {
        "counts_form": CountsForm(prefix="counts"),
        "means_form": MeansForm(prefix="means"),
        "units_form": UnitsForm(prefix="units"),
        "report_form": ReportForm(initial={"result_summary": trial.result_summary}),
    }
    if request.method == "GET":
        return _results_page(request, trial, forms)
    kind = request.POST.get("kind", "")
    if kind == "counts":
        form: Any = CountsForm(request.POST, prefix="counts")
    elif kind == "means":
        form = MeansForm(request.POST, prefix="means")
    elif kind == "units":
        form = UnitsForm(request.POST, request.FILES, prefix="units")
    else:
        messages.error(request, _("Choose how the result is entered."))
        return _results_page(request, trial, forms, status=400)
    forms[f"{kind}_form"] = form
    if form.is_valid():
        data = form.cleaned_data
        try:
            if kind == "counts":
                services.result_add_counts(
                    actor=request.user,
                    trial=trial,
                    outcome=data["outcome"],
                    arms=[
                        (data["label_1"], data["events_1"], data["n_1"]),
                        (data["label_2"], data["events_2"], data["n_2"]),
                    ],
                )
            elif kind == "means":
                services.result_add_means(
                    actor=request.user,
                    trial=trial,
                    outcome=data["outcome"],
                    arms=[
                        (data["label_1"], data["mean_1"], data["sd_1"], data["n_1"]),
                        (data["label_2"], data["mean_2"], data["sd_2"], data["n_2"]),
                    ],
                )
            else:  # read in a background job, whose progress page this answers with
                services.result_units_check(actor=request.user, trial=trial, outcome_type=data["outcome_type"])
                job = jobs.result_units_start(
                    actor=request.user,
                    trial=trial,
                    upload=data["file"].file,
                    filename=data["file"].name,
                    outcome=data["outcome"],
                    outcome_type=data["outcome_type"],
                    icc=data.get("icc"),
                )
                return redirect("core:job", job_id=job.pk)
        except TrialError as error:
            for field, message in error.problems:
                target = {"arms_0_events": "events_1", "arms_1_events": "events_2"}.get(field, field)
                form.add_error(target if target in form.fields else None, message)
        else:
            messages.success(request, _("The result is saved."))
            return redirect("trials:results", slug=trial.slug)
    return _results_page(request, trial, forms, status=400)


@login_required
@require_POST
def trial_report(request: HttpRequest, slug: str) -> HttpResponse:
    trial = editable_trial(request, slug)
    form = ReportForm(request.POST)
    if form_saved(
        request,
        form,
        lambda data: services.report_results(actor=request.user, trial=trial, summary=data["result_summary"]),
        success=_("The results are reported."),
    ):
        return redirect("trials:detail", slug=trial.slug)
    forms = {
        "counts_form": CountsForm(prefix="counts"),
        "means_form": MeansForm(prefix="means"),
        "units_form": UnitsForm(prefix="units"),
        "report_form": form,
    }
    return _results_page(request, trial, forms, status=400)


# Exemptions


@login_required
@require_http_methods(["GET", "POST"])
def trial_exemptions(request: HttpRequest, slug: str) -> HttpResponse:
    """The rules the trial sets aside: which, why and for whom."""
    trial = editable_trial(request, slug)
    return form_page(
        request,
        ExemptionForm(posted(request)),
        lambda data: services.exemption_add(
            actor=request.user, trial=trial, rule=data["rule"], reason=data["reason"], for_whom=data["for_whom"]
        ),
        success=_("The exemption is added."),
        template="trials/exemptions.html",
        context={"trial": trial, "exemptions": trial.exemptions.all()},
        then=reverse("trials:exemptions", kwargs={"slug": trial.slug}),
    )


@login_required
@require_POST
def exemption_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    trial = editable_trial(request, slug)
    exemption = get_object_or_404(Exemption, trial=trial, pk=pk)
    services.exemption_remove(actor=request.user, exemption=exemption)
    messages.success(request, _("The exemption is removed."))
    return redirect("trials:exemptions", slug=trial.slug)


# Sandboxes


@require_GET
def sandbox_list(request: HttpRequest) -> HttpResponse:
    sandboxes = Sandbox.objects.select_related("owner").prefetch_related("rounds")
    return render(request, "trials/sandboxes.html", {"sandboxes": sandboxes})


@require_GET
def sandbox_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A sandbox: who runs it, its admission criteria, its rounds, and the admitted projects the visitor may see,
    each with its plan and exit report."""
    sandbox = get_object_or_404(Sandbox.objects.select_related("owner"), slug=slug)
    visible = Trial.objects.visible_to(request.user).filter(sandbox=sandbox)
    admissions = SandboxAdmission.objects.filter(trial__in=visible).select_related("trial")
    by_round: dict[int, list[SandboxAdmission]] = {}
    for admission in admissions:
        by_round.setdefault(admission.round_id, []).append(admission)
    rounds = [(round_, by_round.get(round_.pk, [])) for round_ in sandbox.rounds.all()]
    others = visible.exclude(pk__in=admissions.values("trial_id")).order_by("title")
    context = {"sandbox": sandbox, "rounds": rounds, "others": others}
    return render(request, "trials/sandbox.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def trial_sandbox(request: HttpRequest, slug: str) -> HttpResponse:
    trial = editable_trial(request, slug)
    if trial.kind != TrialKind.SANDBOX or trial.sandbox is None:
        raise Http404
    admission = SandboxAdmission.objects.filter(trial=trial).first()
    initial = (
        {"round": admission.round_id, "plan": admission.plan, "exit_report": admission.exit_report} if admission else {}
    )
    return form_page(
        request,
        SandboxForm(posted(request), initial=initial, trial=trial),
        lambda data: services.sandbox_participation_set(
            actor=request.user, trial=trial, round=data["round"], plan=data["plan"], exit_report=data["exit_report"]
        ),
        success=_("The admission and the exit report are saved."),
        template="trials/sandbox_form.html",
        context={"trial": trial},
        then=_detail_url(trial),
    )


# The decision


@login_required
@require_http_methods(["GET", "POST"])
def trial_decide(request: HttpRequest, slug: str) -> HttpResponse:
    trial = editable_trial(request, slug)
    return form_page(
        request,
        DecisionForm(posted(request), user=request.user),
        lambda data: services.decide(
            actor=request.user,
            trial=trial,
            decision=data["decision"],
            reason=data["decision_reason"],
            lessons=data["lessons"],
            adopted_by=data["adopted_by"],
        ),
        success=_("The decision is recorded."),
        template="trials/decide.html",
        context={"trial": trial},
        then=_detail_url(trial),
    )
