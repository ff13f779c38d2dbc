from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.urls import reverse

from nyskap.core.visibility import Visibility
from nyskap.projects.models import AdoptionHow, Phase
from nyskap.projects.services import project_adopt, project_change_phase, project_update


def test_when_a_project_changes_then_the_audit_log_records_what_changed(project, innovator):
    project_update(project=project, actor=innovator, title="Varm mat hver dag")
    project_change_phase(project=project, to_phase=Phase.IDEAS, actor=innovator)

    updates = LogEntry.objects.get_for_object(project).filter(action=LogEntry.Action.UPDATE)
    changes = [entry.changes_dict for entry in updates]
    assert [change["title"] for change in changes if "title" in change] == [["Varm mat", "Varm mat hver dag"]]
    assert [change["phase"] for change in changes if "phase" in change] == [["need", "ideas"]]


def test_when_the_operator_opens_the_admin_then_list_change_and_history_render(as_operator, project):
    urls = [
        reverse("admin:projects_project_changelist"),
        reverse("admin:projects_project_change", args=[project.pk]),
        reverse("admin:projects_project_auditlog", args=[project.pk]),
        reverse("admin:projects_adoption_changelist"),
    ]

    assert [as_operator.get(url).status_code for url in urls] == [200, 200, 200, 200]


def test_when_the_history_of_a_missing_object_is_opened_then_not_found(as_operator, db):
    response = as_operator.get(reverse("admin:projects_adoption_auditlog", args=[999]))

    assert response.status_code == 404


def test_when_an_outsider_opens_the_admin_then_refused(as_outsider, project):
    response = as_outsider.get(reverse("admin:projects_project_change", args=[project.pk]))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_when_an_adoption_is_registered_then_it_is_audited(project, innovator, outsider, other_municipality):
    project_update(project=project, actor=innovator, visibility=Visibility.PUBLIC)
    adoption = project_adopt(
        source=project,
        adopter_organisation=other_municipality,
        how=AdoptionHow.COPIED,
        adopted_on=dt.date(2024, 1, 1),
        actor=outsider,
    )

    assert LogEntry.objects.get_for_object(adoption).filter(action=LogEntry.Action.CREATE).count() == 1
