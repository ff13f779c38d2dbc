"""The reviewed mapping of the instrument catalogue (``REVIEWED``): for each row of ``instruments.csv``, what the
row says only in prose — owners, who may apply and who may only be a partner, sectors, requirements, amounts,
calls, whether the scheme has ended — with a note on the judgement made, the nynorsk name and the link to the
owner's page. Data written by reading the rows and DOMAIN.md; `catalogue.read_instruments` checks and uses it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

MNOK = Decimal(1_000_000)

# Owners: reference keys of organisations in the reference data ("stat:<organisation number>", "stat:doga"),
# "@county_municipalities" / "@county_governors" for all of that kind, "new:<key>" for an owner created here.
DIGDIR, DFO, INNOVASJON_NORGE, FORSKNINGSRADET = "stat:991825827", "stat:986252932", "stat:986399445", "stat:970141669"
DOGA, KS, HDIR, EHELSE, NAV = "stat:doga", "stat:971032146", "stat:983544622", "stat:915933149", "stat:889640782"
FINANSTILSYNET, DATATILSYNET = "stat:840747972", "stat:974761467"
KDD, FIN, HOD = "stat:972417858", "stat:972417807", "stat:983887406"
NTNU, NMBU = "stat:974767880", "stat:969159570"

# Owners not in the reference data, created by the loader (no organisation number: not invented).
# NTNU and NMBU were created here until the reference data held the state universities; none is needed now.
NEW_OWNERS: dict[str, dict[str, str]] = {}


# The owners' official home pages (well-known domains, not taken from the rows). An instrument whose source names
# no address links its first owner's home page, and the page says so (``WebsiteOrigin.OWNER_HOME``). The ministries'
# home pages are their parts of regjeringen.no; the county governors share statsforvalteren.no.
OWNER_HOME_PAGES: dict[str, str] = {
    DIGDIR: "digdir.no",
    DFO: "dfo.no",
    INNOVASJON_NORGE: "innovasjonnorge.no",
    FORSKNINGSRADET: "forskningsradet.no",
    DOGA: "doga.no",
    KS: "ks.no",
    HDIR: "helsedirektoratet.no",
    EHELSE: "ehelse.no",
    NAV: "nav.no",
    FINANSTILSYNET: "finanstilsynet.no",
    DATATILSYNET: "datatilsynet.no",
    KDD: "regjeringen.no",
    FIN: "regjeringen.no",
    HOD: "regjeringen.no",
    "@county_governors": "statsforvalteren.no",
    NTNU: "ntnu.no",
    NMBU: "nmbu.no",
}
# Home pages an entry may name with ``home=`` when its first owner's is not the right one: DFØ's site for public
# procurement, and the government's site for a scheme owned by several ministries.
OTHER_HOME_PAGES = ("anskaffelser.no", "regjeringen.no")


def _entry(
    slug: str,
    owners: tuple[str, ...],
    applicants: tuple[str, ...],
    *,
    partners: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    requirements: tuple[str, ...] = (),
    open_call: bool = False,
    ended_on: datetime.date | None = None,
    ended: bool = False,
    status_note: str = "",
    unverified: str = "",
    grant_max: Decimal | None = None,
    cost: tuple[Decimal | None, Decimal | None] = (None, None),
    cofunding: Decimal | None = None,
    note: str = "",
    nn: str = "",
    en: str = "",
    site: str = "",
    home: str = "",
) -> dict[str, Any]:
    """One reviewed instrument. ``nn`` is the nynorsk name (proper nouns kept as they are); ``en`` replaces the
    row's English description when a better English name exists (one that keeps the proper noun). ``site`` is an
    address exactly as the row's ``source`` names it (checked when the file is read); without it the instrument
    links its owner's home page (``home`` when the first owner's is not the right one)."""
    return {
        "slug": slug,
        "nn": nn,
        "en": en,
        "site": site,
        "home": home,
        "owners": owners,
        "applicants": applicants,
        "partners": partners,
        "sectors": sectors,
        "requirements": requirements,
        "open_call": open_call,
        "ended": ended or ended_on is not None,
        "ended_on": ended_on,
        "status_note": status_note,
        "unverified": unverified,
        "grant_max": grant_max,
        "cost": cost,
        "cofunding": cofunding,
        "note": note,
    }


# The reviewed mapping, keyed by the ``instrument`` column. Applicants and partners are groups from GROUPS.
REVIEWED: dict[str, dict[str, Any]] = {
    "Stimulation scheme for innovation and service design": _entry(
        "stimulab", (DIGDIR, DOGA), ("public",), requirements=("process_commitment",), open_call=True,
        note="Public agencies of both levels apply; projects are chosen in rounds. The 20 MNOK is the pot, not a "
        "per-project amount (per-project sums unverified, DOMAIN.md §10).",
        nn="StimuLab (Stimuleringsordninga for innovasjon og tenestedesign)",
        en="StimuLab – stimulation scheme for innovation and service design", site="digdir.no/788",
    ),
    "Co-financing scheme for digitalisation projects": _entry(
        "medfinansiering", (DIGDIR,), ("state",), partners=("municipal", "inter_municipal", "companies"),
        requirements=("benefit_plan",), open_call=True, grant_max=50 * MNOK, cost=(10 * MNOK, 100 * MNOK),
        cofunding=Decimal(50),
        note="Applicants: state administrative bodies (DOMAIN.md §3.3, 2019: municipalities only as partners). "
        "Amounts are the latest stated terms: project cost 10–100 MNOK, up to 50 %, at most 50 MNOK.",
        nn="Medfinansieringsordninga", site="digdir.no",
    ),
    "Innovation prize": _entry(
        "innovasjonsprisen", (DIGDIR,), ("public",), unverified="The criteria for the prize.",
        note="Recognition is not an offer of the catalogue; the network is.",
        nn="Innovasjonsprisen (for offentleg sektor)", en="Innovation prize for the public sector",
    ),
    "Digitalisation council": _entry(
        "digitaliseringsradet", (DIGDIR,), ("state",), note="For state agencies (agency heads).",
        nn="Digitaliseringsrådet",
    ),
    "Project model": _entry(
        "prosjektveiviseren", (DIGDIR,), ("public",), note="Mainly for state projects; open to all.",
        nn="Prosjektvegvisaren", en="Project model (Prosjektveiviseren)",
    ),
    "Learn from others web / state innovation network / Nordic Innovation Hub": _entry(
        "laer-av-andre", (DIGDIR, KS), ("state", "other_public"), note="State network; KS takes part.",
        nn="Lær av andre; innovasjonsnettverk for statlege verksemder",
    ),
    "Innovation barometer (state)": _entry(
        "innovasjonsbarometeret-staten", (DIGDIR,), ("state",),
        nn="Innovasjonsbarometeret i staten", en="Innovation barometer for the state sector", site="digdir.no",
    ),
    "Benefit-realisation and socio-economic guides": _entry(
        "dfo-veiledere", (DFO,), ("public",), note="Written for the state, usable by all public bodies.",
        nn="Rettleiar for gevinstrealisering; Rettleiar i samfunnsøkonomiske analysar",
        en="Guides to benefit realisation and socio-economic analysis", site="dfo.no",
    ),
    "Public procurement expert body incl. innovative procurement": _entry(
        "anskaffelser-no", (DFO,), ("public",),
        nn="Fagorgan for offentlege anskaffingar (anskaffelser.no)",
        en="Public procurement expert body (anskaffelser.no), incl. innovative procurement", home="anskaffelser.no",
    ),
    "Programme for innovation purchases from start-ups": _entry(
        "startoff", (DFO, DIGDIR), ("public",), partners=("companies",), ended=True,
        status_note="Discontinued in the 2024 state budget (the programme ran 2020–2024).",
        note="Public buyers apply; start-ups are the suppliers. Ended: the exact date is not in the source.",
        nn="StartOff (Program for innovasjonskjøp frå oppstartsselskap)",
        en="StartOff – programme for innovation purchases from start-ups",
        site="anskaffelser.no/innovasjon/startoff",
    ),
    "Leader competence and e-learning; mobility programme": _entry(
        "dfo-kompetanse", (DFO,), ("state",),
        nn="Kompetansetilbod, e-læring (Virksomhetsplattformen/På nett med læring); Mobilitetsprogrammet",
    ),
    "Innovation partnership scheme": _entry(
        "innovasjonspartnerskap", (INNOVASJON_NORGE, FORSKNINGSRADET), ("public",), partners=("companies",),
        open_call=True, unverified="The amounts (secondary sources).",
        note="Public bodies covered by the procurement rules apply; companies are the partners.",
        nn="Innovasjonspartnarskap",
    ),
    "Innovation contracts": _entry(
        "innovasjonskontrakter", (INNOVASJON_NORGE,), ("company",), partners=("public",),
        requirements=("pilot_customer",), cofunding=Decimal(50), unverified="All facts (secondary sources only).",
        note="The SME supplier applies; a public body takes part as pilot customer only.",
        nn="Innovasjonskontraktar (tidl. OFU/IFU)", en="Innovation contracts (formerly OFU/IFU)",
    ),
    "Clusters": _entry(
        "klynger", (INNOVASJON_NORGE, FORSKNINGSRADET), ("companies",), partners=("public", "research"),
        unverified="Only the existence is verified.",
        note="Companies form the clusters; public bodies join as members.",
        nn="Klynger (Norwegian Innovation Clusters)", en="Clusters (Norwegian Innovation Clusters)",
    ),
    "Pilot-E / Pilot-T": _entry(
        "pilot-e-pilot-t", (INNOVASJON_NORGE, FORSKNINGSRADET), ("companies",), partners=("public",),
        note="Companies apply; public buyers take part as partners.",
        nn="Pilot-E, Pilot-T",
    ),
    "Design-driven innovation tools": _entry(
        "doga-verktoy", (DOGA,), ("public",),
        nn="Guide for designdriven innovasjon; Barnetråkk; D-box",
        en="Design-driven innovation tools (guide, Barnetråkk, D-box)",
    ),
    "National supplier development programme": _entry(
        "lup", (KS,), ("public", "companies"),
        note="Owned by NHO and KS; NHO is not in the reference data, so KS is the linked owner.",
        nn="Nasjonalt program for leverandørutvikling (LUP)", en="National programme for supplier development (LUP)",
        site="innovativeanskaffelser.no",
    ),
    "Research and innovation in the municipal sector": _entry(
        "forkommune", (FORSKNINGSRADET,), ("municipal",), open_call=True, note="Funds are announced in calls.",
        nn="FORKOMMUNE", en="FORKOMMUNE – research and innovation in the municipal sector",
    ),
    "Innovation project for the public sector": _entry(
        "ipo", (FORSKNINGSRADET,), ("public",), requirements=("research_partner",), open_call=True,
        unverified="Per-project limits.",
        nn="Innovasjonsprosjekt i offentleg sektor (IPO)", en="Innovation project for the public sector (IPO)",
        site="forskningsradet.no",
    ),
    "Public-sector PhD": _entry(
        "offentlig-sektor-phd", (FORSKNINGSRADET,), ("public",), unverified="The co-funding rate.",
        note="Only the counts are verified.",
        nn="Offentleg sektor-ph.d.", en="Public-sector PhD scheme",
    ),
    "Pre-commercial procurement funding": _entry(
        "forkommersielle-anskaffelser", (FORSKNINGSRADET,), ("public",), open_call=True,
        nn="Førkommersielle anskaffingar (PCP)", en="Pre-commercial procurement (PCP) funding",
    ),
    "Sector research programmes": _entry(
        "sektorprogrammer", (FORSKNINGSRADET,), ("public", "companies"),
        sectors=("education", "health_care", "transport", "administration"),
        note="Sectors from the programmes' names: FINNUT education, HELSEVEL and Pilot Helse health, Transport 2025 "
        "transport, IKTPLUSS digitalisation.",
        nn="FINNUT, HELSEVEL, Transport 2025, IKTPLUSS; Pilot Helse",
        en="Sector research programmes (FINNUT, HELSEVEL, Transport 2025, IKTPLUSS, Pilot Helse)",
    ),
    "Regional mobilisation": _entry(
        "forregion", (FORSKNINGSRADET, "@county_municipalities"), ("municipal", "companies"),
        note="The money is small (pre-projects).",
        nn="FORREGION (kompetansemekling, forprosjekt); prosjektverkstad",
        en="FORREGION – regional mobilisation (competence brokering, pre-projects, project workshops)",
    ),
    "Regional research funds": _entry(
        "regionale-forskningsfond", ("@county_municipalities",), ("municipal", "companies"), open_call=True,
        nn="Regionale forskingsfond", site="regionaleforskningsfond.no",
    ),
    "Horizon 2020 / Horizon Europe mobilisation": _entry(
        "horisont-europa", (FORSKNINGSRADET, KS), ("public",), note="The EU is the owner of the programme itself.",
        nn="Horisont 2020 / Horisont Europa; FINN-EU",
        en="Horizon 2020 / Horizon Europe mobilisation (incl. FINN-EU)",
    ),
    "County governor project discretionary funds": _entry(
        "prosjektskjonnsmidler", ("@county_governors",), ("municipality",),
        note="The county governors give the funds to municipalities.",
        nn="Prosjektskjønsmidlar", en="County governors' project discretionary funds",
    ),
    "Partnership for radical innovation": _entry(
        "partnerskap-radikal-innovasjon", (KS,), ("municipal",), unverified="Whether money is offered.",
        note="Money is marked unverified in the source and is left out of the offers.",
        nn="Partnarskap for radikal innovasjon",
    ),
    "Digital joint-solution fund": _entry(
        "digifin", (KS,), ("municipal", "other_public"), partners=("inter_municipal",),
        requirements=("matching_contribution",), cofunding=Decimal(50),
        note="Municipal enterprises and inter-municipal companies only when a municipality co-applies; the "
        "municipal sector contributes at least as much as the state (so at most half).",
        nn="Digifin", en="Digifin – digital joint-solution fund",
    ),
    "KS method tools": _entry(
        "ks-metodeverktoy", (KS,), ("municipal",),
        nn="Vegkart for tenesteinnovasjon; Gevinstkokeboka; Utanfor-rekneskapen; Guide til god leiing",
        en="KS method tools (service-innovation roadmap, benefit cookbook, outside-the-accounts model, "
        "leadership guide)",
    ),
    "Elected representatives programme": _entry(
        "ks-folkevalgtprogram", (KS,), ("municipal",),
        nn="KS Folkevaldprogram (handboka Tillit)", en="KS programme for elected representatives (handbook Tillit)",
    ),
    "Employee survey": _entry(
        "10-faktor", (KS,), ("municipal",),
        nn="10-FAKTOR", en="10-FAKTOR employee survey", site="ks.no",
    ),
    "National welfare technology programme": _entry(
        "velferdsteknologiprogrammet", (HDIR, EHELSE, KS), ("municipality",), sectors=("health_care",),
        nn="Nasjonalt velferdsteknologiprogram",
    ),
    "Need-driven health innovation service": _entry(
        "innomed", (KS,), ("public",), sectors=("health_care",),
        note="Owned by the regional health authorities with KS; KS is the linked owner.",
        nn="InnoMed", en="InnoMed – need-driven health innovation service",
    ),
    "Public health programme in municipalities": _entry(
        "folkehelseprogrammet", (HDIR,), ("municipality",), sectors=("health_care",),
        unverified="The owner.", status_note="Runs 2017–2027.",
        nn="Program for folkehelsearbeid i kommunane",
    ),
    "Water-sector technology programme": _entry(
        "vannbransjen-teknologi", (HOD,), ("municipality", "companies"), sectors=("infrastructure",),
        requirements=("matching_contribution",), cofunding=Decimal(50),
        note="At least equal contributions from municipalities and suppliers: the state covers at most half.",
        nn="Program for teknologiutvikling i vassbransjen",
    ),
    "National centre for water infrastructure": _entry(
        "vanninfrastruktur-senter", (NMBU,), ("municipality", "companies"), sectors=("infrastructure",),
        nn="Nasjonalt senter for vassinfrastruktur (NMBU)", en="National centre for water infrastructure (NMBU)",
    ),
    "Social entrepreneurship grant; welfare-bond pilot": _entry(
        "sosialt-entreprenorskap", (NAV,), ("social_entrepreneur", "state_agency"), sectors=("welfare",),
        note="The grant is for social entrepreneurs; the welfare-bond pilot is run by state agencies.",
        nn="Tilskotsordning for sosialt entreprenørskap; velferdsobligasjonar",
    ),
    "Trials act": _entry(
        "forsoksloven", (KDD,), ("municipal", "state"), note="Trials are approved by the King or the ministry.",
        nn="Forsøkslova", en="Trials Act (Forsøksloven)",
    ),
    "Regulatory sandboxes": _entry(
        "regulatoriske-sandkasser", (FINANSTILSYNET, DATATILSYNET), ("companies", "public"),
        note="Finanstilsynet's sandbox is for companies; Datatilsynet's also for public bodies.",
        nn="Regulatorisk sandkasse (fintech; personvern/KI)", en="Regulatory sandboxes (fintech; privacy and AI)",
        site="datatilsynet.no",
    ),
    "Procurement academy": _entry(
        "anskaffelsesakademiet", (DIGDIR, DFO, KS), ("public",),
        nn="Anskaffelsesakademiet", en="Procurement academy (Anskaffelsesakademiet)",
    ),
    "Council for public-sector innovation": _entry(
        "rad-for-innovasjon", (KDD,), ("public",), unverified="Whether the council was set up as planned.",
        note="Announced in the white paper (a plan).",
        nn="Råd for innovasjon i offentleg sektor",
    ),
    "Programme financing pilot": _entry(
        "programfinansiering-0-24", (), ("municipality",), ended_on=datetime.date(2022, 12, 31),
        status_note="The pilot ran until the end of 2022.",
        note="Owned by the 0–24 cooperation's ministries; none is linked.",
        nn="Programfinansiering i 0-24-samarbeidet", en="Programme financing pilot in the 0-24 cooperation",
        home="regjeringen.no",
    ),
    "Budget-rule flexibility for investments": _entry(
        "overskridelse-investering", (FIN,), ("state",),
        note="Up to 5 % of the operating appropriation, repaid over the next five budget years.",
        nn="Overskriding av driftsløyving til investeringsformål",
    ),
    "Elements of AI online course": _entry(
        "elements-of-ai", (NTNU, KS), ("public",),
        nn="Elements of AI (norsk)", en="Elements of AI online course (Norwegian)",
    ),
    "Health communities": _entry(
        "helsefellesskap", (HOD, KS), ("municipality", "health_trust"), sectors=("health_care",),
        nn="Helsefellesskap", en="Health communities (helsefellesskap)",
    ),
    "Regional digitalisation networks": _entry(
        "regionale-digitaliseringsnettverk", (KS,), ("municipal",),
        nn="Regionale digitaliseringsnettverk; KommIT-rådet", en="Regional digitalisation networks; KommIT council",
    ),
}  # fmt: skip
