"""Nyskap's culture-for-innovation questionnaire (version 1).

This is Nyskap's own instrument, built on the description of a culture for innovation in Meld. St. 30 (2019–2020)
*En innovativ offentlig sektor*, ch. 7.3.1 and figure 7.2 (Kommunal- og moderniseringsdepartementet 2020): three
skills (curiosity, openness, courage) and four practices. It is **not** an official state survey; the white paper
announces such tools but none had been published when this was written (DOMAIN.md §2.2–2.3). Every item quotes the
sentence of the white paper it operationalises, so anyone can judge the fit.

Items are statements about the respondent's workplace on a 1–5 agreement scale with "don't know".
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

KEY = "culture-for-innovation"
VERSION = 1
SOURCE = "Meld. St. 30 (2019–2020), kap. 7.3.1"

NAME = {
    "nb": "Kultur for innovasjon",
    "nn": "Kultur for innovasjon",
    "en": "Culture for innovation",
}

INTRODUCTION = {
    "nb": (
        "Spørsmålene handler om arbeidsplassen din slik du opplever den. Svar på en skala fra 1 (helt uenig) til "
        "5 (helt enig), eller velg «Vet ikke». Undersøkelsen er Nyskaps eget verktøy, bygd på beskrivelsen av kultur "
        "for innovasjon i Meld. St. 30 (2019–2020), kapittel 7. Den er ikke en offisiell statlig undersøkelse."
    ),
    "nn": (
        "Spørsmåla handlar om arbeidsplassen din slik du opplever han. Svar på ein skala frå 1 (heilt ueinig) til "
        "5 (heilt einig), eller vel «Veit ikkje». Undersøkinga er Nyskap sitt eige verktøy, bygd på skildringa av "
        "kultur for innovasjon i Meld. St. 30 (2019–2020), kapittel 7. Ho er ikkje ei offisiell statleg undersøking."
    ),
    "en": (
        "The questions are about your workplace as you experience it. Answer on a scale from 1 (strongly disagree) "
        "to 5 (strongly agree), or choose “Don't know”. The survey is Nyskap's own instrument, built on the "
        "description of a culture for innovation in Meld. St. 30 (2019–2020), chapter 7. It is not an official "
        "state survey."
    ),
}

SCALE = [
    {"key": "1", "nb": "Helt uenig", "nn": "Heilt ueinig", "en": "Strongly disagree"},
    {"key": "2", "nb": "Delvis uenig", "nn": "Delvis ueinig", "en": "Somewhat disagree"},
    {
        "key": "3",
        "nb": "Verken enig eller uenig",
        "nn": "Verken einig eller ueinig",
        "en": "Neither agree nor disagree",
    },
    {"key": "4", "nb": "Delvis enig", "nn": "Delvis einig", "en": "Somewhat agree"},
    {"key": "5", "nb": "Helt enig", "nn": "Heilt einig", "en": "Strongly agree"},
]

SKILL = {"nb": "Ferdighet", "nn": "Ferdigheit", "en": "Skill"}
PRACTICE = {"nb": "Praksis", "nn": "Praksis", "en": "Practice"}

# The white paper's sentences, quoted from ch. 7.3.1.
Q_CURIOSITY_1 = "Nysgjerrighet betyr å oppsøke ny kunnskap og læring, og å utforske muligheter og motsetninger."
Q_CURIOSITY_2 = (
    "Det betyr å belyse en sak fra mange sider og å være kreativ i utforskingen, altså vurdere flere nye løsninger "
    "på samme problem før man konkluderer."
)
Q_OPENNESS_1 = "Åpenhet gir muligheter til å se ting på nye måter slik at kursen kan endres underveis."
Q_OPENNESS_2 = (
    "Å dele kunnskap og erfaringer, utveksle idéer og gi tilbakemeldinger er viktige elementer i en innovativ kultur."
)
Q_OPENNESS_3 = (
    "Både ledere og medarbeidere må anerkjenne initiativ, fordi det skaper engasjement og flere nye initiativ."
)
Q_COURAGE_1 = "Man må ha mot til å utfordre det bestående, og det krever utholdenhet."
Q_COURAGE_2 = "Å gjøre noe nytt, eller på nye måter, tar oss ut av komfortsonen."
Q_COURAGE_3 = "Da er det viktig å holde motet oppe og ha tro på at endringen er mulig."
Q_DIRECTION_1 = "Det handler også om hva løsningen kan bety for og i fremtiden, og i en helhet."
Q_DIRECTION_2 = "Å fortelle en overbevisende historie skaper begeistring og viser verdien av mulige løsninger."
Q_DIRECTION_3 = "Fremtidstenking åpner diskusjoner om mulige retninger fremover (kapittel 8)."
Q_TRUST_1 = (
    "Risikostyring handler om å ha oversikt over risikofaktorene, iverksette tiltak for å redusere eller fjerne "
    "risiko, og avklare hvilken risiko man er villig til å leve med."
)
Q_TRUST_2 = "I enhver styringslinje må det være tillit, for eksempel må ledere ha tillit til sine medarbeidere."
Q_TRUST_3 = "Ved å delegere ansvar og gi støtte, vil medarbeidere få mer frihet til å ta initiativ."
Q_TRUST_4 = "Ledere må også velge å benytte de nye idéene som kommer."
Q_COLLABORATE_1 = (
    "Innovasjon skjer ofte i samarbeid og gjennom involvering av brukere, andre innbyggere, interessenter og eksterne "
    "aktører."
)
Q_COLLABORATE_2 = (
    "Mange av samfunnsutfordringene offentlig sektor må bidra til å løse er komplekse og sammensatte og trenger "
    "løsninger på tvers av fag og sektorer."
)
Q_COLLABORATE_3 = (
    "Da behøves lagspillere som er åpne for å lære av andre, og som tar innover seg andre perspektiver og kunnskap."
)
Q_LEARN_1 = "En endring er innovasjon først når den er tatt i bruk og gir merverdi."
Q_LEARN_2 = (
    "Læring i denne sammenheng handler både om å forstå hva som er problemet og å lære om en løsning kan fungere "
    "eller ikke."
)
Q_LEARN_3 = (
    "Når en ny løsning er utviklet, evaluert og implementert, vil det være behov for å endre den etablerte praksisen."
)


def _item(key: str, nb: str, nn: str, en: str, quote: str) -> dict[str, str]:
    return {"key": key, "nb": nb, "nn": nn, "en": en, "quote": quote}


DIMENSIONS: list[dict] = [
    {
        "key": "curiosity",
        "group": SKILL,
        "name": {"nb": "Nysgjerrighet", "nn": "Nyfikne", "en": "Curiosity"},
        "items": [
            _item(
                "curiosity-1",
                "Hos oss oppsøker vi ny kunnskap når vi skal løse en oppgave.",
                "Hos oss oppsøkjer vi ny kunnskap når vi skal løyse ei oppgåve.",
                "Where I work, we seek out new knowledge when we take on a task.",
                Q_CURIOSITY_1,
            ),
            _item(
                "curiosity-2",
                "Vi vurderer flere mulige løsninger før vi bestemmer oss.",
                "Vi vurderer fleire moglege løysingar før vi bestemmer oss.",
                "We consider several possible solutions before we decide.",
                Q_CURIOSITY_2,
            ),
            _item(
                "curiosity-3",
                "Vi belyser saker fra flere sider, også fra sider vi er uenige i.",
                "Vi lyser opp saker frå fleire sider, også frå sider vi er ueinige i.",
                "We look at issues from several sides, including those we disagree with.",
                Q_CURIOSITY_2,
            ),
            _item(
                "curiosity-4",
                "Det er rom for å utforske motsetninger og uvante muligheter i arbeidet.",
                "Det er rom for å utforske motsetnader og uvande moglegheiter i arbeidet.",
                "There is room to explore contradictions and unfamiliar possibilities in our work.",
                Q_CURIOSITY_1,
            ),
        ],
    },
    {
        "key": "openness",
        "group": SKILL,
        "name": {"nb": "Åpenhet", "nn": "Openheit", "en": "Openness"},
        "items": [
            _item(
                "openness-1",
                "Vi deler kunnskap og erfaringer med hverandre.",
                "Vi deler kunnskap og erfaringar med kvarandre.",
                "We share knowledge and experience with each other.",
                Q_OPENNESS_2,
            ),
            _item(
                "openness-2",
                "Vi gir hverandre tilbakemeldinger på idéer og arbeid.",
                "Vi gir kvarandre tilbakemeldingar på idear og arbeid.",
                "We give each other feedback on ideas and work.",
                Q_OPENNESS_2,
            ),
            _item(
                "openness-3",
                "Vi er villige til å endre kurs underveis når vi ser ting på en ny måte.",
                "Vi er villige til å endre kurs undervegs når vi ser ting på ein ny måte.",
                "We are willing to change course along the way when we see things in a new way.",
                Q_OPENNESS_1,
            ),
            _item(
                "openness-4",
                "Initiativ fra medarbeidere blir lagt merke til og anerkjent.",
                "Initiativ frå medarbeidarar blir lagde merke til og anerkjende.",
                "Initiatives from employees are noticed and recognised.",
                Q_OPENNESS_3,
            ),
        ],
    },
    {
        "key": "courage",
        "group": SKILL,
        "name": {"nb": "Mot", "nn": "Mot", "en": "Courage"},
        "items": [
            _item(
                "courage-1",
                "Det er greit å utfordre etablerte måter å gjøre ting på.",
                "Det er greitt å utfordre etablerte måtar å gjere ting på.",
                "It is fine to challenge established ways of doing things.",
                Q_COURAGE_1,
            ),
            _item(
                "courage-2",
                "Vi holder ut med endringsarbeid selv når det tar lang tid.",
                "Vi held ut med endringsarbeid sjølv når det tek lang tid.",
                "We persevere with change even when it takes a long time.",
                Q_COURAGE_1,
            ),
            _item(
                "courage-3",
                "Vi tør å gå ut av komfortsonen for å prøve noe nytt.",
                "Vi tør å gå ut av komfortsona for å prøve noko nytt.",
                "We dare to leave our comfort zone to try something new.",
                Q_COURAGE_2,
            ),
            _item(
                "courage-4",
                "Vi har tro på at endringene vi arbeider med, er mulige.",
                "Vi har tru på at endringane vi arbeider med, er moglege.",
                "We believe that the changes we work on are possible.",
                Q_COURAGE_3,
            ),
        ],
    },
    {
        "key": "direction",
        "group": PRACTICE,
        "name": {
            "nb": "Å se muligheter og vise retning",
            "nn": "Å sjå moglegheiter og vise retning",
            "en": "Seeing opportunities and showing direction",
        },
        "items": [
            _item(
                "direction-1",
                "Vi tenker på hva løsningene våre kan bety i fremtiden, ikke bare her og nå.",
                "Vi tenkjer på kva løysingane våre kan bety i framtida, ikkje berre her og no.",
                "We think about what our solutions can mean in the future, not just here and now.",
                Q_DIRECTION_1,
            ),
            _item(
                "direction-2",
                "Vi ser oppgavene våre i sammenheng med helheten.",
                "Vi ser oppgåvene våre i samanheng med heilskapen.",
                "We see our tasks as part of the whole.",
                Q_DIRECTION_1,
            ),
            _item(
                "direction-3",
                "Ledelsen forteller tydelig hvorfor endringer er verdt å gjøre.",
                "Leiinga fortel tydeleg kvifor endringar er verde å gjere.",
                "Management clearly explains why changes are worth making.",
                Q_DIRECTION_2,
            ),
            _item(
                "direction-4",
                "Vi diskuterer mulige retninger for fremtiden i virksomheten.",
                "Vi diskuterer moglege retningar for framtida i verksemda.",
                "We discuss possible future directions for our organisation.",
                Q_DIRECTION_3,
            ),
        ],
    },
    {
        "key": "trust",
        "group": PRACTICE,
        "name": {
            "nb": "Tillit og risikovilje",
            "nn": "Tillit og risikovilje",
            "en": "Trust and willingness to take risks",
        },
        "items": [
            _item(
                "trust-1",
                "Vi har oversikt over risikoen når vi prøver noe nytt, og avklarer hvilken risiko vi kan leve med.",
                "Vi har oversikt over risikoen når vi prøver noko nytt, og avklarer kva risiko vi kan leve med.",
                "We have an overview of the risks when we try something new, and agree which risks we can live with.",
                Q_TRUST_1,
            ),
            _item(
                "trust-2",
                "Lederen min har tillit til at medarbeiderne gjør gode vurderinger.",
                "Leiaren min har tillit til at medarbeidarane gjer gode vurderingar.",
                "My manager trusts employees to make good judgements.",
                Q_TRUST_2,
            ),
            _item(
                "trust-3",
                "Medarbeidere får ansvar og støtte til å ta initiativ.",
                "Medarbeidarar får ansvar og støtte til å ta initiativ.",
                "Employees are given responsibility and support to take initiative.",
                Q_TRUST_3,
            ),
            _item(
                "trust-4",
                "Nye idéer fra medarbeidere blir faktisk tatt i bruk.",
                "Nye idear frå medarbeidarar blir faktisk tekne i bruk.",
                "New ideas from employees are actually put to use.",
                Q_TRUST_4,
            ),
        ],
    },
    {
        "key": "collaborate",
        "group": PRACTICE,
        "name": {
            "nb": "Samarbeid og involvering",
            "nn": "Samarbeid og involvering",
            "en": "Collaboration and involvement",
        },
        "items": [
            _item(
                "collaborate-1",
                "Vi involverer brukere eller innbyggere når vi utvikler tjenester.",
                "Vi involverer brukarar eller innbyggjarar når vi utviklar tenester.",
                "We involve users or citizens when we develop services.",
                Q_COLLABORATE_1,
            ),
            _item(
                "collaborate-2",
                "Vi samarbeider med eksterne aktører når det gir bedre løsninger.",
                "Vi samarbeider med eksterne aktørar når det gir betre løysingar.",
                "We collaborate with external partners when it leads to better solutions.",
                Q_COLLABORATE_1,
            ),
            _item(
                "collaborate-3",
                "Vi samarbeider på tvers av fag og sektorer.",
                "Vi samarbeider på tvers av fag og sektorar.",
                "We collaborate across disciplines and sectors.",
                Q_COLLABORATE_2,
            ),
            _item(
                "collaborate-4",
                "Vi er åpne for å lære av andres perspektiver og kunnskap.",
                "Vi er opne for å lære av andre sine perspektiv og kunnskap.",
                "We are open to learning from other people's perspectives and knowledge.",
                Q_COLLABORATE_3,
            ),
        ],
    },
    {
        "key": "learn",
        "group": PRACTICE,
        "name": {"nb": "Lære og endre praksis", "nn": "Lære og endre praksis", "en": "Learning and changing practice"},
        "items": [
            _item(
                "learn-1",
                "Vi finner ut hva problemet egentlig er før vi velger en løsning.",
                "Vi finn ut kva problemet eigentleg er før vi vel ei løysing.",
                "We find out what the problem really is before we choose a solution.",
                Q_LEARN_2,
            ),
            _item(
                "learn-2",
                "Vi undersøker om nye løsninger faktisk virker.",
                "Vi undersøkjer om nye løysingar faktisk verkar.",
                "We check whether new solutions actually work.",
                Q_LEARN_2,
            ),
            _item(
                "learn-3",
                "Når en ny løsning har vist seg å virke, endrer vi måten vi arbeider på.",
                "Når ei ny løysing har vist seg å verke, endrar vi måten vi arbeider på.",
                "When a new solution has proved to work, we change the way we work.",
                Q_LEARN_3,
            ),
            _item(
                "learn-4",
                "Nye løsninger blir tatt i bruk i det daglige, ikke bare prøvd ut.",
                "Nye løysingar blir tekne i bruk i det daglege, ikkje berre prøvde ut.",
                "New solutions are taken into everyday use, not just tried out.",
                Q_LEARN_1,
            ),
        ],
    },
]

# One optional free-text question after the statements; shown to leaders only when the round met its threshold.
Q_COMMENT = (
    "Den kan være utgangspunkt for diskusjon i offentlige virksomheter om hva som kjennetegner dagens situasjon, og "
    "hvilke endringer som er viktigst å starte med for å utvikle en mer innovasjonsvennlig kultur."
)
COMMENT = {
    "key": "comment",
    "nb": "Hva ville gjort det lettere å prøve ut nye idéer der du jobber?",
    "nn": "Kva ville gjort det lettare å prøve ut nye idear der du jobbar?",
    "en": "What would make it easier to try out new ideas where you work?",
    "quote": Q_COMMENT,
}

# Suggested practices for a weak dimension, drawn from the white paper (ch. 7, 8 and 10), as msgids for the UI.
SUGGESTIONS: dict[str, list[Any]] = {
    "curiosity": [
        _("Before deciding, sketch at least two alternative solutions to the same problem (white paper ch. 7.3.1)."),
        _("Set aside time to learn from other organisations' projects in the project library (white paper ch. 13)."),
        _("Invite someone who sees the matter differently into the early discussions (white paper ch. 7.3.1)."),
    ],
    "openness": [
        _(
            "Make sharing experience a standing item in team meetings, including what did not work "
            "(white paper ch. 7.3.1)."
        ),
        _(
            "Give feedback on ideas quickly and visibly, and credit the people who took the initiative "
            "(white paper ch. 7.3.1)."
        ),
        _("Publish your projects in the project library so others can learn from them (white paper ch. 13)."),
    ],
    "courage": [
        _("Name one established routine a year that you deliberately question (white paper ch. 7.3.1)."),
        _("Plan for long change: celebrate intermediate results to keep morale up (white paper ch. 7.3.1)."),
        _("Use trials and the experiment act to test new ways of working safely (white paper ch. 9)."),
    ],
    "direction": [
        _(
            "Tell the story of why a change matters, with the value for users, before asking for "
            "effort (white paper ch. 7.3.1)."
        ),
        _("Use foresight methods to discuss possible futures with staff (white paper ch. 7.3.1 and ch. 8)."),
        _("Break assignments down into goals and strategies that leave room for action (white paper ch. 7.3.1)."),
    ],
    "trust": [
        _(
            "Agree explicitly which risks you accept when trying something new, and how you reduce the "
            "others (white paper ch. 7.3.1)."
        ),
        _(
            "Delegate responsibility for improvements to the people closest to the users, with support "
            "(white paper ch. 7.3.1)."
        ),
        _("Decide openly which new ideas you will use, and say why others are not used (white paper ch. 7.3.1)."),
    ],
    "collaborate": [
        _("Involve users and citizens early, when the need is described (white paper ch. 10)."),
        _("Form cross-disciplinary teams for complex problems (white paper ch. 7.3.1)."),
        _("Look for partners in other organisations and sectors in the project library (white paper ch. 13)."),
    ],
    "learn": [
        _("Describe the problem and its effect before choosing a solution: need before solution (white paper ch. 3)."),
        _("Evaluate new solutions against what you wanted to achieve (white paper ch. 7.3.1 and ch. 13)."),
        _("Plan how practice changes once a solution works, so trials become everyday use (white paper ch. 7.3.1)."),
    ],
}
