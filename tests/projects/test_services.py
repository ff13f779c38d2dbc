from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from nyskap.core.visibility import Visibility
from nyskap.projects.models import (
    Degree,
    FundingSource,
    Novelty,
    Partner,
    PartnerRole,
    Phase,
    PhaseChange,
    Project,
    Sector,
)
from nyskap.projects.services import (
    ProjectError,
    project_add_funding,
    project_add_partner,
    project_change_phase,
    project_create,
    project_update,
)

from .conftest import NEED, make_project


def test_when_created_then_need_phase_owner_author_and_first_timeline_entry(innovator, home_municipality):
    project = make_project(
        actor=innovator,
        owner=home_municipality,
        title="  Varm mat hjem  ",
        sector=Sector.HEALTH_CARE,
        innovation_types=["service", "process", "service"],
        sdgs=[3, 10],
        life_events=["seriously_ill_child"],
        degree=Degree.INCREMENTAL,
        novelty=Novelty.INSPIRED_ADAPTED,
        budget=Decimal("250000.00"),
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 31),
        source="Meld. St. 30 (2019–2020), boks 10.2",
    )

    project = Project.objects.get(pk=project.pk)
    assert project.title == "Varm mat hjem"
    assert project.slug == "varm-mat-hjem"
    assert project.phase == Phase.NEED
    assert project.visibility == Visibility.DRAFT
    assert project.need_problem == NEED["need_problem"]
    assert list(project.owners.all()) == [home_municipality]
    assert list(project.authors.all()) == [innovator]
    assert sorted(project.innovation_types.values_list("code", flat=True)) == ["process", "service"]
    assert sorted(project.sdgs.values_list("number", flat=True)) == [3, 10]
    assert list(project.life_events.values_list("code", flat=True)) == ["seriously_ill_child"]
    assert project.budget == Decimal("250000.00")
    assert list(project.phase_changes.values_list("from_phase", "to_phase", "actor")) == [
        ("", Phase.NEED, innovator.pk)
    ]


def test_when_the_same_title_is_used_twice_then_the_slug_gets_a_number(innovator, home_municipality):
    make_project(actor=innovator, owner=home_municipality, title="Varm mat")
    second = make_project(actor=innovator, owner=home_municipality, title="Varm mat")

    assert second.slug == "varm-mat-2"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("need_problem", "Describe the problem – the need comes before the solution."),
        ("need_who", "Describe who has the problem."),
        ("need_today", "Describe how it is handled today."),
        ("need_effect", "Describe the effect you want."),
    ],
)
def test_when_a_need_field_is_blank_then_creation_is_refused(innovator, home_municipality, field, message):
    need = {**NEED, field: "   "}

    with translation.override("en"), pytest.raises(ProjectError) as raised:
        project_create(actor=innovator, owner=home_municipality, title="Varm mat", **need)

    assert (raised.value.message, raised.value.field) == (message, field)
    assert Project.objects.count() == 0
    assert PhaseChange.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"end_date": dt.date(2023, 1, 1), "start_date": dt.date(2024, 1, 1)},
            "end_date",
            "The end date cannot be before the start date.",
        ),
        ({"budget": Decimal("-1")}, "budget", "The budget cannot be negative."),
        ({"sector": "space"}, "sector", "Choose one of the options."),
        ({"innovation_types": ["service", "magic"]}, "innovation_types", "Choose among the listed options."),
        ({"sdgs": [18]}, "sdgs", "Choose among the listed options."),
        ({"life_events": ["moving"]}, "life_events", "Choose among the listed options."),
        ({"contact_email": "ikke-epost"}, "contact_email", "Enter a valid e-mail address."),
        ({"phase": Phase.SPREAD}, "phase", "The field “phase” cannot be changed here."),
    ],
)
def test_when_a_field_is_invalid_then_creation_is_refused(innovator, home_municipality, fields, field, message):
    with translation.override("en"), pytest.raises(ProjectError) as raised:
        make_project(actor=innovator, owner=home_municipality, **fields)

    assert (raised.value.message, raised.value.field) == (message, field)
    assert Project.objects.count() == 0


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_when_not_an_editor_of_the_owner_then_creation_is_refused(request, home_municipality, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        make_project(actor=actor, owner=home_municipality)

    assert Project.objects.count() == 0


def test_when_the_operator_creates_for_any_organisation_then_allowed(operator, other_municipality):
    project = make_project(actor=operator, owner=other_municipality)

    assert list(project.owners.all()) == [other_municipality]


@pytest.mark.parametrize("persona", ["innovator", "leader", "operator"])
def test_when_an_editor_admin_or_operator_updates_then_saved(request, project, persona):
    actor = request.getfixturevalue(persona)

    project_update(project=project, actor=actor, description="Ny beskrivelse.", innovation_types=["product"])

    project.refresh_from_db()
    assert project.description == "Ny beskrivelse."
    assert list(project.innovation_types.values_list("code", flat=True)) == ["product"]


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_when_a_member_or_outsider_updates_then_refused(request, project, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        project_update(project=project, actor=actor, description="Hacket.")

    project.refresh_from_db()
    assert project.description == ""


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_when_a_member_or_outsider_changes_the_phase_then_refused(request, project, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        project_change_phase(project=project, to_phase=Phase.IDEAS, actor=actor)

    project.refresh_from_db()
    assert project.phase == Phase.NEED
    assert project.phase_changes.count() == 1


def test_when_an_author_leaves_the_organisation_then_they_may_still_edit(project, innovator):
    innovator.memberships.all().delete()

    project_update(project=project, actor=innovator, title="Nytt navn")

    project.refresh_from_db()
    assert project.title == "Nytt navn"


def test_when_updating_the_phase_directly_then_refused(project, innovator):
    with translation.override("en"), pytest.raises(ProjectError) as raised:
        project_update(project=project, actor=innovator, phase=Phase.SPREAD)

    assert raised.value.message == "Change the phase with the phase change, which records it in the timeline."
    project.refresh_from_db()
    assert project.phase == Phase.NEED


def test_when_updating_the_end_before_the_stored_start_then_refused(project, innovator):
    project_update(project=project, actor=innovator, start_date=dt.date(2024, 6, 1))

    with pytest.raises(ProjectError) as raised:
        project_update(project=project, actor=innovator, end_date=dt.date(2024, 5, 31))

    assert raised.value.field == "end_date"
    project.refresh_from_db()
    assert project.end_date is None


def test_when_clearing_the_lessons_of_a_stopped_project_then_refused(project, innovator):
    project_change_phase(
        project=project, to_phase=Phase.STOPPED, actor=innovator, stopped_reason="Stopp.", lessons_learned="Lærdom."
    )

    with pytest.raises(ProjectError) as raised:
        project_update(project=project, actor=innovator, lessons_learned="")

    assert raised.value.field == "lessons_learned"
    project.refresh_from_db()
    assert project.lessons_learned == "Lærdom."


def test_when_adding_partners_and_funding_then_stored(project, innovator, other_municipality):
    project_add_partner(project=project, actor=innovator, role=PartnerRole.PUBLIC_BODY, organisation=other_municipality)
    project_add_partner(project=project, actor=innovator, role=PartnerRole.CITIZENS, name="Eldrerådet")
    project_add_funding(
        project=project, actor=innovator, source_name="Skjønnsmidler", amount=Decimal("400000"), year=2024
    )

    assert list(Partner.objects.filter(project=project).values_list("organisation", "name", "role")) == [
        (other_municipality.pk, "", PartnerRole.PUBLIC_BODY),
        (None, "Eldrerådet", PartnerRole.CITIZENS),
    ]
    assert list(FundingSource.objects.filter(project=project).values_list("source_name", "amount", "year")) == [
        ("Skjønnsmidler", Decimal("400000.00"), 2024)
    ]


def test_when_a_partner_has_neither_organisation_nor_name_then_refused(project, innovator):
    with pytest.raises(ProjectError) as raised:
        project_add_partner(project=project, actor=innovator, role=PartnerRole.RESEARCH, name="  ")

    assert raised.value.field == "organisation"
    assert Partner.objects.count() == 0


def test_when_an_outsider_adds_a_partner_then_refused(project, outsider):
    with pytest.raises(PermissionDenied):
        project_add_partner(project=project, actor=outsider, role=PartnerRole.RESEARCH, name="NTNU")

    assert Partner.objects.count() == 0


def test_when_a_title_is_a_word_the_library_uses_in_its_urls_then_the_slug_avoids_it(innovator, home_municipality):
    from .conftest import make_project

    assert make_project(actor=innovator, owner=home_municipality, title="Ny").slug == "ny-2"
    assert make_project(actor=innovator, owner=home_municipality, title="Lignende").slug == "lignende-2"
    # …and in the API's URLs: /api/v1/projects/facets is the facets endpoint.
    assert make_project(actor=innovator, owner=home_municipality, title="Facets").slug == "facets-2"
    assert make_project(actor=innovator, owner=home_municipality, title="Similar").slug == "similar-2"


def test_when_many_projects_are_created_at_once_then_each_has_its_timeline_audit_entry_and_index(
    innovator, home_municipality
):
    from auditlog.models import LogEntry

    from nyskap.projects.models import PhaseChange
    from nyskap.projects.search import search_projects
    from nyskap.projects.services import BulkProjectRow, projects_bulk_create

    rows = [
        BulkProjectRow(fields={**NEED, "title": "Digital tilsynsordning", "innovation_types": ["service"]}),
        BulkProjectRow(fields={**NEED, "title": "Felles innkjøp", "sdgs": [3]}, phase=Phase.IMPLEMENTED),
        BulkProjectRow(
            fields={**NEED, "title": "Droppet pilot", "lessons_learned": "For lite data."},
            phase=Phase.STOPPED,
            stopped_reason="Leverandøren trakk seg.",
        ),
    ]
    created = projects_bulk_create(actor=innovator, owner=home_municipality, rows=rows, note="Importert")
    assert [p.slug for p in created] == ["digital-tilsynsordning", "felles-innkjop", "droppet-pilot"]
    for project in created:
        assert list(project.owners.all()) == [home_municipality]
        assert list(project.authors.all()) == [innovator]
    assert list(created[0].innovation_types.values_list("code", flat=True)) == ["service"]
    timeline = list(PhaseChange.objects.filter(project=created[1]).order_by("pk").values_list("from_phase", "to_phase"))
    assert timeline == [("", "need"), ("need", "ideas"), ("ideas", "develop_test"), ("develop_test", "implemented")]
    stopped = list(PhaseChange.objects.filter(project=created[2]).order_by("pk").values_list("to_phase", "note"))
    assert stopped == [("need", ""), ("stopped", "Importert")]
    entry = LogEntry.objects.get_for_object(created[0]).get()
    assert entry.actor == innovator and entry.action == LogEntry.Action.CREATE
    found = search_projects(user=innovator, params={"q": "tilsynsordning"})
    assert [p.title for p in found.projects] == ["Digital tilsynsordning"]


def test_when_some_rows_are_bad_then_every_problem_is_listed_and_nothing_is_created(innovator, home_municipality):
    from nyskap.projects.services import BulkProjectError, BulkProjectRow, projects_bulk_create

    rows = [
        BulkProjectRow(fields={**NEED, "title": "Grei"}),
        BulkProjectRow(fields={**NEED, "title": ""}),
        BulkProjectRow(fields={**NEED, "title": "Stanset uten grunn"}, phase=Phase.STOPPED),
    ]
    with translation.override("en"), pytest.raises(BulkProjectError) as caught:
        projects_bulk_create(actor=innovator, owner=home_municipality, rows=rows, note="Importert")
    assert caught.value.problems == [
        (1, "title", "Give the project a title."),
        (2, "phase", "A stopped project must say why it was stopped and what was learned."),
    ]
    assert not Project.objects.filter(title="Grei").exists()


def test_when_an_outsider_creates_many_projects_for_another_body_then_it_is_refused(outsider, home_municipality):
    from nyskap.projects.services import BulkProjectRow, projects_bulk_create

    with pytest.raises(PermissionDenied):
        projects_bulk_create(
            actor=outsider, owner=home_municipality, rows=[BulkProjectRow(fields={**NEED, "title": "X"})], note="n"
        )
    assert not Project.objects.filter(title="X").exists()


def test_when_many_projects_are_written_in_several_chunks_then_all_arrive_once(
    innovator, home_municipality, monkeypatch
):
    from nyskap.projects.models import PhaseChange
    from nyskap.projects.services import bulk as services

    monkeypatch.setattr(services, "BULK_CHUNK", 2)
    rows = [services.BulkProjectRow(fields={**NEED, "title": "Samme tittel"}) for _ in range(5)]
    created = services.projects_bulk_create(actor=innovator, owner=home_municipality, rows=rows, note="Importert")
    assert [p.slug for p in created] == [
        "samme-tittel",
        "samme-tittel-2",
        "samme-tittel-3",
        "samme-tittel-4",
        "samme-tittel-5",
    ]
    assert Project.objects.filter(title="Samme tittel").count() == 5
    assert PhaseChange.objects.filter(project__title="Samme tittel").count() == 5
