"""Following a project, an organisation, a sector or a saved search, and the daily digest of what is new.

Services (writes) and selectors (reads) in one module because they share the targets and the token format.

- ``subscription_create`` / ``subscription_delete`` are the only writes on `Subscription`.
- ``digest_for`` finds the new projects and phase changes that match a user's subscriptions. Visibility is checked
  again when the digest is made (``Project.objects.visible_to``), so a project that has become private since the
  user followed it is never mailed. The user's own doings (projects they author, phase changes they made) are left
  out: they are not news to them.
- ``send_digest`` sends one e-mail (plain text and HTML) when there is something, with an unsubscribe link per
  subscription and RFC 8058 one-click ``List-Unsubscribe`` headers.

Each subscription has its own window: from its ``last_sent_at`` (or ``created_at``) up to the moment the digest is
made, half-open ``[start, until)``, so an event is mailed once even if it happens while a digest is being sent.
"""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nyskap.core.search import filter_queryset
from nyskap.organisations.models import Organisation

from ..models import Phase, PhaseChange, Project, Sector, Subscription, SubscriptionKind
from ..search import SEARCH_RESULT_LIMIT, ProjectSearchForm, apply_filters

UNSUBSCRIBE_SALT = "nyskap.unsubscribe"
# Long enough for a digest found in the archive a year later; an expired link points to "My subscriptions".
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=400)
QUERY_MAX_LENGTH = Subscription._meta.get_field("query").max_length or 1000
LABEL_MAX_LENGTH = Subscription._meta.get_field("label").max_length or 200


class SubscriptionError(Exception):
    """A refused subscription; ``message`` is shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Targets


def normalise_search_query(query: str) -> tuple[str, ProjectSearchForm]:
    """The saved search's query string in one canonical form (fields in the form's order, values sorted, blanks,
    sort order and unknown parameters dropped), and the validated form. Two query strings that search the same
    give the same result, so the same search is followed once."""
    form = ProjectSearchForm(QueryDict(query.strip().lstrip("?")))
    if not form.is_valid():
        raise SubscriptionError(_("The saved search is not valid. Open the search again and follow it from there."))
    return normalised_search(form), form


def normalised_search(form: ProjectSearchForm) -> str:
    """The canonical query string of a validated search form (see `normalise_search_query`)."""
    pairs: list[tuple[str, str]] = []
    for name in form.fields:
        value = form.cleaned_data.get(name)
        if name == "sort" or not value:
            continue
        if name == "q":
            value = " ".join(str(value).split())
            if value:
                pairs.append((name, value))
        elif isinstance(value, list):
            pairs.extend((name, item) for item in sorted({str(v) for v in value}))
        else:
            pairs.append((name, str(value)))
    if not pairs:
        raise SubscriptionError(_("Add search words or at least one filter before you follow a search."))
    normalised = urlencode(pairs)
    if len(normalised) > QUERY_MAX_LENGTH:
        raise SubscriptionError(_("The search is too long to follow. Remove some filters and try again."))
    return normalised


def search_label(form: ProjectSearchForm) -> str:
    """A readable description of a validated search: “words” · Sector: Health and care, Education · …"""
    data = form.cleaned_data
    parts = []
    words = " ".join(str(data.get("q") or "").split())
    if words:
        parts.append(f"“{words}”")
    for name, form_field in form.fields.items():
        value = data.get(name)
        if name in ("q", "sort") or not value:
            continue
        labels = {str(key): str(label) for key, label in getattr(form_field, "choices", [])}
        values = value if isinstance(value, list) else [value]
        parts.append(f"{form_field.label}: {', '.join(labels.get(str(v), str(v)) for v in values)}")
    return Truncator(" · ".join(parts)).chars(LABEL_MAX_LENGTH)


def _resolve_target(kind: str, target: Any) -> tuple[dict[str, Any], str]:
    """The target field(s) of a subscription of ``kind`` and its label. ``target`` is the object or its key: a
    project's slug, an organisation's slug, a sector code or a search's query string. A missing project raises
    `PermissionDenied`, like one the user may not see, so following does not reveal which projects exist."""
    if kind == SubscriptionKind.PROJECT:
        project = target if isinstance(target, Project) else Project.objects.filter(slug=str(target or "")).first()
        if project is None:
            raise PermissionDenied(_("You cannot follow a project you do not have access to."))
        return {"project": project}, project.title
    if kind == SubscriptionKind.ORGANISATION:
        organisation = (
            target if isinstance(target, Organisation) else Organisation.objects.filter(slug=str(target or "")).first()
        )
        if organisation is None:
            raise SubscriptionError(_("There is no such organisation."))
        return {"organisation": organisation}, organisation.name
    if kind == SubscriptionKind.SECTOR:
        if target not in Sector.values:
            raise SubscriptionError(_("Choose a valid sector."))
        return {"sector": str(target)}, str(Sector(target).label)
    if kind == SubscriptionKind.SEARCH:
        query, form = normalise_search_query(str(target or ""))
        return {"query": query}, search_label(form)
    raise SubscriptionError(_("Choose what to follow: a project, an organisation, a sector or a search."))


def _require_user(user: Any) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Log in to follow projects."))


# Services


@transaction.atomic
def subscription_create(*, user: Any, kind: str, target: Any) -> Subscription:
    """Follow ``target`` (see `_resolve_target`). Following the same thing again returns the subscription there is.
    A project the user may not see raises `PermissionDenied`; an invalid target raises `SubscriptionError`."""
    _require_user(user)
    lookup, label = _resolve_target(kind, target)
    project = lookup.get("project")
    if project is not None and not user.has_perm("core.view_object", project):
        raise PermissionDenied(_("You cannot follow a project you do not have access to."))
    subscription, _created = Subscription.objects.get_or_create(
        user=user, kind=kind, **lookup, defaults={"label": Truncator(label).chars(LABEL_MAX_LENGTH)}
    )
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: Subscription, user: Any) -> None:
    """Stop following. Only the subscriber may do it (the unsubscribe link acts as the subscriber)."""
    if user is None or subscription.user_id != user.pk:
        raise PermissionDenied(_("You can only remove your own subscriptions."))
    subscription.delete()


@transaction.atomic
def subscription_delete_all(*, user: Any) -> int:
    """Stop following everything (the one-click unsubscribe of the digest's ``List-Unsubscribe`` header)."""
    deleted, _per_model = Subscription.objects.filter(user=user).delete()
    return deleted


# Selectors


def subscription_for(*, user: Any, kind: str, target: Any) -> Subscription | None:
    """The user's subscription to ``target``, if any (an unknown or invalid target has none)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        lookup, _label = _resolve_target(kind, target)
    except (SubscriptionError, PermissionDenied):
        return None
    return Subscription.objects.filter(user=user, kind=kind, **lookup).first()


def is_following(*, user: Any, kind: str, target: Any) -> bool:
    """For the follow button (`projects/follow/_button.html`)."""
    return subscription_for(user=user, kind=kind, target=target) is not None


def subscriptions_of(user: Any) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).select_related("project", "organisation").order_by("kind", "label")


def _site_url(path: str) -> str:
    return str(settings.SITE_URL or "").rstrip("/") + path


def project_path(project: Project) -> str:
    return reverse("projects:detail", kwargs={"slug": project.slug})


def search_path(query: str) -> str:
    return f"{reverse('projects:list')}?{query}"


def target_path(subscription: Subscription) -> str:
    """Where the followed thing is shown on the site."""
    if subscription.kind == SubscriptionKind.PROJECT and subscription.project is not None:
        return project_path(subscription.project)
    if subscription.kind == SubscriptionKind.ORGANISATION and subscription.organisation is not None:
        return subscription.organisation.get_absolute_url()
    if subscription.kind == SubscriptionKind.SECTOR:
        return search_path(urlencode({"sector": subscription.sector}))
    return search_path(subscription.query)


# Unsubscribe tokens: the signed token is the authority, so the link works without logging in.


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(subscription: Subscription) -> str:
    return _signer().sign_object({"u": subscription.user_id, "s": subscription.pk})


def unsubscribe_all_token(user: Any) -> str:
    return _signer().sign_object({"u": user.pk})


def unsubscribe_url(token: str) -> str:
    return _site_url(reverse("project_follow:unsubscribe", kwargs={"token": token}))


@dataclass(frozen=True)
class Unsubscribe:
    """What a valid token unsubscribes from: one subscription (``subscription_id``) or all of the user's."""

    user_id: int
    subscription_id: int | None

    def subscriptions(self) -> QuerySet[Subscription]:
        found = Subscription.objects.filter(user_id=self.user_id)
        if self.subscription_id is not None:
            found = found.filter(pk=self.subscription_id)
        return found.select_related("project", "organisation")


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    """The request in ``token``, or None when the token is tampered with, malformed or expired."""
    try:
        data = _signer().unsign_object(token, max_age=UNSUBSCRIBE_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    subscription_id = data.get("s")
    if subscription_id is not None and not isinstance(subscription_id, int):
        return None
    return Unsubscribe(user_id=data["u"], subscription_id=subscription_id)


@transaction.atomic
def unsubscribe(*, request: Unsubscribe) -> int:
    """Delete what a valid token names; the number of subscriptions removed (0 when already gone)."""
    removed = 0
    for subscription in request.subscriptions().select_for_update(of=("self",)):
        subscription_delete(subscription=subscription, user=subscription.user)
        removed += 1
    return removed


# The digest


@dataclass
class Digest:
    user: Any
    until: datetime.datetime
    subscriptions: list[Subscription]
    new_projects: list[Project] = field(default_factory=list)
    phase_changes: list[PhaseChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.new_projects and not self.phase_changes


def _target_q(subscription: Subscription, prefix: str = "") -> Q:
    """Projects (``prefix`` "") or rows pointing at projects (``prefix`` "project__") matching a non-search
    subscription. Organisations match the projects they own."""
    if subscription.kind == SubscriptionKind.PROJECT:
        return Q(**{f"{prefix}pk": subscription.project_id})
    if subscription.kind == SubscriptionKind.ORGANISATION:
        owned = Project.owners.through.objects.filter(organisation=subscription.organisation_id)
        return Q(**{f"{prefix}pk__in": owned.values("project_id")})
    return Q(**{f"{prefix}sector": subscription.sector})


def _search_ids(candidates: QuerySet[Project], query: str) -> list[int]:
    """The ids among ``candidates`` that the saved search finds: the same filters and full-text matching as
    `search.search_projects`, run over the candidates only, so a broad search cannot push a new project out."""
    form = ProjectSearchForm(QueryDict(query))
    if not form.is_valid():  # the choices changed since the search was saved
        return []
    filtered = apply_filters(candidates, form.cleaned_data)
    words = (form.cleaned_data.get("q") or "").strip()
    if words:
        filtered = filter_queryset(filtered, words, limit=SEARCH_RESULT_LIMIT, complete_below=0)
    return list(filtered.values_list("pk", flat=True))


def _any(conditions: list[Q]) -> Q | None:
    return functools.reduce(operator.or_, conditions) if conditions else None


def digest_for(
    user: Any,
    since: datetime.datetime | None = None,
    *,
    until: datetime.datetime | None = None,
    subscriptions: list[Subscription] | None = None,
) -> Digest:
    """New projects (created in the window) and phase changes (``PhaseChange.at`` in the window) that match any of
    the user's subscriptions and that the user may see now, each once. The window runs from ``since`` — by default
    each subscription's ``last_sent_at`` or ``created_at`` — up to ``until`` (now). A fixed number of queries, plus
    two per saved search."""
    until = until or timezone.now()
    if subscriptions is None:
        subscriptions = list(subscriptions_of(user))
    digest = Digest(user=user, until=until, subscriptions=subscriptions)
    if not subscriptions:
        return digest
    visible_ids = Project.objects.visible_to(user).values("pk")
    visible = Project.objects.filter(pk__in=visible_ids)
    new_conditions: list[Q] = []
    change_conditions: list[Q] = []
    for subscription in subscriptions:
        start = since or subscription.last_sent_at or subscription.created_at
        created = Q(created_at__gte=start, created_at__lt=until)
        changed = Q(at__gte=start, at__lt=until)
        if subscription.kind == SubscriptionKind.SEARCH:
            new_ids = _search_ids(visible.filter(created), subscription.query)
            if new_ids:
                new_conditions.append(Q(pk__in=new_ids))
            moved = PhaseChange.objects.filter(changed).exclude(from_phase="").values("project_id")
            changed_ids = _search_ids(visible.filter(pk__in=moved), subscription.query)
            if changed_ids:
                change_conditions.append(changed & Q(project_id__in=changed_ids))
        else:
            new_conditions.append(created & _target_q(subscription))
            change_conditions.append(changed & _target_q(subscription, "project__"))

    new_condition = _any(new_conditions)
    if new_condition is not None:
        own = Project.authors.through.objects.filter(user_id=user.pk).values("project_id")
        digest.new_projects = list(
            visible.filter(new_condition).exclude(pk__in=own).prefetch_related("owners").order_by("created_at", "pk")
        )
    change_condition = _any(change_conditions)
    if change_condition is not None:
        digest.phase_changes = list(
            PhaseChange.objects.filter(project__in=visible_ids)
            .filter(change_condition)
            .exclude(from_phase="")  # the entry written when a project is created: reported as a new project
            .exclude(actor_id=user.pk)
            .select_related("project")
            .order_by("at", "pk")
        )
    return digest


def _digest_context(digest: Digest) -> dict[str, Any]:
    return {
        "user": digest.user,
        "new_projects": [
            {
                "title": project.title,
                "url": _site_url(project_path(project)),
                "phase": Phase(project.phase).label,
                "owners": ", ".join(owner.name for owner in project.owners.all()),
            }
            for project in digest.new_projects
        ],
        "phase_changes": [
            {
                "title": change.project.title,
                "url": _site_url(project_path(change.project)),
                "from_phase": Phase(change.from_phase).label,
                "to_phase": Phase(change.to_phase).label,
                "at": change.at,
            }
            for change in digest.phase_changes
        ],
        "subscriptions": [
            {
                "label": subscription.label,
                "kind": subscription.get_kind_display(),
                "unsubscribe_url": unsubscribe_url(unsubscribe_token(subscription)),
            }
            for subscription in digest.subscriptions
        ],
        "manage_url": _site_url(reverse("project_follow:list")),
        "unsubscribe_all_url": unsubscribe_url(unsubscribe_all_token(digest.user)),
        "site_url": _site_url("/"),
    }


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    """The digest as one e-mail, in the recipient's language (their profile; the site's default otherwise)."""
    with translation.override(digest.user.email_language):
        context = _digest_context(digest)
        count = len(digest.new_projects) + len(digest.phase_changes)
        subject = ngettext(
            "Nyskap: %(count)d update on what you follow",
            "Nyskap: %(count)d updates on what you follow",
            count,
        ) % {"count": count}
        text = render_to_string("projects/email/digest.txt", context)
        html = render_to_string("projects/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[digest.user.email],
        headers={
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to this URL.
            "List-Unsubscribe": f"<{context['unsubscribe_all_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


@transaction.atomic
def send_digest(user: Any, *, now: datetime.datetime | None = None) -> bool:
    """Send the user's digest if there is anything new, and move every subscription's ``last_sent_at`` to the end
    of the window. The subscriptions are locked first, so two workers running at once cannot both send the same
    news. The mail is queued when the transaction commits (`nyskap.core.mail`). True when a mail was sent."""
    now = now or timezone.now()
    if not user.is_active or not user.email:
        return False
    locked = Subscription.objects.select_for_update(of=("self",)).filter(user=user)
    subscriptions = list(locked.select_related("project", "organisation").order_by("kind", "label", "pk"))
    if not subscriptions:
        return False
    digest = digest_for(user, until=now, subscriptions=subscriptions)
    if digest.is_empty:
        return False
    digest_message(digest).send()
    Subscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(last_sent_at=now)
    return True
