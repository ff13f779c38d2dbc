"""The shipped content: the white paper's cases (loader) and the synthetic generator."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from nyskap.core.visibility import Visibility
from nyskap.organisations.models import Organisation
from nyskap.projects.content import (
    CONTENT_ACTOR_EMAIL,
    DEFAULT_CASES_FILE,
    ContentError,
    generate_synthetic_projects,
    load_white_paper_cases,
)
from nyskap.projects.models import Adoption, Phase, PhaseChange, Project


@pytest.fixture
def reference_data(db) -> None:
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture
def loaded(reference_data) -> None:
    call_command("load_project_cases", stdout=io.StringIO())


def owner_keys(slug: str) -> set[str | None]:
    return set(Project.objects.get(slug=slug).owners.values_list("reference_key", flat=True))


def test_when_cases_load_then_at_least_35_public_projects_cite_the_white_paper(loaded):
    projects = Project.objects.filter(is_synthetic=False)
    assert projects.count() >= 35
    assert projects.count() == len(json.loads(DEFAULT_CASES_FILE.read_text(encoding="utf-8"))["cases"])
    assert set(projects.values_list("visibility", flat=True)) == {Visibility.PUBLIC}
    assert all(source.startswith("Meld. St. 30 (2019–2020)") for source in projects.values_list("source", flat=True))
    assert all(p.need_problem and p.need_who and p.need_today and p.need_effect for p in projects)


def test_when_cases_load_then_named_cases_have_the_right_owner(loaded):
    assert owner_keys("skattemeldingen") == {"stat:974761076"}
    assert Project.objects.get(slug="skattemeldingen").owners.get().organisation_number == "974761076"
    assert owner_keys("oygarden-utsatte-barn") == {"kommune:4626"}
    assert Organisation.objects.get(reference_key="kommune:4626").name == "Øygarden"
    assert owner_keys("asker-velferdslab") == {"kommune:3203"}
    assert owner_keys("kompensasjonsordningen") == {"stat:974761076"}
    assert owner_keys("nye-veier") == {"annen:nye-veier"}


def test_when_cases_load_then_the_adoptions_the_text_describes_exist(loaded):
    asker = Adoption.objects.get(source_project__slug="asker-velferdslab")
    assert asker.adopting_project is not None
    assert asker.adopting_project.slug == "velferdspiloten-oslo-viken"
    assert owner_keys("velferdspiloten-oslo-viken") == {"stat:974761319"}
    grimstad = Adoption.objects.get(source_project__slug="frikommune-grimstad")
    assert grimstad.adopting_project is not None
    assert grimstad.adopting_project.slug == "samordningsforsok-loten"
    assert owner_keys("samordningsforsok-loten") == {"kommune:3412"}
    assert Adoption.objects.count() == 2


def test_when_cases_load_then_the_driving_licence_case_gives_the_npv_and_barnetrakk_the_count(loaded):
    licence = Project.objects.get(slug="digital-forerett")
    assert "940 mill. kroner" in licence.effects_achieved
    assert licence.source == "Meld. St. 30 (2019–2020), boks 8.1"
    assert "185 kommuner" in Project.objects.get(slug="barnetrakk").effects_achieved


def test_when_cases_load_then_the_timeline_uses_the_dates_of_the_text(loaded):
    ampere = Project.objects.get(slug="elferge-ampere")
    implemented = ampere.phase_changes.get(to_phase=Phase.IMPLEMENTED)
    assert implemented.at.date().isoformat() == "2015-01-01"
    assert "1. januar" in implemented.note
    assert list(ampere.phase_changes.values_list("to_phase", flat=True)) == [
        Phase.NEED,
        Phase.IDEAS,
        Phase.DEVELOP_TEST,
        Phase.IMPLEMENTED,
        Phase.SPREAD,
    ]
    stopped = Project.objects.get(slug="telefon-til-forstegangsvelgere")
    assert stopped.phase == Phase.STOPPED
    assert stopped.stopped_reason
    assert PhaseChange.objects.filter(actor__email=CONTENT_ACTOR_EMAIL).count() == PhaseChange.objects.count()


def test_when_cases_load_twice_then_the_second_run_creates_nothing(loaded):
    before = (Project.objects.count(), PhaseChange.objects.count(), Adoption.objects.count())
    out = io.StringIO()
    call_command("load_project_cases", stdout=out)
    assert (Project.objects.count(), PhaseChange.objects.count(), Adoption.objects.count()) == before
    assert f"created 0, unchanged {before[0]}" in out.getvalue()


def test_when_an_organisation_key_is_unknown_then_nothing_is_written_and_the_case_is_named(reference_data, tmp_path):
    data = json.loads(DEFAULT_CASES_FILE.read_text(encoding="utf-8"))
    data["cases"][5]["owners"] = ["kommune:9999"]
    broken = tmp_path / "cases.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_white_paper_cases(path=Path(broken))
    assert raised.value.problems == [
        f"case «{data['cases'][5]['case_key']}», field «owners»: unknown organisation key «kommune:9999»"
    ]
    assert Project.objects.count() == 0
    assert not Organisation.objects.filter(reference_key__startswith="annen:").exists()
    with pytest.raises(CommandError, match="kommune:9999"):
        call_command("load_project_cases", file=broken, stdout=io.StringIO())


def test_when_200_synthetic_projects_are_generated_then_they_are_marked_and_follow_the_novelty_shares(reference_data):
    projects = generate_synthetic_projects(200, seed=7, allow_without_debug=True)
    assert len(projects) == 200
    assert Project.objects.filter(is_synthetic=True).count() == 200
    assert not Project.objects.filter(is_synthetic=False).exists()
    assert all("syntetisk eksempel" in p.title and "Syntetisk eksempel" in p.description for p in projects)
    shares = Counter(Project.objects.values_list("novelty", flat=True))
    assert abs(shares["first_of_its_kind"] / 200 - 0.19) <= 0.10
    assert abs(shares["inspired_adapted"] / 200 - 0.49) <= 0.10
    assert abs(shares["copied"] / 200 - 0.32) <= 0.10
    assert Project.objects.filter(owners__isnull=True).count() == 0
    assert PhaseChange.objects.filter(project__phase=Phase.STOPPED, to_phase=Phase.STOPPED).count() == (
        Project.objects.filter(phase=Phase.STOPPED).count()
    )


def test_when_the_same_seed_is_used_then_the_same_projects_are_generated(reference_data):
    def snapshot(projects: list[Project]) -> list[tuple[str, str, str, list[int]]]:
        return [(p.title, p.novelty, p.phase, list(p.owners.values_list("pk", flat=True))) for p in projects]

    first = snapshot(generate_synthetic_projects(50, seed=3, allow_without_debug=True))
    Project.objects.all().delete()
    second = snapshot(generate_synthetic_projects(50, seed=3, allow_without_debug=True))
    assert first == second
    third = snapshot(generate_synthetic_projects(50, seed=4, allow_without_debug=True))
    assert third != first


def test_when_debug_is_off_then_the_generator_refuses(reference_data):
    assert settings.DEBUG is False
    with pytest.raises(ContentError):
        generate_synthetic_projects(5)
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_projects", "5", stdout=io.StringIO())
    assert Project.objects.count() == 0


def test_when_cases_load_then_universities_and_agencies_come_from_the_reference_data_not_as_copies(loaded):
    # NTNU, NMBU and DiBK are in the reference data since it holds 143 central state bodies: no second copy.
    assert not Organisation.objects.filter(reference_key__in=["annen:ntnu", "annen:nmbu", "annen:dibk"]).exists()
    ntnu = Organisation.objects.get(reference_key="stat:974767880")
    assert ntnu.kind == "university" and ntnu.partner_in.exists()
    assert Organisation.objects.get(reference_key="stat:974760223").projects.exists()
