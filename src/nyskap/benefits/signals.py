"""Cache invalidation only: any change to a plan, a benefit, its yearly amounts or its measurements gives the
portfolio roll-up a new version, so a cached aggregate is never served for data that has changed. The version is
bumped at once and again when the transaction commits, so a roll-up computed from the old data in between is not
kept either. (Bulk writes in the services, which send no signals, bump it themselves.)

A project's visibility, sector and owners decide which plans the public part of the roll-up counts and in which
scope, so a saved or deleted project, or a change of its owners, bumps the version too."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from nyskap.projects.models import Project

from . import models
from .portfolio_cache import invalidate_portfolio

for _model in (models.BenefitPlan, models.Benefit, models.BenefitAmount, models.Measurement, Project):
    post_save.connect(invalidate_portfolio, sender=_model, dispatch_uid=f"benefits-portfolio-save-{_model.__name__}")
    post_delete.connect(
        invalidate_portfolio, sender=_model, dispatch_uid=f"benefits-portfolio-delete-{_model.__name__}"
    )
m2m_changed.connect(invalidate_portfolio, sender=Project.owners.through, dispatch_uid="benefits-portfolio-owners")
