"""Pages of the survey engine: leaders open and follow rounds; respondents answer without an account.

Leaders' pages answer 404 to a round of an organisation the user does not lead (its existence is not revealed).
Respondents' pages need no login: the link is the authority, and the pages never set anything that identifies
the respondent (no cookie beyond Django's CSRF token, nothing stored about the request).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nyskap.core.forms import refused_characters_only
from nyskap.core.permissions import is_editor_of, organisations_edited_by
from nyskap.core.visibility import is_operator
from nyskap.organisations.models import Organisation

from . import answers, registry, selectors, services, throttle
from .errors import SurveyError
from .forms import AnswerForm, InviteForm, RoundForm, parse_email_list
from .models import EmailDomain, InvitationBatch, Round, Unit
from .selectors import Access


def _led_round(request: HttpRequest, pk: int) -> Round:
    round = get_object_or_404(Round.objects.select_related("organisation", "version__questionnaire"), pk=pk)
    if not is_editor_of(request.user, round.organisation):
        raise Http404
    return round


def _led_organisations(user: Any) -> list[Organisation]:
    if is_operator(user):
        return []
    return list(organisations_edited_by(user).order_by("name"))


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = Round.objects.led_by(request.user).select_related("organisation", "version__questionnaire")[:200]
    return render(
        request,
        "surveys/round_list.html",
        {"rounds": rounds, "organisations": _led_organisations(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org_slug)
    if not is_editor_of(request.user, organisation):
        return render(request, "surveys/refused.html", {"organisation": organisation}, status=403)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = services.round_create(
                actor=request.user,
                organisation=organisation,
                data=services.RoundInput(
                    title=data["title"],
                    version=data["version"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    threshold=data["threshold"],
                    expected_respondents=data["expected_respondents"],
                    share_in_benchmarks=data["share_in_benchmarks"],
                    units=data["units"].splitlines(),
                    link_enabled=data["link_enabled"],
                    link_threshold=data["link_threshold"] or services.DEFAULT_LINK_THRESHOLD,
                    link_cap=data["link_cap"] or services.DEFAULT_LINK_CAP,
                ),
            )
        except SurveyError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The round is created. Share the link or invite people by e-mail."))
            return redirect(round)
    return render(request, "surveys/round_form.html", {"form": form, "organisation": organisation})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = _led_round(request, pk)
    language = request.user.email_language  # type: ignore[union-attr]
    return _render_detail(request, round, InviteForm(round=round, initial={"language": language}))


def _render_detail(request: HttpRequest, round: Round, invite_form: InviteForm, status: int = 200) -> HttpResponse:
    progress = selectors.round_progress(round)
    context = {
        "round": round,
        "progress": progress,
        "rate_percent": round_percent(progress.rate),
        "invite_form": invite_form,
        "shared_link": request.build_absolute_uri(reverse("surveys:respond", kwargs={"token": round.link_token}))
        if round.link_enabled
        else None,
        "units": list(round.units.all()),
        "results_url": registry.results_url(round),
        "can_reopen": round.closed_early and not round.is_closed_for_good() and not round.frozen,
        "batches": InvitationBatch.objects.filter(round=round).select_related("unit", "invited_by")[:200],
        "email_domains": ", ".join(
            EmailDomain.objects.filter(organisation=round.organisation).values_list("domain", flat=True)
        ),
    }
    if getattr(request, "htmx", None) and request.GET.get("fragment") == "progress":
        return render(request, "surveys/_progress.html", context)
    return render(request, "surveys/round_detail.html", context, status=status)


def round_percent(rate: float | None) -> int | None:
    return round(rate * 100) if rate is not None else None


@login_required
@require_POST
def round_invite(request: HttpRequest, pk: int) -> HttpResponse:
    round = _led_round(request, pk)
    form = InviteForm(request.POST, round=round)
    if form.is_valid():
        unit = None
        if form.cleaned_data.get("unit"):
            unit = Unit.objects.filter(round=round, pk=form.cleaned_data["unit"]).first()
        try:
            emails = parse_email_list(form.cleaned_data["emails"])
            result = services.round_invite(
                actor=request.user, round=round, emails=emails, unit=unit, language=form.cleaned_data.get("language")
            )
        except SurveyError as error:
            form.add_error(error.field if error.field in form.fields else "emails", error.message)
        else:
            messages.success(
                request,
                _("Invitations sent: %(sent)s. Already invited: %(already)s.")
                % {"sent": result.sent, "already": result.already_invited},
            )
            return redirect(round)
    return _render_detail(request, round, form, status=422)


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    round = _led_round(request, pk)
    try:
        if action == "close":
            services.round_close(actor=request.user, round=round)
            messages.success(request, _("The round is closed. No more answers are taken."))
        elif action == "reopen":
            services.round_reopen(actor=request.user, round=round)
            messages.success(request, _("The round is open again."))
        else:
            count = services.round_request_reminders(actor=request.user, round=round)
            messages.success(request, _("Reminders are being sent to %(count)s people.") % {"count": count})
    except SurveyError as error:
        messages.error(request, error.message)
    return redirect(round)


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "close")


@login_required
@require_POST
def round_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "reopen")


@login_required
@require_POST
def round_remind(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "remind")


# Answering


def _by_link(access: Access) -> bool:
    return access.invitation is None and access.draft is None


def _too_many(request: HttpRequest) -> HttpResponse:
    message = _("Too many answers from this device in a short time. Wait a few minutes and try again.")
    return render(request, "surveys/link_refused.html", {"message": message}, status=429)


def _answer_page(
    request: HttpRequest, access: Access, action_url: str, resume_secret: str | None, initial: dict | None = None
) -> HttpResponse:
    round = access.round
    items = list(round.version.items.select_related("dimension").order_by("order"))
    by_link = _by_link(access)
    if request.method == "POST":
        if by_link and not throttle.link_allowed(request, round_id=round.pk, action="answer"):
            return _too_many(request)
        form = AnswerForm(request.POST, round=round, items=items)
        if refused_characters_only(form):
            return _render_answer(request, round, form, action_url, status=422)
        submit = request.POST.get("action") == "submit"
        try:
            result = services.response_save(
                access=access,
                data=form.answer_data(),
                submit=submit,
                resume_secret=resume_secret,
                ticket=form.ticket(),
            )
        except SurveyError as error:
            if by_link:
                # A fresh ticket, in case this one was spent; the respondent's other input is kept.
                form = AnswerForm(
                    request.POST, round=round, items=items, ticket=services.link_ticket_issue(round=round)
                )
            form.full_clean()
            form._errors = ErrorDict()  # type: ignore[attr-defined]
            form.cleaned_data = {}
            for key, message in error.errors.items():
                form.add_error(key if key in form.fields else None, message)
            if not error.errors:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            return _render_answer(request, round, form, action_url, status=422)
        if result.submitted:
            return redirect("surveys:thanks")
        resume_url = request.build_absolute_uri(reverse("surveys:resume", kwargs={"secret": result.resume_secret}))
        return render(request, "surveys/saved.html", {"round": round, "resume_url": resume_url})
    ticket = None
    if by_link:
        if not throttle.link_allowed(request, round_id=round.pk, action="ticket"):
            return _too_many(request)
        ticket = services.link_ticket_issue(round=round)
    form = AnswerForm(initial=initial or {}, round=round, items=items, ticket=ticket)
    return _render_answer(request, round, form, action_url)


def _render_answer(
    request: HttpRequest, round: Round, form: AnswerForm, action_url: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "surveys/answer.html",
        {"round": round, "form": form, "action_url": action_url, "version": round.version},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    try:
        access = selectors.resolve_token(token)
    except SurveyError as error:
        return render(
            request, "surveys/link_refused.html", {"message": error.message}, status=404 if error.unknown else 410
        )
    return _answer_page(request, access, reverse("surveys:respond", kwargs={"token": token}), resume_secret=None)


@never_cache
@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest, secret: str) -> HttpResponse:
    try:
        access = selectors.resolve_resume(secret)
    except SurveyError as error:
        return render(
            request, "surveys/link_refused.html", {"message": error.message}, status=404 if error.unknown else 410
        )
    initial = answers.draft_answers(access.draft) if access.draft else {}
    return _answer_page(
        request, access, reverse("surveys:resume", kwargs={"secret": secret}), resume_secret=secret, initial=initial
    )


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/thanks.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/privacy.html")
