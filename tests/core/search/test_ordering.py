"""The hits' ranks and positions as one CASE expression: the same rows, values and order as Django's Case/When,
inside subqueries and over both databases."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Case, FloatField, IntegerField, Value, When

from nyskap.core.search.ordering import ValueByKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    model = get_user_model()
    return [model.objects.create_user(email=f"person{i}@example.no", password="x-Long-enough-9") for i in range(6)]


def test_the_expression_orders_and_annotates_as_case_when_does(users):
    model = get_user_model()
    hits = [(users[4].pk, 0.9), (users[1].pk, 0.5), (users[3].pk, 0.25)]
    ids = [pk for pk, _score in hits]
    ours = (
        model.objects.filter(pk__in=ids)
        .annotate(
            rank=ValueByKey(hits, output_field=FloatField()),
            position=ValueByKey([(pk, i) for i, pk in enumerate(ids)], output_field=IntegerField()),
        )
        .order_by("position")
    )
    django = (
        model.objects.filter(pk__in=ids)
        .annotate(
            rank=Case(*(When(pk=pk, then=Value(score)) for pk, score in hits), output_field=FloatField()),
            position=Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)), output_field=IntegerField()),
        )
        .order_by("position")
    )
    assert list(ours.values_list("pk", "rank", "position")) == list(django.values_list("pk", "rank", "position"))
    assert list(ours.values_list("pk", "rank", "position")) == [
        (users[4].pk, 0.9, 0),
        (users[1].pk, 0.5, 1),
        (users[3].pk, 0.25, 2),
    ]


def test_the_expression_works_inside_a_subquery_and_gives_null_off_the_list(users):
    model = get_user_model()
    ranked = model.objects.annotate(position=ValueByKey([(users[2].pk, 7)], output_field=IntegerField()))
    assert list(ranked.filter(position=7).values_list("pk", flat=True)) == [users[2].pk]
    outer = model.objects.filter(pk__in=ranked.filter(position=7).values("pk"))  # relabelled as a subquery
    assert list(outer.values_list("pk", flat=True)) == [users[2].pk]
    assert ranked.filter(position__isnull=True).count() == len(users) - 1
    empty = model.objects.annotate(position=ValueByKey([], output_field=IntegerField()))
    assert empty.filter(position__isnull=True).count() == len(users)
