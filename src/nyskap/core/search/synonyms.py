"""Bokmål/nynorsk variants and a few compound expansions that a query should treat as the same word.

Why a list at all: Snowball's Norwegian stemmer strips endings ("kommunen", "kommuna" → "kommun") but cannot know
that "skule" is nynorsk for "skole" or that "eldreomsorg" means "omsorg for eldre". A public-sector library is written
in both written standards, so a search for one form must find the other.

Rules for entries:
- Each group lists forms that mean the same thing; a query word matching any form (after stemming, so inflected forms
  match too) is expanded to all forms of its group, OR-ed together.
- A form may be several words ("omsorg for eldre"): it then matches when all its words occur (stop words ignored).
- Only expand true variants, not related concepts: "digital" and "digitalisering" stay apart, or every query for
  one would drown in hits for the other.
- Question and function words that differ between the standards (hva/kva, hvordan/korleis, ikke/ikkje, mye/mykje)
  are left out on purpose: both backends drop them as stop words, so they can never match anything.
"""

from __future__ import annotations

VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (
    # Services and administration
    ("tjeneste", "teneste", "tjenesten", "tenesta"),
    ("tjenester", "tenester"),
    ("tjenesteyting", "tenesteyting"),
    ("tjenestedesign", "tenestedesign"),
    ("hjemmetjeneste", "heimeteneste", "hjemmetjenester", "heimetenester", "hjemmebaserte tjenester"),
    ("undersøkelse", "undersøking", "undersøkelsen", "undersøkinga"),
    ("kommune", "kommunen", "kommuna"),
    ("virksomhet", "verksemd", "virksomheten", "verksemda"),
    ("saksbehandling", "sakshandsaming"),
    ("behandling", "handsaming"),
    ("virkemiddel", "verkemiddel", "virkemidler", "verkemiddel"),
    ("løsning", "løysing", "løsninger", "løysingar"),
    ("forbedring", "forbetring"),
    ("tilbud", "tilbod"),
    ("nettside", "nettstad"),
    ("eiendom", "eigedom"),
    ("statlig", "statleg"),
    ("offentlig", "offentleg"),
    ("ledelse", "leiing"),
    ("leder", "leiar"),
    ("arbeidsgiver", "arbeidsgjevar"),
    ("erfaring", "erfaringar", "erfaringer", "røynsle"),
    ("ansvarlig", "ansvarleg"),
    ("frivillig", "friviljug", "frivillige", "friviljuge"),
    ("vei", "veg"),
    # People
    ("innbygger", "innbyggjar", "innbyggere", "innbyggjarar"),
    ("ansatt", "tilsett", "ansatte", "tilsette"),
    ("medarbeider", "medarbeidar", "medarbeidere", "medarbeidarar"),
    ("bruker", "brukar", "brukere", "brukarar"),
    ("ungdom", "ungdommer", "ungdommar"),
    ("pårørende", "pårørande"),
    ("sykepleier", "sjukepleiar", "sykepleiere", "sjukepleiarar"),
    ("barn", "born"),
    # Health and care
    ("helse", "helsa"),
    ("syk", "sjuk", "syke", "sjuke"),
    ("sykdom", "sjukdom"),
    ("sykehus", "sjukehus"),
    ("sykehjem", "sjukeheim", "sykehjemmet", "sjukeheimen"),
    ("eldreomsorg", "omsorg for eldre", "eldreomsorga", "eldreomsorgen"),
    ("hjemme", "heime"),
    ("hjem", "heim"),
    ("hjemmet", "heimen"),
    ("velferdsteknologi", "velferdsteknologien"),
    # Education and childhood
    ("skole", "skule", "skolen", "skulen"),
    ("skoler", "skular"),
    ("barnehage", "barnehagen", "barnehager", "barnehagar"),
    ("opplæring", "opplæringa", "opplæringen"),
    ("lærer", "lærar", "lærere", "lærarar"),
    # Change and work
    ("utvikling", "utviklinga", "utviklingen"),
    ("digitalisering", "digitaliseringa", "digitaliseringen"),
    ("samarbeid", "samarbeidet", "samarbeida"),
    ("utfordring", "utfordringar", "utfordringer"),
    ("gevinst", "vinst", "gevinster", "vinstar"),
    ("kunnskap", "kunnskapen", "kunnskapar"),
)
