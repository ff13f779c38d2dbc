"""The challenge pages: the list (filters, counts of bodies sharing each need, search), a challenge's page with
its questions, joining, the supplier's proposal and receipt, the owners' evaluation and outcome, the public outcome
table and the supplier's followed sectors and topics. Every page works without JavaScript; a refused form is shown
again with status 400 and the error at its field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nyskap.core.forms import add_problems, form_page, form_saved, posted
from nyskap.core.permissions import is_operator
from nyskap.core.spreadsheets import csv_separator, csv_text

from . import selectors, services
from .forms import (
    FACET_LABELS,
    AnswerForm,
    ChallengeForm,
    CriteriaForm,
    FilterForm,
    FollowForm,
    JoinForm,
    NotAwardedForm,
    OutcomeForm,
    ProposalForm,
    QuestionForm,
    ReasonForm,
    ScoreForm,
    StageForm,
    criteria_initial,
    initial_for,
)
from .models import (
    Challenge,
    ChallengeAttachment,
    ChallengeStatus,
    JoinStatus,
    ProgrammeStage,
    Proposal,
    ProposalStatus,
    Question,
    SharedNeed,
    SupplierFollow,
)
from .services import ChallengeError

PAGE_SIZE = 20


def visible_challenge(request: HttpRequest, slug: str) -> Challenge:
    """The challenge, if the visitor may see it; 404 otherwise, so a draft's existence is not revealed."""
    challenge = get_object_or_404(Challenge, slug=slug)
    if not services.can_view(request.user, challenge):
        raise Http404
    return challenge


def editable_challenge(request: HttpRequest, slug: str) -> Challenge:
    challenge = visible_challenge(request, slug)
    if not services.can_change(request.user, challenge):
        raise PermissionDenied
    return challenge


# The list


def _facets(request: HttpRequest, counts: dict[str, dict[Any, int]]) -> list[dict[str, Any]]:
    facets = []
    for name, (label, labels) in FACET_LABELS.items():
        chosen = request.GET.getlist(name)
        values = [
            {"value": value, "label": labels.get(value, value), "count": count, "selected": str(value) in chosen}
            for value, count in sorted(counts.get(name, {}).items(), key=lambda item: (-item[1], str(item[0])))
        ]
        if values:
            facets.append({"name": name, "label": label, "values": values})
    return facets


@require_GET
def challenge_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data.get("q", "") if valid else ""
    sort = form.cleaned_data.get("sort", "") if valid else ""
    min_bodies = form.cleaned_data.get("min_bodies") if valid else None
    params = {name: request.GET.getlist(name) for name in (*selectors.FACETS, "topic")}
    base = selectors.visible_to(request.user)
    challenges = selectors.filtered(base, params, query, sort, min_bodies)
    counts = selectors.facet_counts(challenges)
    page = Paginator(challenges.prefetch_related("owners"), PAGE_SIZE).get_page(request.GET.get("page"))
    rest = request.GET.copy()
    rest.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "challenges": page.object_list,
        "facets": _facets(request, counts),
        "query": query,
        "querystring": rest.urlencode(),
        "can_create": services.may_create(request.user),
        "is_supplier": services.supplier_of(request.user) is not None,
    }
    return render(request, "challenges/list.html", context, status=200 if valid else 400)


# A challenge's page


def _actions(challenge: Challenge) -> list[tuple[str, str]]:
    actions: list[tuple[str, str]] = []
    if challenge.status == ChallengeStatus.DRAFT:
        actions.append(("open_dialogue", _("Open for dialogue")))
    if challenge.status in (ChallengeStatus.DRAFT, ChallengeStatus.DIALOGUE):
        actions.append(("open_proposals", _("Open for proposals")))
    if challenge.status == ChallengeStatus.PROPOSALS:
        actions.append(("start_evaluation", _("Close and start the evaluation")))
    if challenge.status == ChallengeStatus.AWARDED:
        actions.append(("put_in_use", _("Mark as in use")))
    return actions


def _detail_url(challenge: Challenge) -> str:
    return reverse("challenges:detail", kwargs={"slug": challenge.slug})


def _detail_context(request: HttpRequest, challenge: Challenge) -> dict[str, Any]:
    owner = services.is_owner_member(request.user, challenge)
    can_change = services.can_change(request.user, challenge)
    supplier = services.supplier_of(request.user)
    own_proposal = (
        Proposal.objects.filter(challenge=challenge, supplier=supplier).first() if supplier is not None else None
    )
    return {
        "challenge": challenge,
        "ownerships": challenge.ownerships.select_related("organisation").order_by("-is_lead", "organisation__name"),
        "shared_needs": challenge.shared_needs.select_related("organisation"),
        "status_changes": challenge.status_changes.all(),
        "attachments": challenge.attachments.all(),
        "stages": challenge.stages.all(),
        "questions": selectors.questions_for(request.user, challenge, owner=owner),
        "is_owner": owner,
        "can_change": can_change,
        "actions": _actions(challenge) if can_change else [],
        "can_join": challenge.is_public and not owner and services.public_bodies_edited_by(request.user).exists(),
        "supplier": supplier,
        "own_proposal": own_proposal,
        "can_ask": supplier is not None and challenge.status in (ChallengeStatus.DIALOGUE, ChallengeStatus.PROPOSALS),
        "can_propose": supplier is not None and challenge.status == ChallengeStatus.PROPOSALS,
        "proposal_count": selectors.proposals_for_owners(challenge).count() if owner else None,
        # Every member of an owning body reads the proposals (any role); editors also evaluate them.
        "owner_proposals": selectors.proposals_for_owners(challenge) if owner else [],
        "outcome": getattr(challenge, "outcome", None),
        "question_form": QuestionForm(),
        # Operators see that proposals exist (metadata) and may read one only by stating a reason.
        "operator_proposals": selectors.proposals_for_owners(challenge)
        if is_operator(request.user) and not owner
        else [],
    }


@require_GET
def challenge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = visible_challenge(request, slug)
    return render(request, "challenges/detail.html", _detail_context(request, challenge))


@require_GET
def attachment_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    challenge = visible_challenge(request, slug)
    attachment = get_object_or_404(ChallengeAttachment, challenge=challenge, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename)


# Creating and editing


@login_required
@require_http_methods(["GET", "POST"])
def challenge_create(request: HttpRequest) -> HttpResponse:
    if not services.may_create(request.user):
        raise PermissionDenied
    form = ChallengeForm(posted(request), request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                challenge = services.challenge_create(
                    actor=request.user, owners=list(form.cleaned_data["owners"]), fields=form.service_fields()
                )
                if form.cleaned_data.get("attachment"):
                    services.attachment_add(
                        actor=request.user, challenge=challenge, file=form.cleaned_data["attachment"]
                    )
            except ChallengeError as error:
                add_problems(form, error)
            else:
                messages.success(request, _("The challenge is saved as a draft."))
                return redirect("challenges:detail", slug=challenge.slug)
        return render(request, "challenges/form.html", {"form": form}, status=400)
    return render(request, "challenges/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = editable_challenge(request, slug)
    if request.method == "POST":
        form = ChallengeForm(request.POST, request.FILES, user=request.user, challenge=challenge)
        if form.is_valid():
            try:
                services.challenge_update(actor=request.user, challenge=challenge, fields=form.service_fields())
                if form.cleaned_data.get("attachment"):
                    services.attachment_add(
                        actor=request.user, challenge=challenge, file=form.cleaned_data["attachment"]
                    )
            except ChallengeError as error:
                add_problems(form, error)
            else:
                messages.success(request, _("The challenge is saved."))
                return redirect("challenges:detail", slug=challenge.slug)
        return render(request, "challenges/form.html", {"form": form, "challenge": challenge}, status=400)
    form = ChallengeForm(initial=initial_for(challenge), user=request.user, challenge=challenge)
    return render(request, "challenges/form.html", {"form": form, "challenge": challenge})


TRANSITIONS = {
    "open_dialogue": services.open_dialogue,
    "open_proposals": services.open_proposals,
    "start_evaluation": services.start_evaluation,
    "put_in_use": services.put_in_use,
}


@login_required
@require_POST
def challenge_transition(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    challenge = editable_challenge(request, slug)
    move = TRANSITIONS.get(action)
    if move is None:
        raise Http404
    try:
        move(actor=request.user, challenge=challenge)
    except ChallengeError as error:
        for _field, message in error.problems:
            messages.error(request, message)
        context = _detail_context(request, challenge)
        return render(request, "challenges/detail.html", context, status=400)
    messages.success(request, _("The status is changed."))
    return redirect("challenges:detail", slug=challenge.slug)


@login_required
@require_http_methods(["GET", "POST"])
def challenge_not_awarded(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = editable_challenge(request, slug)
    return form_page(
        request,
        NotAwardedForm(posted(request)),
        lambda data: services.not_award(actor=request.user, challenge=challenge, reason=data["reason"]),
        success=_("The challenge is marked as not awarded."),
        template="challenges/not_awarded.html",
        context={"challenge": challenge},
        then=_detail_url(challenge),
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_outcome(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = editable_challenge(request, slug)
    return form_page(
        request,
        OutcomeForm(posted(request), user=request.user, initial={"procedure": challenge.procedure}),
        lambda data: services.award(actor=request.user, challenge=challenge, **data),
        success=_("The outcome is recorded and every supplier who proposed is told."),
        template="challenges/outcome.html",
        context={"challenge": challenge},
        then=_detail_url(challenge),
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    challenge = editable_challenge(request, slug)
    stage = get_object_or_404(ProgrammeStage, challenge=challenge, pk=pk)
    initial = {name: getattr(stage, name) for name in StageForm.base_fields}
    return form_page(
        request,
        StageForm(posted(request), initial=initial),
        lambda data: services.stage_update(actor=request.user, stage=stage, **data),
        success=_("The stage is saved."),
        template="challenges/stage.html",
        context={"challenge": challenge, "stage": stage},
        then=_detail_url(challenge),
    )


# Joining


@login_required
@require_http_methods(["GET", "POST"])
def challenge_join(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = visible_challenge(request, slug)
    if not services.public_bodies_edited_by(request.user).exists():
        raise PermissionDenied
    return form_page(
        request,
        JoinForm(posted(request), user=request.user),
        lambda data: services.join(
            actor=request.user, challenge=challenge, organisation=data["organisation"], note=data["note"]
        ),
        success=_("Your body is counted as having the same need."),
        template="challenges/join.html",
        context={"challenge": challenge},
        then=_detail_url(challenge),
    )


@login_required
@require_POST
def join_decide(request: HttpRequest, slug: str, pk: int, decision: str) -> HttpResponse:
    challenge = editable_challenge(request, slug)
    shared = get_object_or_404(SharedNeed, challenge=challenge, pk=pk, status=JoinStatus.PENDING)
    if decision == "godta":
        services.accept_co_owner(actor=request.user, shared=shared)
        messages.success(request, _("%(organisation)s is a co-owner.") % {"organisation": shared.organisation})
    elif decision == "avsla":
        services.decline_co_owner(actor=request.user, shared=shared)
        messages.success(request, _("The answer is saved."))
    else:
        raise Http404
    return redirect("challenges:detail", slug=challenge.slug)


# Questions


@login_required
@require_http_methods(["GET", "POST"])
def question_ask(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = visible_challenge(request, slug)
    if services.supplier_of(request.user) is None:
        raise PermissionDenied
    return form_page(
        request,
        QuestionForm(posted(request)),
        lambda data: services.ask(actor=request.user, challenge=challenge, text=data["text"]),
        success=_("Your question is sent. The answer is published to everyone, without your name."),
        template="challenges/ask.html",
        context={"challenge": challenge},
        then=_detail_url(challenge),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    challenge = editable_challenge(request, slug)
    question = get_object_or_404(Question, challenge=challenge, pk=pk)
    return form_page(
        request,
        AnswerForm(posted(request), initial={"answer": question.answer}),
        lambda data: services.answer(actor=request.user, question=question, text=data["answer"]),
        success=_("The answer is published."),
        template="challenges/answer.html",
        context={"challenge": challenge, "question": question},
        then=_detail_url(challenge),
    )


# Proposals


@login_required
@require_http_methods(["GET", "POST"])
def proposal_own(request: HttpRequest, slug: str) -> HttpResponse:
    """The supplier's own proposal: send, change (before the deadline) and the receipt."""
    challenge = visible_challenge(request, slug)
    supplier = services.supplier_of(request.user)
    if supplier is None:
        raise PermissionDenied
    proposal = Proposal.objects.filter(challenge=challenge, supplier=supplier).first()
    initial = {"text": proposal.text} if proposal else {}
    return form_page(
        request,
        ProposalForm(posted(request), request.FILES or None, initial=initial),
        lambda data: services.submit_proposal(
            actor=request.user, challenge=challenge, text=data["text"], attachment=data.get("attachment")
        ),
        success=_("Your proposal is sent. The receipt is below and in your e-mail."),
        template="challenges/proposal_own.html",
        context={"challenge": challenge, "proposal": proposal},
        then=reverse("challenges:proposal", kwargs={"slug": challenge.slug}),
    )


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = visible_challenge(request, slug)
    supplier = services.supplier_of(request.user)
    proposal = Proposal.objects.filter(challenge=challenge, supplier=supplier).first() if supplier else None
    if proposal is None:
        raise Http404
    try:
        services.withdraw_proposal(actor=request.user, proposal=proposal)
    except ChallengeError as error:
        for _field, message in error.problems:
            messages.error(request, message)
        form = ProposalForm(initial={"text": proposal.text})
        context = {"form": form, "challenge": challenge, "proposal": proposal}
        return render(request, "challenges/proposal_own.html", context, status=400)
    messages.success(request, _("Your proposal is withdrawn."))
    return redirect("challenges:proposal", slug=challenge.slug)


def readable_proposal(request: HttpRequest, challenge: Challenge, pk: int) -> Proposal:
    """The proposal, for the members of the challenge's owners and the supplier that sent it; 404 for everyone
    else (operators included: they read through `proposal_operator_read`, with a reason)."""
    proposal = get_object_or_404(Proposal.objects.select_related("supplier"), challenge=challenge, pk=pk)
    sender = services.supplier_of(request.user) == proposal.supplier
    owner = proposal.status == ProposalStatus.SUBMITTED and services.can_read_proposals(request.user, challenge)
    if not (sender or owner):
        raise Http404
    return proposal


@login_required
@require_GET
def proposal_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    challenge = visible_challenge(request, slug)
    proposal = readable_proposal(request, challenge, pk)
    return render(request, "challenges/proposal_view.html", {"challenge": challenge, "proposal": proposal})


@login_required
@require_GET
def proposal_attachment(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    challenge = visible_challenge(request, slug)
    proposal = readable_proposal(request, challenge, pk)
    if not proposal.attachment:
        raise Http404
    return FileResponse(proposal.attachment.open("rb"), as_attachment=True, filename=proposal.attachment_name)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_operator_read(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An operator reads a proposal's content only after stating a reason, which is logged."""
    if not is_operator(request.user):
        raise Http404
    proposal = get_object_or_404(Proposal.objects.select_related("supplier", "challenge"), challenge__slug=slug, pk=pk)
    form = ReasonForm(posted(request))
    context: dict[str, Any] = {"form": form, "challenge": proposal.challenge, "proposal": proposal, "shown": False}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.log_operator_access(actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"])
            except ChallengeError as error:
                add_problems(form, error)
            else:
                context["shown"] = True
                return render(request, "challenges/operator_read.html", context)
        return render(request, "challenges/operator_read.html", context, status=400)
    return render(request, "challenges/operator_read.html", context)


# Evaluation


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = editable_challenge(request, slug)
    criteria = list(challenge.criteria.all())
    form = CriteriaForm(posted(request), initial=criteria_initial(criteria))
    status = 200
    if request.method == "POST":
        if form_saved(
            request,
            form,
            lambda data: services.set_criteria(actor=request.user, challenge=challenge, criteria=form.criteria()),
            success=_("The criteria are saved."),
        ):
            return redirect("challenges:evaluation", slug=challenge.slug)
        status = 400
    context = {
        "challenge": challenge,
        "form": form,
        "criteria": criteria,
        "ranked": selectors.ranked(challenge),
        "can_score": challenge.status == ChallengeStatus.EVALUATION,
    }
    return render(request, "challenges/evaluation.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_score(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    challenge = editable_challenge(request, slug)
    proposal = readable_proposal(request, challenge, pk)
    criteria = list(challenge.criteria.all())
    mine = {s.criterion_id: s.value for s in proposal.scores.filter(evaluator_id=request.user.pk)}
    form = ScoreForm(posted(request), criteria=criteria, initial={f"c{k}": v for k, v in mine.items()})
    return form_page(
        request,
        form,
        lambda data: services.score(actor=request.user, proposal=proposal, values=form.values()),
        success=_("Your scores are saved."),
        template="challenges/score.html",
        context={"challenge": challenge, "proposal": proposal},
        then=reverse("challenges:evaluation", kwargs={"slug": challenge.slug}),
    )


@login_required
@require_POST
def proposal_shortlist(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    challenge = editable_challenge(request, slug)
    proposal = readable_proposal(request, challenge, pk)
    try:
        services.set_shortlisted(actor=request.user, proposal=proposal, shortlisted=request.POST.get("on") == "1")
    except ChallengeError as error:
        for _field, message in error.problems:
            messages.error(request, message)
    return redirect("challenges:evaluation", slug=challenge.slug)


# The public outcome table


@require_GET
def outcomes(request: HttpRequest) -> HttpResponse:
    return render(request, "challenges/outcomes.html", {"rows": selectors.outcome_rows()})


@require_GET
def outcomes_csv(request: HttpRequest) -> HttpResponse:
    """The outcome table as CSV, as every export writes it (`;` by default, `?sep=comma` on request)."""
    header = ["challenge", "owners", "stage_reached", "procedure", "contract_value_nok", "suppliers", "date", "in_use"]
    rows = []
    for challenge in selectors.outcome_rows():
        outcome = getattr(challenge, "outcome", None)
        rows.append(
            [
                challenge.title,
                "; ".join(o.name for o in challenge.owners.all()),
                challenge.status,
                outcome.procedure if outcome else "",
                outcome.contract_value if outcome and outcome.contract_value is not None else "",
                outcome.suppliers if outcome else "",
                outcome.decided_on.isoformat() if outcome else "",
                "yes" if challenge.status == ChallengeStatus.IN_USE else "no",
            ]
        )
    body = csv_text(header, rows, separator=csv_separator(request.GET.get("sep")))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="utfordringer-utfall.csv"'
    return response


# Suppliers follow sectors and topics


@login_required
@require_http_methods(["GET", "POST"])
def follows(request: HttpRequest) -> HttpResponse:
    supplier = services.supplier_of(request.user)
    form = FollowForm(posted(request))
    context = {
        "form": form,
        "supplier": supplier,
        "follows": SupplierFollow.objects.filter(supplier=supplier) if supplier else [],
    }
    if request.method == "POST":
        if supplier is None:
            raise PermissionDenied
        if form_saved(
            request,
            form,
            lambda data: services.follow(actor=request.user, sector=data["sector"], topic=data["topic"]),
            success=_("You will get an e-mail when a matching challenge opens."),
        ):
            return redirect("challenges:follows")
        return render(request, "challenges/follows.html", context, status=400)
    return render(request, "challenges/follows.html", context)


@login_required
@require_POST
def unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    services.unfollow(actor=request.user, follow_id=pk)
    return redirect("challenges:follows")
