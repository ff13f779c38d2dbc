"""The import's and the classifier's messages in the reader's language: the parsers and the classifier are pure
(no Django) and give English templates; the pages and the API show them in bokmål, nynorsk or English."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from django.utils import translation

from nyskap.core.jobs.models import BackgroundJob, JobStatus
from nyskap.procurement import calculations, labels, parsers, services
from nyskap.procurement.models import ImportRun, Notice

from .test_pages import FIXTURES, upload

pytestmark = pytest.mark.django_db

# Written the same in Norwegian (a code and its meaning, which is translated on its own).
SAME_IN_EVERY_LANGUAGE = {calculations.CRITERION_BT776}
MESSAGE_ARGUMENT = {"Refused": 1, "NoticeProblem": 3, "UnknownCode": 2}


def _templates(module) -> set[str]:
    """Every message template the module passes to Refused, NoticeProblem or UnknownCode (as a literal or a module
    constant)."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    constants = {
        target.id: node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MESSAGE_ARGUMENT:
            index = MESSAGE_ARGUMENT[node.func.id]
            if len(node.args) <= index:
                continue
            argument = node.args[index]
            if isinstance(argument, ast.Constant):
                found.add(argument.value)
            elif isinstance(argument, ast.Name) and argument.id in constants:
                found.add(constants[argument.id])
            else:
                assert ast.unparse(argument) == "exc.template", ast.unparse(argument)
    return found


def test_every_message_of_the_parsers_and_the_classifier_is_translated():
    templates = _templates(parsers) | _templates(calculations) | _templates(services)
    assert len(templates) >= 29
    templates |= set(calculations.REASON_TEMPLATES)
    assert templates - set(labels.MESSAGES) == set()
    for template in templates - SAME_IN_EVERY_LANGUAGE:
        for language in ("nb", "nn"):
            with translation.override(language):
                assert labels.message(template) != template, (language, template)


def test_the_import_job_lists_the_problems_in_norwegian(as_operator):
    response = upload(as_operator, FIXTURES / "malformed" / "wrong-types.json", HTTP_ACCEPT_LANGUAGE="nb")
    job = BackgroundJob.objects.get()
    assert response.url == f"/oppgaver/{job.pk}/" and job.status == JobStatus.FAILED
    problems = job.report["problems"]
    assert problems[0] == "wrong-types.json, kunngjøring 2, feltet releases.1.tender: Ventet et objekt."
    assert problems[1].startswith(
        "wrong-types.json, kunngjøring 3, feltet releases.2.tender.procurementMethodDetails: Ukjent prosedyretype «"
    )
    page = as_operator.get(response.url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Unknown procedure type" not in page and "Ventet et objekt." in page
    assert not ImportRun.objects.exists() and not Notice.objects.exists()


def test_the_import_in_nynorsk_names_the_code_at_its_position():
    data = b'{"releases": [{"id": "1", "date": "2024-01-01", "tender": {"procurementMethodDetails": "lottery"}}]}'
    with translation.override("nn"), pytest.raises(services.ImportRefused) as refused:
        services.notices_import(files=[services.NoticeFile("a.json", io.BytesIO(data))])
    assert refused.value.run.problems == [
        {
            "file": "a.json",
            "position": "1",
            "field": "releases.0.tender.procurementMethodDetails",
            "message": "Ukjend prosedyretype «lottery» (BT-105: " + ", ".join(calculations.PROCEDURE_CODES) + ").",
        }
    ]
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "Ukjent prosedyretype «lottery»"),
        ("nn", "Ukjend prosedyretype «lottery»"),
        ("en", "Unknown procedure type “lottery”"),
    ],
)
def test_classify_422_in_the_callers_language(client, language, expected):
    response = client.post(
        "/api/v1/procurement/classify",
        {"notices": [{"id": "a", "procedure": "lottery"}]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "notices.0.procedure"
    assert error["message"].startswith(expected), error["message"]


def test_classify_422_names_a_bad_cpv_code_in_norwegian(client):
    response = client.post(
        "/api/v1/procurement/classify",
        {"notices": [{"id": "a", "procedure": "open", "cpv": ["73110000-6", "7311"]}]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error == {
        "field": "notices.0.cpv.1",
        "message": "«7311» er ikke en CPV-kode (åtte sifre, f.eks. 73110000-6).",
    }


def test_every_innovative_code_the_reason_names_is_translated():
    named = set(calculations.INNOVATION_CODES) | set(calculations.FRIENDLY_CODES)
    assert named == set(labels.INNOVATIVE_LABELS)
    for code in named:
        with translation.override("en"):
            assert str(labels.INNOVATIVE_LABELS[code]) == calculations.INNOVATIVE_CODES[code]
        for language in ("nb", "nn"):
            with translation.override(language):
                assert str(labels.INNOVATIVE_LABELS[code]) != calculations.INNOVATIVE_CODES[code], (language, code)
