"""The project library's vocabularies: phases, innovation types, degree, novelty, sectors, goals, life events,
how effects are measured, partner roles and how a project was reused (DOMAIN.md §7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """The platform's phases (DOMAIN.md §7.3: triple diamond mapped to five phases) plus *stopped*."""

    NEED = "need", _("Need")
    IDEAS = "ideas", _("Ideas and concepts")
    DEVELOP_TEST = "develop_test", _("Develop and test")
    IMPLEMENTED = "implemented", _("Implemented")
    SPREAD = "spread", _("Spread")
    STOPPED = "stopped", _("Stopped")


class InnovationTypeCode(models.TextChoices):
    """The white paper's definition (ch. 3.1): a new or significantly changed service, product, process,
    organisation or way of communicating (DOMAIN.md §0)."""

    SERVICE = "service", _("Service")
    PRODUCT = "product", _("Product")
    PROCESS = "process", _("Process")
    ORGANISATION = "organisation", _("Organisation")
    COMMUNICATION = "communication", _("Way of communicating")


class Degree(models.TextChoices):
    """White paper ch. 3.1 (DOMAIN.md §0)."""

    INCREMENTAL = "incremental", _("Incremental")
    RADICAL = "radical", _("Radical")
    TRANSFORMATIVE = "transformative", _("Transformative")


class Novelty(models.TextChoices):
    """The innovation barometers' novelty item (DOMAIN.md §1.1.1, question 3)."""

    FIRST_OF_ITS_KIND = "first_of_its_kind", _("First of its kind")
    INSPIRED_ADAPTED = "inspired_adapted", _("Inspired by others and adapted")
    COPIED = "copied", _("Copied")


class Sector(models.TextChoices):
    HEALTH_CARE = "health_care", _("Health and care")
    EDUCATION = "education", _("Education")
    CHILDHOOD = "childhood", _("Childhood and kindergarten")
    WELFARE = "welfare", _("Social services and welfare")
    CULTURE = "culture", _("Culture")
    INFRASTRUCTURE = "infrastructure", _("Technical services and infrastructure")
    ENVIRONMENT = "environment", _("Environment and climate")
    PLANNING_BUILDING = "planning_building", _("Planning and building")
    TRANSPORT = "transport", _("Transport")
    BUSINESS_DEVELOPMENT = "business_development", _("Business development")
    ADMINISTRATION = "administration", _("Administration and digitalisation")
    JUSTICE_EMERGENCY = "justice_emergency", _("Justice and emergency services")
    OTHER = "other", _("Other")


class SustainableDevelopmentGoalNumber(models.IntegerChoices):
    SDG_1 = 1, _("1 No poverty")
    SDG_2 = 2, _("2 Zero hunger")
    SDG_3 = 3, _("3 Good health and well-being")
    SDG_4 = 4, _("4 Quality education")
    SDG_5 = 5, _("5 Gender equality")
    SDG_6 = 6, _("6 Clean water and sanitation")
    SDG_7 = 7, _("7 Affordable and clean energy")
    SDG_8 = 8, _("8 Decent work and economic growth")
    SDG_9 = 9, _("9 Industry, innovation and infrastructure")
    SDG_10 = 10, _("10 Reduced inequalities")
    SDG_11 = 11, _("11 Sustainable cities and communities")
    SDG_12 = 12, _("12 Responsible consumption and production")
    SDG_13 = 13, _("13 Climate action")
    SDG_14 = 14, _("14 Life below water")
    SDG_15 = 15, _("15 Life on land")
    SDG_16 = 16, _("16 Peace, justice and strong institutions")
    SDG_17 = 17, _("17 Partnerships for the goals")


class LifeEventCode(models.TextChoices):
    """The seven life events of the digitalisation strategy *Én digital offentlig sektor* (2019–2025), as listed in
    Meld. St. 30 (2019–2020) ch. 6: få barn, dødsfall og arv, alvorlig sykt barn, miste og finne jobb, ny i Norge,
    starte og drive en bedrift, starte og drive en frivillig organisasjon."""

    HAVING_A_CHILD = "having_a_child", _("Having a child")
    SERIOUSLY_ILL_CHILD = "seriously_ill_child", _("Seriously ill child")
    LOSING_AND_FINDING_A_JOB = "losing_and_finding_a_job", _("Losing and finding a job")
    NEW_IN_NORWAY = "new_in_norway", _("New in Norway")
    STARTING_A_BUSINESS = "starting_a_business", _("Starting and running a business")
    STARTING_A_VOLUNTARY_ORGANISATION = (
        "starting_a_voluntary_organisation",
        _("Starting and running a voluntary organisation"),
    )
    DEATH_AND_INHERITANCE = "death_and_inheritance", _("Death and inheritance")


class EffectsMeasurement(models.TextChoices):
    """How the effects were measured (barometer question 9, simplified; DOMAIN.md §1.1.1)."""

    NONE = "none", _("Not evaluated")
    INTERNAL = "internal", _("Evaluated internally")
    EXTERNAL = "external", _("Evaluated with external assistance")


class PartnerRole(models.TextChoices):
    PUBLIC_BODY = "public_body", _("Other public body")
    RESEARCH = "research", _("Research")
    BUSINESS = "business", _("Business")
    VOLUNTARY = "voluntary", _("Voluntary sector")
    CITIZENS = "citizens", _("Citizens and users")


class AdoptionHow(models.TextChoices):
    COPIED = "copied", _("Copied")
    ADAPTED = "adapted", _("Adapted")
