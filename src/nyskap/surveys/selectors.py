"""Reads of the survey engine, for its own views and API and for the modules built on it (culture reads the engine
only through this module): progress of a round, respondents' links, answers grouped by dimension for one round,
and one grouped pass over many rounds' answers for comparisons across organisations."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Avg, Case, Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from nyskap.organisations.models import Organisation

from .calculations import Moments
from .errors import SurveyError

# `pick_language` is the engine's choice of a text in the reader's language, offered to the apps built on it.
from .models import (
    Answer,
    Dimension,
    EmailDomain,
    EmailException,
    Invitation,
    Item,
    ItemKind,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Round,
    VersionStatus,
    hash_secret,
    pick_language,  # noqa: F401
)


def submitted_count(round: Round) -> int:
    return Response.objects.filter(round=round, submitted=True).count()


def free_text(
    round: Round, item: Item, *, shown_units: Collection[int] = (), without_unit: bool = True
) -> list[str] | None:
    """The free-text answers to ``item``, or None while the round is open or when fewer people than its threshold
    answered it (DOMAIN.md §2.4). Only answers from units whose figures are shown (``shown_units``) and, when
    ``without_unit``, from respondents without a unit (a group the caller found large enough) — never from a
    hidden unit. In random order, with no time: the order of answering is not revealed. Empty answers left out."""
    if item.kind != ItemKind.TEXT or not round.is_closed() or submitted_count(round) < round.disclosure_threshold:
        return None
    allowed = Q(response__unit_id__in=list(shown_units))
    if without_unit:
        allowed |= Q(response__unit__isnull=True)
    texts = list(
        Answer.objects.filter(allowed, response__round=round, response__submitted=True, item=item)
        .exclude(text="")
        .values_list("text", flat=True)
    )
    random.SystemRandom().shuffle(texts)
    return texts


# Invitations


def invitation_allowed(organisation: Organisation, email: str) -> bool:
    """Invitations go only to addresses in the organisation's registered e-mail domains (or a subdomain), or to an
    address an operator has allowed with a reason: a leader cannot invent respondents at addresses of their own."""
    domain = email.rsplit("@", 1)[-1].lower()
    domains = set(EmailDomain.objects.filter(organisation=organisation).values_list("domain", flat=True))
    if any(domain == d or domain.endswith("." + d) for d in domains):
        return True
    return EmailException.objects.filter(organisation=organisation, email=email.lower()).exists()


# Progress of a round


@dataclass(frozen=True)
class UnitProgress:
    name: str
    invited: int
    answered: int


@dataclass(frozen=True)
class RoundProgress:
    responses: int
    invited: int
    expected: int | None
    rate: float | None
    by_link: int = 0
    units: list[UnitProgress] = field(default_factory=list)

    @property
    def over_invited(self) -> bool:
        """More answers than people invited or asked: visible, never hidden by capping the rate at 100 %."""
        return self.rate is not None and self.rate > 1


def round_progress(round: Round) -> RoundProgress:
    """Submitted responses and the response rate: of the invitations sent, or of the number of people asked. The
    rate is never capped, so answers beyond the people asked stand out. Per unit: invited and answered (units come
    from invitations, so a respondent cannot move into a unit); answers by shared link are counted apart."""
    counts = submitted_by_unit(round)
    by_link = submitted_by_link_count(round)
    invited = invited_by_unit(round)
    responses = sum(counts.values())
    invited_total = sum(invited.values())
    base = invited_total + (round.expected_respondents or 0 if round.link_enabled else 0)
    if not invited_total:
        base = round.expected_respondents or 0
    return RoundProgress(
        responses=responses,
        invited=invited_total,
        expected=round.expected_respondents,
        rate=responses / base if base else None,
        by_link=by_link,
        units=[UnitProgress(u.name, invited.get(u.pk, 0), counts.get(u.pk, 0)) for u in round.units.all()],
    )


# Reaching a round (respondents' links)


@dataclass(frozen=True)
class Access:
    """How a respondent reached a round: by the shared link, a personal invitation, or a saved draft."""

    round: Round
    invitation: Invitation | None = None
    draft: Response | None = None


def resolve_token(token: str) -> Access:
    """The round behind a link, or a `SurveyError` that says why the link does not work. Forged links, used
    invitations and links to closed rounds are told apart so the respondent knows what happened."""
    if not token or len(token) > 100 or "\x00" in token:
        raise SurveyError(_("This survey link is not valid. Check that you copied the whole link."), unknown=True)
    invitation = Invitation.objects.select_related("round__organisation", "round__version").filter(
        token_hash=hash_secret(token)
    )
    found = invitation.first()
    if found is not None:
        if found.used:
            raise SurveyError(
                _("This link has already been used. Use the link to continue that you got when you saved.")
            )
        require_open(found.round)
        return Access(round=found.round, invitation=found)
    round = Round.objects.select_related("organisation", "version").filter(link_token=token).first()
    if round is None:
        raise SurveyError(_("This survey link is not valid. Check that you copied the whole link."), unknown=True)
    if not round.link_enabled:
        raise SurveyError(_("This survey is answered through personal invitations only."))
    require_open(round)
    return Access(round=round)


def resolve_resume(secret: str) -> Access:
    if not secret or len(secret) > 100 or "\x00" in secret:
        raise SurveyError(_("This link to continue is not valid."), unknown=True)
    draft = (
        Response.objects.select_related("round__organisation", "round__version")
        .filter(resume_hash=hash_secret(secret), submitted=False)
        .first()
    )
    if draft is None:
        raise SurveyError(
            _("This link to continue is not valid, or the answers have already been submitted."), unknown=True
        )
    require_open(draft.round)
    return Access(round=draft.round, draft=draft)


def require_open(round: Round) -> None:
    """Refuse answers to a round that is not open (checked again by `services.response_save` when it writes)."""
    if round.frozen:
        raise SurveyError(_("The survey is closed; answers can no longer be given."))
    today = timezone.localdate()
    if today < round.opens_on:
        raise SurveyError(
            _("The survey opens on %(date)s.") % {"date": round.opens_on.isoformat()},
        )
    if not round.is_open(today):
        raise SurveyError(_("The survey is closed; answers can no longer be given."))


# Questionnaires and rounds


def questionnaire_by_key(key: str) -> Questionnaire | None:
    return Questionnaire.objects.filter(key=key).first()


def latest_published_version(questionnaire_key: str) -> QuestionnaireVersion | None:
    """The newest published version of a questionnaire."""
    return (
        QuestionnaireVersion.objects.filter(questionnaire__key=questionnaire_key, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def round_with_organisation(pk: int, *, questionnaire_key: str | None = None) -> Round | None:
    """A round with its organisation and questionnaire (what a results page needs), or None; with
    ``questionnaire_key``, only a round of that questionnaire."""
    rounds = Round.objects.select_related("organisation", "version__questionnaire").filter(pk=pk)
    if questionnaire_key is not None:
        rounds = rounds.filter(version__questionnaire__key=questionnaire_key)
    return rounds.first()


def previous_round(round: Round) -> Round | None:
    """The organisation's round of the same questionnaire that closed before this one opened, the latest first."""
    return (
        Round.objects.filter(
            organisation=round.organisation,
            version__questionnaire=round.version.questionnaire,
            closes_on__lt=round.opens_on,
        )
        .exclude(pk=round.pk)
        .order_by("-closes_on")
        .first()
    )


def dimensions_of(version: QuestionnaireVersion) -> list[Dimension]:
    return list(Dimension.objects.filter(version=version).order_by("order"))


def first_text_item(version: QuestionnaireVersion) -> Item | None:
    """The version's first free-text question (where comments are asked for), if any."""
    return version.items.filter(kind=ItemKind.TEXT).order_by("order").first()


# Counts of one round


def submitted_by_unit(round: Round) -> dict[int | None, int]:
    """Submitted responses per unit id (None for responses without a unit)."""
    return dict(
        Response.objects.filter(round=round, submitted=True)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )


def submitted_by_link_count(round: Round) -> int:
    return Response.objects.filter(round=round, submitted=True, via_link=True).count()


def invited_by_unit(round: Round) -> dict[int | None, int]:
    """Invitations per unit id (None for invitations without a unit)."""
    return dict(
        Invitation.objects.filter(round=round).values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )


# Answers of one round, grouped by dimension


def dimension_scores_by_unit(round: Round) -> dict[str, dict[int | None, list[float]]]:
    """dimension key → unit id (None for no unit) → each submitted respondent's score: the mean of their answers to
    the dimension's items ("don't know" and empty answers left out). One grouped query."""
    rows = (
        Answer.objects.filter(
            response__round=round,
            response__submitted=True,
            item__dimension__isnull=False,
            dont_know=False,
            value__isnull=False,
        )
        .values("response_id", "response__unit_id", "item__dimension__key")
        .annotate(score=Avg("value"))
        .values_list("response__unit_id", "item__dimension__key", "score")
    )
    scores: dict[str, dict[int | None, list[float]]] = defaultdict(lambda: defaultdict(list))
    for unit_id, dimension, score in rows:
        scores[dimension][unit_id].append(float(score))
    return scores


def dimension_answer_counts(round: Round) -> dict[str, dict[int | None, dict[int | str, int]]]:
    """dimension key → unit id (None for no unit) → scale point (or "dk" for "don't know" and empty answers) → the
    number of submitted item answers. One grouped query."""
    rows = (
        Answer.objects.filter(response__round=round, response__submitted=True, item__dimension__isnull=False)
        .values("item__dimension__key", "response__unit_id", "value", "dont_know")
        .annotate(count=Count("*"))
        .values_list("item__dimension__key", "response__unit_id", "value", "dont_know", "count")
    )
    counts: dict[str, dict[int | None, dict[int | str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for dimension, unit_id, value, dont_know, count in rows:
        counts[dimension][unit_id]["dk" if dont_know or value is None else int(value)] += count
    return counts


# Answers are counted per kind of item by one narrow column each, which keeps the database's grouping cheap: a
# one-choice item's option key, or a several-choice item's keys as JSON text (the engine stores either, never both);
# a scale item's point, or -1 for "don't know".
_CHOICE_ITEMS = (ItemKind.SINGLE, ItemKind.MULTIPLE)
_DONT_KNOW = -1.0


def _answer_column(kind: str) -> Any:
    if kind == ItemKind.LIKERT:
        return Case(When(dont_know=True, then=Value(_DONT_KNOW)), default=F("value"), output_field=FloatField())
    return Coalesce(NullIf("choice", Value("")), Cast("choices", TextField()), output_field=TextField())


@cache
def _chosen_keys(text: str) -> tuple[str, ...]:
    return tuple(sorted(str(c) for c in json.loads(text) or []))


def choice_counts_by_unit(
    round: Round, item_keys: Collection[str] | None = None, among: tuple[Collection[str], str] | None = None
) -> dict[tuple[int | None, str, str | tuple[str, ...]], int]:
    """(unit id, item key, answer) → submitted responses, for the choice and scale items of one round: the option
    key of a one-choice item, the point (or "dk") of a scale item, and the tuple of chosen keys of a several-choice
    item; only ``item_keys`` when given; with ``among`` = (item keys, choice), only the responses that gave that
    choice to at least one of those items (e.g. the workplaces that introduced an innovation). One grouped query
    over the round's answers for the choice items and one for the scale items (by item id, without joining the
    items); the database sends one row per distinct answer, never one per respondent."""
    kinds = [*_CHOICE_ITEMS, ItemKind.LIKERT]
    every = list(Item.objects.filter(version_id=round.version_id).values_list("pk", "key", "kind"))
    items = {pk: (key, kind) for pk, key, kind in every if kind in kinds and (item_keys is None or key in item_keys)}
    answers = Answer.objects.filter(response__round=round, response__submitted=True)
    if among is not None:
        # The items' ids as numbers, not a subquery: the planner then knows how many answers they have.
        among_keys, among_choice = among
        among_ids = [pk for pk, key, _kind in every if key in among_keys]
        answers = answers.filter(
            response_id__in=Answer.objects.filter(item_id__in=among_ids, choice=among_choice).values("response_id")
        )
    counts: dict[tuple[int | None, str, str | tuple[str, ...]], int] = defaultdict(int)
    for group in (_CHOICE_ITEMS, (ItemKind.LIKERT,)):
        ids = [pk for pk, (_key, kind) in items.items() if kind in group]
        if not ids:
            continue
        rows = (
            answers.filter(item_id__in=ids)
            .annotate(answer=_answer_column(group[0]))
            .values("response__unit_id", "item_id", "answer")
            .annotate(count=Count("*"))
            .values_list("response__unit_id", "item_id", "answer", "count")
        )
        for unit_id, item_id, column, count in rows:
            key, kind = items[item_id]
            answer: str | tuple[str, ...]
            if kind == ItemKind.MULTIPLE:
                answer = _chosen_keys(column or "[]")
            elif kind == ItemKind.LIKERT:
                answer = "dk" if column is None or column == _DONT_KNOW else str(int(column))
            else:
                answer = "" if column is None or column.startswith("[") else str(column)  # no choice: its choices
            counts[(unit_id, str(key), answer)] += count
    return dict(counts)


def responses_choosing_by_unit(round: Round, item_keys: Collection[str], choice: str) -> dict[int | None, int]:
    """Submitted responses per unit id that gave ``choice`` to at least one of ``item_keys`` (for "introduced at
    least one kind of innovation"). One grouped query."""
    return {unit: choosing for unit, (_n, choosing) in submitted_choosing_by_unit(round, item_keys, choice).items()
            if choosing}  # fmt: skip


def submitted_choosing_by_unit(
    round: Round, item_keys: Collection[str], choice: str
) -> dict[int | None, tuple[int, int]]:
    """Per unit id (None for responses without a unit): the submitted responses, and how many of them gave
    ``choice`` to at least one of ``item_keys``. One grouped query over the responses."""
    item_ids = list(
        Item.objects.filter(version_id=round.version_id, key__in=list(item_keys)).values_list("pk", flat=True)
    )
    choosing = Answer.objects.filter(item_id__in=item_ids, choice=choice).values("response_id")
    rows = (
        Response.objects.filter(round=round, submitted=True)
        .values("unit_id")
        .annotate(n=Count("pk"), choosing=Count("pk", filter=Q(pk__in=choosing)))
        .values_list("unit_id", "n", "choosing")
    )
    return {unit: (n, k) for unit, n, k in rows}


def answers_by_response(round: Round) -> list[tuple[int | None, dict[str, str | list[str]]]]:
    """Each submitted response of the round as (unit id, item key → answer) for a microdata export: the option key,
    the chosen keys, the scale point or "dk"; free text and numbers left out. In the order of the responses' random
    ids, which says nothing about who answered when; no id is returned."""
    items = {
        pk: (key, kind)
        for pk, key, kind in Item.objects.filter(
            version_id=round.version_id, kind__in=[ItemKind.SINGLE, ItemKind.MULTIPLE, ItemKind.LIKERT]
        ).values_list("pk", "key", "kind")
    }
    rows = (
        Answer.objects.filter(response__round=round, response__submitted=True, item_id__in=list(items))
        .order_by("response_id")
        .values_list("response_id", "response__unit_id", "item_id", "choice", "choices", "value", "dont_know")
    )
    result: list[tuple[int | None, dict[str, str | list[str]]]] = []
    current = None
    for response_id, unit_id, item_id, choice, choices, value, dont_know in rows.iterator(chunk_size=5000):
        if response_id != current:
            current = response_id
            result.append((unit_id, {}))
        key, kind = items[item_id]
        if kind == ItemKind.MULTIPLE:
            result[-1][1][key] = [str(c) for c in choices or []]
        elif kind == ItemKind.LIKERT:
            result[-1][1][key] = "dk" if dont_know or value is None else str(int(value))
        else:
            result[-1][1][key] = str(choice)
    return result


def unit_names(round: Round) -> dict[int, str]:
    return dict(round.units.values_list("pk", "name"))


# Answers of many rounds (comparisons across organisations)


def _closed_shared(questionnaire_key: str) -> QuerySet[Round]:
    today = timezone.localdate()
    return Round.objects.filter(version__questionnaire__key=questionnaire_key, share_in_benchmarks=True).filter(
        Q(closes_on__lt=today) | Q(closed_early=True)
    )


def closed_shared_rounds(questionnaire_key: str) -> list[int]:
    """The ids of the questionnaire's closed rounds that allow comparison with other organisations."""
    return list(_closed_shared(questionnaire_key).values_list("pk", flat=True))


def latest_disclosed_shared_rounds(questionnaire_key: str) -> list[int]:
    """Per organisation, the latest closed round of the questionnaire that allows comparison and met its threshold
    (the link threshold when it took answers by shared link); their ids in order."""
    closed = _closed_shared(questionnaire_key).annotate(
        threshold_needed=Case(When(link_enabled=True, then=F("link_threshold")), default=F("threshold"))
    )
    counted = closed.annotate(
        n=Subquery(
            Response.objects.filter(round=OuterRef("pk"), submitted=True)
            .values("round")
            .annotate(c=Count("pk"))
            .values("c")[:1]
        )
    ).filter(n__gte=F("threshold_needed"))
    latest: dict[int, tuple] = {}
    for pk, organisation_id, closes_on in counted.values_list("pk", "organisation_id", "closes_on"):
        if organisation_id not in latest or (closes_on, pk) > latest[organisation_id]:
            latest[organisation_id] = (closes_on, pk)
    return sorted(pk for _closes, pk in latest.values())


def round_organisation_profiles(round_ids: list[int]) -> list[tuple[int, int, str, str, str | None]]:
    """Per round: its id, and its organisation's id, kind, size band and county number (None without a county)."""
    return list(
        Round.objects.filter(pk__in=round_ids).values_list(
            "pk", "organisation_id", "organisation__kind", "organisation__size_band", "organisation__county__number"
        )
    )


def submitted_counts(round_ids: list[int]) -> dict[int, int]:
    """Submitted responses per round id (rounds without any left out)."""
    return dict(
        Response.objects.filter(round_id__in=round_ids, submitted=True)
        .values("round_id")
        .annotate(n=Count("pk"))
        .values_list("round_id", "n")
    )


@dataclass
class DimensionScan:
    """What one pass over the answers yields for one round and dimension: respondents' scores, and for the
    respondents who answered every item, the sums behind Cronbach's alpha."""

    respondents: int
    score_sum: float
    complete: Moments  # of complete respondents' total (sum over items)
    items: list[Moments]  # per item, over complete respondents


def dimension_scan(round_ids: list[int]) -> dict[tuple[int, str], DimensionScan]:
    """One grouped query over all submitted answers of the rounds (raw SQL, the same on PostgreSQL and SQLite): per
    respondent and dimension the score and the item values, then per round and dimension the sums. A million
    responses are read once and only a few numbers per round come back."""
    if not round_ids:
        return {}
    items = list(
        Item.objects.filter(version__rounds__pk__in=round_ids, dimension__isnull=False)
        .distinct()
        .order_by("dimension_id", "order", "pk")
        .values_list("pk", "dimension_id")
    )
    slot: dict[int, int] = {}
    per_dimension: dict[int, int] = defaultdict(int)
    for item_id, dimension_id in items:
        slot[item_id] = per_dimension[dimension_id]
        per_dimension[dimension_id] += 1
    slots = max(per_dimension.values(), default=0)
    slot_columns = ", ".join(
        f"SUM(CASE WHEN a.item_id IN ({', '.join(str(i) for i, j in slot.items() if j == n) or 'NULL'}) "
        f"THEN a.value END) AS v{n}"
        for n in range(slots)
    )
    slot_sums = ", ".join(
        f"SUM(CASE WHEN s.k = s.m THEN s.v{n} ELSE 0 END), SUM(CASE WHEN s.k = s.m THEN s.v{n} * s.v{n} ELSE 0 END)"
        for n in range(slots)
    )
    placeholders = ", ".join(["%s"] * len(round_ids))
    # Only integers from the database and fixed SQL are formatted in; the round ids are parameters.
    sql = f"""
        SELECT s.round_id, s.dimension_id, MAX(s.m), COUNT(*), SUM(s.score),
               SUM(CASE WHEN s.k = s.m THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.k = s.m THEN s.total ELSE 0 END),
               SUM(CASE WHEN s.k = s.m THEN s.total * s.total ELSE 0 END)
               {", " + slot_sums if slot_sums else ""}
        FROM (
            SELECT r.round_id AS round_id, i.dimension_id AS dimension_id, a.response_id AS response_id,
                   AVG(a.value) AS score, COUNT(*) AS k, SUM(a.value) AS total, MAX(ic.m) AS m
                   {", " + slot_columns if slot_columns else ""}
            FROM surveys_answer a
            JOIN surveys_response r ON r.id = a.response_id
            JOIN surveys_item i ON i.id = a.item_id
            JOIN (SELECT dimension_id, COUNT(*) AS m FROM surveys_item WHERE dimension_id IS NOT NULL
                  GROUP BY dimension_id) ic ON ic.dimension_id = i.dimension_id
            WHERE r.round_id IN ({placeholders}) AND r.submitted AND NOT a.dont_know AND a.value IS NOT NULL
            GROUP BY r.round_id, i.dimension_id, a.response_id
        ) s
        GROUP BY s.round_id, s.dimension_id
    """  # noqa: S608
    keys = dict(Dimension.objects.filter(pk__in=per_dimension).values_list("pk", "key"))
    result: dict[tuple[int, str], DimensionScan] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, round_ids)
        for row in cursor.fetchall():
            round_id, dimension_id, m, respondents, score_sum, complete_n, total, total_sq = row[:8]
            rest = [float(v or 0) for v in row[8:]]
            item_moments = [Moments(int(complete_n), rest[2 * n], rest[2 * n + 1]) for n in range(int(m))]
            result[(round_id, keys[dimension_id])] = DimensionScan(
                respondents=int(respondents),
                score_sum=float(score_sum),
                complete=Moments(int(complete_n), float(total or 0), float(total_sq or 0)),
                items=item_moments,
            )
    return result
