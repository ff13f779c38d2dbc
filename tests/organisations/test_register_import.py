"""Updates from the Central Coordinating Register: the dry run names every change and every problem (line/row and
field, in Norwegian), applying writes all or nothing with an audit entry, and bad files never give a 5xx."""

from __future__ import annotations

import datetime
import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from nyskap.accounts.models import Role
from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.organisations.models import Organisation, OrganisationKind, RegisterImport
from nyskap.organisations.register import display_name
from nyskap.organisations.services import RegisterImportRefused, register_import_apply, register_import_create

from ..accounts.factories import MembershipFactory, UserFactory
from . import register_files as rf
from .factories import OrganisationFactory

KD, FIN, SSB, NTNU, HELSE_NORD = "872417842", "972417807", "971526920", "974767880", "883658752"
NEW_AGENCY, NEW_MUNICIPALITY = rf.valid_number(92_000_000), rf.valid_number(92_100_000)
OLD_WITH_MEMBERS, OLD_EMPTY, PRIVATE_IN_STATE = (
    rf.valid_number(92_200_000),
    rf.valid_number(92_300_000),
    rf.valid_number(92_400_000),
)
URL = "/drift/enhetsregisteret/"


@pytest.fixture(autouse=True)
def _norwegian():
    with translation.override("nb"):
        yield


@pytest.fixture
def bodies(db) -> dict[str, Organisation]:
    kd = OrganisationFactory(
        name="Kunnskapsdepartementet",
        kind=OrganisationKind.MINISTRY,
        organisation_number=KD,
        legal_name="KUNNSKAPSDEPARTEMENTET",
        reference_key=f"stat:{KD}",
        county=None,
    )
    fin = OrganisationFactory(
        name="Finansdepartementet",
        kind=OrganisationKind.MINISTRY,
        organisation_number=FIN,
        legal_name="FINANSDEPARTEMENTET",
        reference_key=f"stat:{FIN}",
        county=None,
    )
    ssb = OrganisationFactory(
        name="Statistisk sentralbyrå",
        kind=OrganisationKind.STATE_AGENCY,
        parent=fin,
        organisation_number=SSB,
        legal_name="STATISTISK SENTRALBYRÅ",
        county=None,
        reference_key=f"stat:{SSB}",
    )
    ntnu = OrganisationFactory(
        name="NTNU",
        kind=OrganisationKind.UNIVERSITY,
        organisation_number=NTNU,
        parent=fin,
        legal_name="NORGES TEKNISK-NATURVITENSKAPELIGE UNIVERSITET NTNU",
        county=None,
        reference_key=f"stat:{NTNU}",
    )
    helse_nord = OrganisationFactory(
        name="Helse Nord RHF",
        kind=OrganisationKind.REGIONAL_HEALTH_TRUST,
        organisation_number=HELSE_NORD,
        legal_name="",
        county=None,
    )
    with_members = OrganisationFactory(
        name="Gamle direktoratet",
        kind=OrganisationKind.STATE_AGENCY,
        organisation_number=OLD_WITH_MEMBERS,
        legal_name="GAMLE DIREKTORATET",
        county=None,
    )
    MembershipFactory(user=UserFactory(), organisation=with_members, role=Role.MEMBER)
    empty = OrganisationFactory(
        name="Tomme nemnda",
        kind=OrganisationKind.TRIBUNAL,
        organisation_number=OLD_EMPTY,
        legal_name="TOMME NEMNDA",
        county=None,
    )
    return {"kd": kd, "fin": fin, "ssb": ssb, "ntnu": ntnu, "helse_nord": helse_nord, "with_members": with_members,
            "empty": empty}  # fmt: skip


def public_entities() -> list[dict]:
    return [
        rf.entity(KD, "KUNNSKAPSDEPARTEMENTET", form="STAT", sector="6100"),
        rf.entity(FIN, "FINANSDEPARTEMENTET", form="STAT", sector="6100"),
        rf.entity(SSB, "STATISTISK SENTRALBYRÅ NORGE", form="ORGL", sector="6100", parent=FIN),  # renamed
        rf.entity(NTNU, "NORGES TEKNISK-NATURVITENSKAPELIGE UNIVERSITET NTNU", form="ORGL", sector="6100",
                  parent=KD),  # parent FIN → KD
        rf.entity(HELSE_NORD, "HELSE NORD RHF", form="SÆR", sector="6100", parent="983887406"),  # parent unknown
        rf.entity(NEW_AGENCY, "DIREKTORATET FOR EKSEMPELFORVALTNING", form="ORGL", sector="6100", parent=KD),
        rf.entity(NEW_MUNICIPALITY, "EKSEMPELVIK KOMMUNE", form="KOMM", sector="6500"),
        rf.entity(OLD_WITH_MEMBERS, "GAMLE DIREKTORATET", form="ORGL", sector="6100", deleted_on="2026-06-30"),
        rf.entity(OLD_EMPTY, "TOMME NEMNDA", form="ORGL", sector="6100", deleted_on="2026-07-01"),
        rf.entity(PRIVATE_IN_STATE, "STATENS AKSJESELSKAP AS", form="AS", sector="6100"),  # form not selected
        rf.entity(rf.valid_number(92_500_000), "NEDLAGT UKJENT", form="ORGL", sector="6100", deleted_on="2025-01-01"),
    ]  # fmt: skip


# Malformed entities, in this order after 150 ordinary ones and the public ones: entity no. 162 onwards.
def malformed_entities() -> list[dict]:
    bad_check = rf.entity("974760674", "FEIL KONTROLLSIFFER", form="ORGL", sector="6100")
    letters = rf.entity("97476067X", "BOKSTAV I NUMMER", form="ORGL", sector="6100")
    no_name = rf.entity(rf.valid_number(93_000_000), "", form="ORGL", sector="6100")
    no_form = rf.entity(rf.valid_number(93_100_000), "UTEN FORM", form="ORGL", sector="6100")
    del no_form["organisasjonsform"]
    number_name = rf.entity(rf.valid_number(93_200_000), "X", form="ORGL", sector="6100")
    number_name["navn"] = 12345
    bad_date = rf.entity(rf.valid_number(93_300_000), "FEIL DATO", form="ORGL", sector="6100", deleted_on="31.12.2025")
    bad_parent = rf.entity(rf.valid_number(93_400_000), "FEIL OVERORDNET", form="ORGL", sector="6100", parent="123")
    return [bad_check, letters, no_name, no_form, number_name, bad_date, bad_parent]


def fixture_entities() -> list:
    return [*rf.filler(150), *public_entities(), *malformed_entities(), *rf.filler(140, start=85_000_000)]


EXPECTED_PROBLEMS = [
    ("enhet nr. 162", "organisasjonsnummer",
     "Kontrollsifferet i «974760674» er feil (MOD11). Sjekk at organisasjonsnummeret er skrevet riktig."),
    ("enhet nr. 163", "organisasjonsnummer",
     "Et organisasjonsnummer kan bare inneholde sifre. «97476067X» inneholder andre tegn."),
    ("enhet nr. 164", "navn", "verdien mangler."),
    ("enhet nr. 165", "organisasjonsform.kode", "verdien mangler."),
    ("enhet nr. 166", "navn", "verdien er ikke tekst."),
    ("enhet nr. 167", "slettedato", "«31.12.2025» er ikke en dato (ÅÅÅÅ-MM-DD)."),
    ("enhet nr. 168", "overordnetEnhet", "Et organisasjonsnummer har 9 sifre. «123» har 3."),
]  # fmt: skip


def preview(path: Path, **kwargs) -> RegisterImport:
    with path.open("rb") as handle:
        return register_import_create(stream=handle, file_name=path.name, **kwargs)


def summary(register_import: RegisterImport) -> dict:
    plan = register_import.plan
    return {
        "new": [(i["number"], i["name"], i["kind"], i["parent"]) for i in plan["new"]],
        "renamed": [(i["number"], i["old"], i["new"]) for i in plan["renamed"]],
        "recorded": [(i["number"], i["new"]) for i in plan["names_recorded"]],
        "ended": [(i["number"], i["deleted_on"], i["action"]) for i in plan["ended"]],
        "parents": [(i["number"], i["old"], i["new"]) for i in plan["parents"]],
    }


EXPECTED_PLAN = {
    "new": [
        (NEW_AGENCY, "Direktoratet for eksempelforvaltning", "state_agency", KD),
        (NEW_MUNICIPALITY, "Eksempelvik kommune", "municipality", ""),
    ],
    "renamed": [(SSB, "STATISTISK SENTRALBYRÅ", "STATISTISK SENTRALBYRÅ NORGE")],
    "recorded": [(HELSE_NORD, "HELSE NORD RHF")],
    "ended": [(OLD_WITH_MEMBERS, "2026-06-30", "end"), (OLD_EMPTY, "2026-07-01", "delete")],
    "parents": [(NTNU, FIN, KD)],
}


def test_when_a_json_download_is_previewed_then_every_change_and_problem_is_named_and_nothing_is_written(
    bodies, tmp_path
):
    before = list(Organisation.objects.order_by("pk").values())
    register_import = preview(rf.write_json(tmp_path / "enheter_alle.json.gz", fixture_entities()))
    assert (register_import.file_format, register_import.read_count, register_import.fatal) == ("json", 308, False)
    # Selected: the 10 public bodies (sector 6100/6500 and a selected form, or already in Nyskap); the AS is not.
    assert register_import.selected_count == 10
    assert summary(register_import) == EXPECTED_PLAN
    assert [(p["where"], p["field"], p["message"]) for p in register_import.problems] == EXPECTED_PROBLEMS
    assert register_import.problem_count == 7
    assert list(Organisation.objects.order_by("pk").values()) == before
    assert register_import.applied_at is None


def test_when_the_same_download_comes_as_csv_or_json_lines_then_the_plan_is_the_same(bodies, tmp_path):
    csv_import = preview(rf.write_csv(tmp_path / "enheter_alle.csv.gz", fixture_entities()))
    assert (csv_import.file_format, csv_import.read_count) == ("csv", 308)
    # In CSV every value is text, so the entity whose name is the number 12345 in JSON is a (new) body here.
    numeric_name = (rf.valid_number(93_200_000), "12345", "state_agency", "")
    assert summary(csv_import) == dict(EXPECTED_PLAN, new=[*EXPECTED_PLAN["new"], numeric_name])
    # The header is line 1, so entity no. N is on line N + 1.
    assert [(p["where"], p["field"]) for p in csv_import.problems] == [
        ("linje 163", "organisasjonsnummer"),
        ("linje 164", "organisasjonsnummer"),
        ("linje 165", "navn"),
        ("linje 166", "organisasjonsform.kode"),
        ("linje 168", "slettedato"),
        ("linje 169", "overordnetEnhet"),
    ]
    lines_import = preview(rf.write_json_lines(tmp_path / "enheter.jsonl", fixture_entities(), compress=False))
    assert lines_import.file_format == "jsonl"
    assert summary(lines_import) == EXPECTED_PLAN
    assert lines_import.problems[0]["where"] == "linje 162"


def test_when_applied_then_everything_is_written_with_an_audit_entry_and_a_second_run_finds_nothing(
    bodies, operator, tmp_path
):
    path = rf.write_json(tmp_path / "enheter_alle.json.gz", fixture_entities())
    register_import = preview(path)
    steps: list[int] = []
    counts = register_import_apply(register_import=register_import, actor=operator, advance=lambda: steps.append(1))
    assert counts == {"new": 2, "renamed": 1, "names_recorded": 1, "parents": 1, "ended": 1, "deleted": 1}
    assert len(steps) == register_import.change_count == 7  # each change counted once, for the job's progress
    today = datetime.date.today()
    agency = Organisation.objects.get(organisation_number=NEW_AGENCY)
    facts = (agency.name, agency.legal_name, agency.kind, agency.parent, agency.category, agency.register_updated_on)
    assert facts == (
        "Direktoratet for eksempelforvaltning", "DIREKTORATET FOR EKSEMPELFORVALTNING", "state_agency", bodies["kd"],
        "ORGL", today,
    )  # fmt: skip
    assert Organisation.objects.get(organisation_number=NEW_MUNICIPALITY).kind == "municipality"
    ssb, ntnu, helse_nord, old = (
        Organisation.objects.get(pk=bodies[key].pk) for key in ("ssb", "ntnu", "helse_nord", "with_members")
    )
    assert (ssb.name, ssb.legal_name) == ("Statistisk sentralbyrå", "STATISTISK SENTRALBYRÅ NORGE")
    assert ntnu.parent == bodies["kd"]
    assert helse_nord.legal_name == "HELSE NORD RHF"
    assert old.ended_on == datetime.date(2026, 6, 30) and old.memberships.count() == 1
    assert not Organisation.objects.filter(organisation_number=OLD_EMPTY).exists()
    assert not Organisation.objects.filter(organisation_number=PRIVATE_IN_STATE).exists()
    register_import.refresh_from_db()
    assert register_import.applied_by == operator and register_import.applied_at is not None
    assert LogEntry.objects.get_for_object(register_import).filter(action=LogEntry.Action.UPDATE).count() == 1
    assert LogEntry.objects.get_for_object(ssb).filter(action=LogEntry.Action.UPDATE).count() == 1

    again = preview(path)
    assert again.change_count == 0 and not again.can_apply
    with pytest.raises(RegisterImportRefused, match="allerede"):
        register_import_apply(register_import=register_import, actor=operator)


def test_when_the_data_changed_after_the_preview_then_nothing_is_written(bodies, operator, tmp_path):
    register_import = preview(rf.write_json(tmp_path / "enheter.json.gz", fixture_entities()))
    Organisation.objects.filter(pk=bodies["ssb"].pk).update(legal_name="ENDRET FOR HAND")
    before = list(Organisation.objects.order_by("pk").values())
    with pytest.raises(RegisterImportRefused) as refused:
        register_import_apply(register_import=register_import, actor=operator)
    assert refused.value.message == (
        "Organisasjonene er endret siden denne forhåndsvisningen ble laget; ingenting ble skrevet. "
        "Lag en ny forhåndsvisning."
    )
    assert list(Organisation.objects.order_by("pk").values()) == before
    register_import.refresh_from_db()
    assert register_import.applied_at is None


def test_when_rows_are_broken_or_not_utf8_then_each_names_its_line_and_field(bodies, tmp_path):
    body = rf.csv_row(rf.entity(rf.valid_number(94_000_000), "BÆRUM TESTETAT", form="ORGL", sector="6100"))
    latin1 = (",".join(f'"{body[column]}"' for column in rf.CSV_COLUMNS) + "\n").encode("latin-1")
    rows = [
        *rf.filler(3),
        b'"911111111","FOR FA FELT"\n',
        latin1,
        *public_entities()[:1],
    ]
    register_import = preview(rf.write_csv(tmp_path / "enheter.csv.gz", rows))
    assert [(p["where"], p["field"], p["message"]) for p in register_import.problems] == [
        ("linje 5", "", f"raden har 2 felt; overskriften har {len(rf.CSV_COLUMNS)}."),
        ("linje 6", "navn", "teksten er ikke gyldig UTF-8; filen må være UTF-8."),
    ]
    assert register_import.read_count == 6 and not register_import.fatal

    lines = [public_entities()[0], b"{not json", "æøå".encode("latin-1"), b"[1, 2]"]
    register_import = preview(rf.write_json_lines(tmp_path / "enheter.jsonl.gz", lines))
    assert [(p["where"], p["message"][:28]) for p in register_import.problems] == [
        ("linje 2", "linjen er ikke gyldig JSON ("),
        ("linje 3", "linjen er ikke gyldig UTF-8;"),
        ("linje 4", "linjen er ikke et JSON-objek"),
    ]


def cut_short_gzip() -> bytes:
    data = gzip.compress(json.dumps(list(rf.filler(200))).encode())
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("content", "where", "message_start"),
    [
        (gzip.compress(b'[{"organisasjonsnummer": "974760673", "navn": "A"}, {"organisasjonsnummer": '),
         "etter enhet nr. 1", "filen er ikke gyldig JSON"),
        (cut_short_gzip(), "etter enhet nr. ", "den komprimerte filen er skadet eller avkortet"),
        (b"", "linje 1", "filen er tom."),
        (b"\x1f\x8b\x08\x00garbage", "linje 1", "filen kan ikke leses"),
        (b'navn;organisasjonsnummer\n"A";"974760673"\n', "linje 1", "kolonnen mangler"),
    ],
    ids=["json-cut-short", "gzip-cut-short", "empty", "not-gzip", "csv-header"],
)  # fmt: skip
def test_when_the_file_cannot_be_read_to_the_end_then_it_is_fatal_and_cannot_be_applied(
    bodies, operator, tmp_path, content, where, message_start
):
    path = tmp_path / "enheter.json.gz"
    path.write_bytes(content)
    register_import = preview(path)
    assert register_import.fatal and not register_import.can_apply
    assert register_import.problems[-1]["where"].startswith(where)
    assert register_import.problems[-1]["message"].startswith(message_start)
    with pytest.raises(RegisterImportRefused, match="kunne ikke leses til slutt"):
        register_import_apply(register_import=register_import, actor=operator)


def test_when_a_name_is_in_capitals_then_the_new_body_gets_it_in_ordinary_case():
    assert display_name("HELSE SØR-ØST RHF") == "Helse sør-øst RHF"
    assert display_name("DIREKTORATET FOR EKSEMPEL") == "Direktoratet for eksempel"


# The command


def test_when_the_command_runs_without_apply_then_it_prints_the_diff_and_writes_nothing(bodies, tmp_path):
    path = rf.write_json(tmp_path / "enheter_alle.json.gz", fixture_entities())
    out = StringIO()
    call_command("import_register", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:16] == [
        "enheter_alle.json.gz: 308 enheter lest, 10 offentlige organer eller organer som alt er i Nyskap.",
        "Nye organer (2):",
        f"  + {NEW_AGENCY} DIREKTORATET FOR EKSEMPELFORVALTNING (ORGL, 6100) → Direktorat eller etat, overordnet {KD}",
        f"  + {NEW_MUNICIPALITY} EKSEMPELVIK KOMMUNE (KOMM, 6500) → Kommune",
        "Organer med nytt navn (1):",
        f"  ~ {SSB} Statistisk sentralbyrå: STATISTISK SENTRALBYRÅ → STATISTISK SENTRALBYRÅ NORGE",
        "Slettede eller sammenslåtte organer (2):",
        f"  - {OLD_WITH_MEMBERS} Gamle direktoratet: slettet 2026-06-30 → markeres som avsluttet",
        f"  - {OLD_EMPTY} Tomme nemnda: slettet 2026-07-01 → slettes",
        "Ny overordnet (1):",
        f"  ^ {NTNU} NTNU: {FIN} → {KD}",
        "Juridisk navn registrert for første gang: 1",
        "Problemer (7); de enhetene er utelatt:",
        "  ! enhet nr. 162, felt organisasjonsnummer: Kontrollsifferet i «974760674» er feil (MOD11). Sjekk at "
        "organisasjonsnummeret er skrevet riktig.",
        "  ! enhet nr. 163, felt organisasjonsnummer: Et organisasjonsnummer kan bare inneholde sifre. «97476067X» "
        "inneholder andre tegn.",
        "  ! enhet nr. 164, felt navn: verdien mangler.",
    ]
    assert lines[-1] == "Prøvekjøring: ingenting er skrevet. Kjør igjen med --apply for å skrive endringene."
    assert not Organisation.objects.filter(organisation_number=NEW_AGENCY).exists()


def test_when_the_command_runs_with_apply_then_the_changes_are_written(bodies, tmp_path):
    path = rf.write_csv(tmp_path / "enheter_alle.csv.gz", fixture_entities())
    out = StringIO()
    call_command("import_register", str(path), "--apply", stdout=out)
    assert out.getvalue().splitlines()[-1] == (
        "Lagret: 3 nye, 1 med nytt navn, 1 juridiske navn registrert, 1 nye overordnede, 1 markert som avsluttet, "
        "1 slettet."
    )
    assert Organisation.objects.filter(organisation_number=NEW_AGENCY, parent=bodies["kd"]).exists()
    assert RegisterImport.objects.get().applied_at is not None


def test_when_the_command_gets_a_missing_or_broken_file_then_it_says_so_without_a_traceback(bodies, tmp_path):
    with pytest.raises(CommandError, match=r"Filen .*finnes-ikke\.json\.gz kan ikke åpnes"):
        call_command("import_register", str(tmp_path / "finnes-ikke.json.gz"))
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'[{"organisasjonsnummer": ')
    with pytest.raises(CommandError, match="Filen kunne ikke leses til slutt"):
        call_command("import_register", str(broken), "--apply", stdout=StringIO())
    assert Organisation.objects.count() == 7


# The operator page


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/gzip")


def test_when_an_outsider_or_anonymous_opens_the_page_then_they_are_refused(bodies, client, outsider, tmp_path):
    path = rf.write_json(tmp_path / "enheter.json.gz", fixture_entities())
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(outsider)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload("enheter.json.gz", path.read_bytes())}).status_code == 403
    assert RegisterImport.objects.count() == 0 and BackgroundJob.objects.count() == 0
    register_import = preview(path)
    assert client.get(f"{URL}{register_import.pk}/").status_code == 403
    assert client.post(f"{URL}{register_import.pk}/bruk/").status_code == 403
    register_import.refresh_from_db()
    assert register_import.applied_at is None and BackgroundJob.objects.count() == 0
    assert not Organisation.objects.filter(organisation_number=NEW_AGENCY).exists()


def test_when_an_operator_uploads_and_applies_then_the_page_shows_the_diff_and_then_the_result(
    bodies, as_operator, operator, tmp_path
):
    assert as_operator.get(URL).status_code == 200
    path = rf.write_json(tmp_path / "enheter_alle.json.gz", fixture_entities())
    response = as_operator.post(URL, {"file": upload("enheter_alle.json.gz", path.read_bytes())})
    # The file is read into the preview by a background job; its progress page links the preview.
    register_import = RegisterImport.objects.get()
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/oppgaver/{job.pk}/"
    assert (job.kind, job.status, job.owner, job.input_name) == (
        "organisations.register_preview",
        JobStatus.DONE,
        operator,
        "enheter_alle.json.gz",
    )
    assert not job.input_file  # the uploaded file is not kept
    assert register_import.created_by == operator
    progress = as_operator.get(response["Location"]).content.decode()
    assert f'<a class="ds-link" href="{URL}{register_import.pk}/">Registerimport enheter_alle.json.gz</a>' in progress
    assert (
        f"enheter_alle.json.gz: 308 enheter lest, {register_import.selected_count} offentlige organer eller organer "
        "som alt er i Nyskap. Se over endringene før du bruker dem."
    ) in progress
    page = as_operator.get(f"{URL}{register_import.pk}/").content.decode()
    assert (
        "2 nye organer" in page and "1 organ med nytt navn" in page and "2 slettede eller sammenslåtte organer" in page
    )
    assert "STATISTISK SENTRALBYRÅ NORGE" in page and "2026-06-30" in page
    assert "enhet nr. 162, felt organisasjonsnummer: Kontrollsifferet i «974760674» er feil" in page
    assert "Bruk alle 7 endringene" in page
    assert not Organisation.objects.filter(organisation_number=NEW_AGENCY).exists()

    # Applying runs as a background job too, all or nothing; its page gives the counts and links the preview.
    response = as_operator.post(f"{URL}{register_import.pk}/bruk/", follow=True)
    job = BackgroundJob.objects.get(kind="organisations.register_apply")
    assert response.redirect_chain == [(f"/oppgaver/{job.pk}/", 302)]
    assert (job.status, job.owner, job.params, job.rows_done, job.rows_total) == (
        JobStatus.DONE,
        operator,
        {"register_import": register_import.pk},
        7,
        7,
    )
    page = response.content.decode()
    assert "Lagret: 2 nye, 1 med nytt navn" in page
    assert f'<a class="ds-link" href="{URL}{register_import.pk}/">Registerimport enheter_alle.json.gz</a>' in page
    assert Organisation.objects.filter(organisation_number=NEW_AGENCY).exists()
    register_import.refresh_from_db()
    assert register_import.applied_by == operator
    # Applying twice is refused with a message, not an error page, and starts no job.
    response = as_operator.post(f"{URL}{register_import.pk}/bruk/", follow=True)
    assert response.status_code == 200 and "allerede blitt brukt" in response.content.decode()
    assert response.redirect_chain == [(f"{URL}{register_import.pk}/", 302)]
    assert BackgroundJob.objects.count() == 2


def test_when_the_data_changed_before_the_apply_job_ran_then_its_page_says_so_and_nothing_is_written(
    bodies, as_operator, operator, tmp_path
):
    register_import = preview(rf.write_json(tmp_path / "enheter.json.gz", fixture_entities()))
    Organisation.objects.filter(pk=bodies["ssb"].pk).update(legal_name="ENDRET FOR HAND")
    before = list(Organisation.objects.order_by("pk").values())
    response = as_operator.post(f"{URL}{register_import.pk}/bruk/", follow=True)
    job = BackgroundJob.objects.get()
    assert (job.kind, job.status, job.problems) == (
        "organisations.register_apply",
        JobStatus.FAILED,
        [
            "Organisasjonene er endret siden denne forhåndsvisningen ble laget; ingenting ble skrevet. "
            "Lag en ny forhåndsvisning."
        ],
    )
    assert "Lag en ny forhåndsvisning." in response.content.decode()
    assert f'href="{URL}{register_import.pk}/">' in response.content.decode()  # back to the preview
    assert list(Organisation.objects.order_by("pk").values()) == before
    register_import.refresh_from_db()
    assert register_import.applied_at is None


def test_when_the_operator_lost_the_role_before_the_job_ran_then_it_is_refused(bodies, operator, tmp_path):
    from nyskap.core.jobs.services import job_start

    register_import = preview(rf.write_json(tmp_path / "enheter.json.gz", fixture_entities()))
    operator.is_staff = operator.is_superuser = False
    operator.save()
    operator.groups.clear()
    job = job_start(
        owner=operator, kind="organisations.register_apply", title="x", params={"register_import": register_import.pk}
    )
    assert (job.status, job.problems) == (
        JobStatus.FAILED,
        ["Bare driftsansvarlige kan oppdatere organisasjonene fra Enhetsregisteret."],
    )
    register_import.refresh_from_db()
    assert register_import.applied_at is None
    assert not Organisation.objects.filter(organisation_number=NEW_AGENCY).exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01garbage", b"\x1f\x8b\x08\x00garbage", "navn,orgnr\nÆ,1\n".encode("latin-1"), b"[1, 2, {"],
    ids=["empty", "binary", "bad-gzip", "latin1-csv", "bad-json"],
)
def test_when_an_operator_uploads_a_bad_file_then_the_page_names_the_problem_and_never_fails(
    bodies, as_operator, content
):
    response = as_operator.post(URL, {"file": upload("enheter.json.gz", content)}, follow=True)
    assert response.status_code in (200, 400)
    if content:
        # Read by a background job: its page links the stored preview, which names the problem.
        register_import = RegisterImport.objects.get()
        assert BackgroundJob.objects.get().status == JobStatus.DONE
        assert f'href="{URL}{register_import.pk}/">' in response.content.decode()
        assert register_import.fatal or register_import.problem_count
        page = as_operator.get(f"{URL}{register_import.pk}/").content.decode()
        assert "Filen kunne ikke leses til slutt" in page or register_import.problem_count
    else:
        assert "Fil fra Enhetsregisteret: " in response.content.decode()  # the error names the field
        assert BackgroundJob.objects.count() == 0
    assert Organisation.objects.count() == 7


def test_when_no_file_is_sent_then_the_form_names_the_field_in_norwegian(bodies, as_operator):
    response = as_operator.post(URL, {})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Fil fra Enhetsregisteret: Dette feltet må fylles ut." in page
    assert RegisterImport.objects.count() == 0


def test_when_a_value_holds_control_characters_then_it_is_refused_and_the_preview_is_stored(bodies, tmp_path):
    nul_name = rf.entity(rf.valid_number(95_000_000), "NUL\u0000ETAT", form="ORGL", sector="6100")
    nul_date = rf.entity(rf.valid_number(95_100_000), "DATO", form="ORGL", sector="6100", deleted_on="2025\u0000")
    register_import = preview(rf.write_json(tmp_path / "enheter.json.gz", [nul_name, nul_date]))
    register_import.refresh_from_db()
    assert [(p["where"], p["field"], p["message"]) for p in register_import.problems] == [
        ("enhet nr. 1", "navn", "teksten inneholder kontrolltegn, som ikke er tillatt."),
        ("enhet nr. 2", "slettedato", "teksten inneholder kontrolltegn, som ikke er tillatt."),
        ("enhet nr. 2", "slettedato", "«2025» er ikke en dato (ÅÅÅÅ-MM-DD)."),
    ]
    assert register_import.plan["new"] == [] and register_import.change_count == 0
