"""Names shown for the eForms codes and the messages of the notice import and the classifier, in the visitor's
language."""

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import calculations

PROCEDURE_LABELS: dict[str, Promise] = {
    "open": _("Open procedure"),
    "restricted": _("Restricted procedure"),
    "neg-w-call": _("Competitive procedure with negotiation"),
    "neg-wo-call": _("Negotiated procedure without prior call for competition"),
    "comp-dial": _("Competitive dialogue"),
    "innovation": _("Innovation partnership"),
    "comp-tend": _("Competitive tendering"),
    "oth-single": _("Other single-stage procedure"),
    "oth-mult": _("Other multiple-stage procedure"),
}

# BT-776 innovative-acquisition, as the classifier's reason names them.
INNOVATIVE_LABELS: dict[str, Promise] = {
    "buy-eff": _("likely to make the buyer's work more effective"),
    "fp-requ": _("specifications based on functional and performance requirements"),
    "mar-nov": _("novel or significantly improved compared with the market"),
    "org-nov": _("novel for the organisation"),
    "proc-innov": _("involves process innovation"),
    "prod-innov": _("involves product innovation"),
    "rd-act": _("involves research and development activities"),
}

# CPV divisions (the first two digits), from the CPV 2008 regulation's list (Commission Regulation (EC) No 213/2008).
DIVISION_LABELS: dict[str, Promise] = {
    "03": _("Agricultural products"),
    "09": _("Petroleum, fuel and energy"),
    "14": _("Mining and minerals"),
    "15": _("Food and beverages"),
    "16": _("Agricultural machinery"),
    "18": _("Clothing and footwear"),
    "19": _("Leather, textiles, plastic and rubber"),
    "22": _("Printed matter"),
    "24": _("Chemical products"),
    "30": _("Office and computing machinery"),
    "31": _("Electrical machinery"),
    "32": _("Radio, television and telecommunications equipment"),
    "33": _("Medical equipment and pharmaceuticals"),
    "34": _("Transport equipment"),
    "35": _("Security, fire-fighting, police and defence equipment"),
    "37": _("Musical instruments, sport goods, games and toys"),
    "38": _("Laboratory and precision equipment"),
    "39": _("Furniture and furnishings"),
    "41": _("Collected and purified water"),
    "42": _("Industrial machinery"),
    "43": _("Machinery for mining and construction"),
    "44": _("Construction structures and materials"),
    "45": _("Construction work"),
    "48": _("Software packages and information systems"),
    "50": _("Repair and maintenance services"),
    "51": _("Installation services"),
    "55": _("Hotel, restaurant and retail trade services"),
    "60": _("Transport services"),
    "63": _("Supporting transport and travel services"),
    "64": _("Postal and telecommunications services"),
    "65": _("Public utilities"),
    "66": _("Financial and insurance services"),
    "70": _("Real estate services"),
    "71": _("Architectural, engineering and inspection services"),
    "72": _("IT services"),
    "73": _("Research and development services"),
    "75": _("Administration, defence and social security services"),
    "76": _("Services related to the oil and gas industry"),
    "77": _("Agricultural, forestry and horticultural services"),
    "79": _("Business services"),
    "80": _("Education and training services"),
    "85": _("Health and social work services"),
    "90": _("Sewage, refuse, cleaning and environmental services"),
    "92": _("Recreational, cultural and sporting services"),
    "98": _("Other community, social and personal services"),
}


def division_label(code: str) -> str:
    label = DIVISION_LABELS.get(code)
    return f"{code} {label}" if label else f"CPV {code}"


# The messages of the pure modules (parsers, calculations) are English templates with %(name)s placeholders; they
# are shown in the reader's language through this table (a template missing here stays English, and
# tests/procurement/test_messages.py fails).
MESSAGES: dict[str, Promise] = {
    "Contains control characters.": _("Contains control characters."),
    "Expected a CPV code as text.": _("Expected a CPV code as text."),
    "Expected a release object.": _("Expected a release object."),
    "Expected an array.": _("Expected an array."),
    "Expected an object.": _("Expected an object."),
    "Expected codes as text.": _("Expected codes as text."),
    "Expected text.": _("Expected text."),
    "Member not readable: %(detail)s": _("Member not readable: %(detail)s"),
    "Nested too deeply.": _("Nested too deeply."),
    "No releases: not an OCDS release package.": _("No releases: not an OCDS release package."),
    "Not a readable zip file: %(detail)s": _("Not a readable zip file: %(detail)s"),
    "Not an eForms notice: the root element is %(tag)s.": _("Not an eForms notice: the root element is %(tag)s."),
    "Not valid JSON: %(detail)s": _("Not valid JSON: %(detail)s"),
    "Not well-formed XML: %(detail)s": _("Not well-formed XML: %(detail)s"),
    "The date is missing.": _("The date is missing."),
    "The document declares a DTD or entities, which are not accepted.": _(
        "The document declares a DTD or entities, which are not accepted."
    ),
    "The notice has no CPV code.": _("The notice has no CPV code."),
    "The notice identifier is missing or not an identifier.": _(
        "The notice identifier is missing or not an identifier."
    ),
    "The notice is larger than %(limit)s MB.": _("The notice is larger than %(limit)s MB."),
    "The notice %(id)s appears twice.": _("The notice %(id)s appears twice."),
    "The release identifier is missing or not text.": _("The release identifier is missing or not text."),
    "The year %(year)s is outside 1990–2100.": _("The year %(year)s is outside 1990–2100."),
    "Too many CPV codes.": _("Too many CPV codes."),
    "Unknown procurement method “%(code)s”.": _("Unknown procurement method “%(code)s”."),
    "“%(code)s” is not a NUTS code.": _("“%(code)s” is not a NUTS code."),
    "“%(value)s” is not a date (YYYY-MM-DD).": _("“%(value)s” is not a date (YYYY-MM-DD)."),
    "Unknown innovative procurement code “%(code)s” (BT-776: %(codes)s).": _(
        "Unknown innovative procurement code “%(code)s” (BT-776: %(codes)s)."
    ),
    "Unknown procedure type “%(code)s” (BT-105: %(codes)s).": _(
        "Unknown procedure type “%(code)s” (BT-105: %(codes)s)."
    ),
    "“%(code)s” is not a CPV code (eight digits, e.g. 73110000-6).": _(
        "“%(code)s” is not a CPV code (eight digits, e.g. 73110000-6)."
    ),
    # The classifier's reasons (calculations.REASON_TEMPLATES).
    "Procurement of innovation: %(criteria)s.": _("Procurement of innovation: %(criteria)s."),
    "Innovation-friendly procurement: %(criteria)s.": _("Innovation-friendly procurement: %(criteria)s."),
    "Other: %(procedure)s (%(code)s) without innovation codes or market dialogue.": _(
        "Other: %(procedure)s (%(code)s) without innovation codes or market dialogue."
    ),
    "Prior information notice (market dialogue).": _("Prior information notice (market dialogue)."),
    "procedure is %(procedure)s (%(code)s)": _("procedure is %(procedure)s (%(code)s)"),
    "R&D services (CPV 73): pre-commercial procurement under the R&D exception": _(
        "R&D services (CPV 73): pre-commercial procurement under the R&D exception"
    ),
    "BT-776 %(code)s: %(meaning)s": _("BT-776 %(code)s: %(meaning)s"),
    "a market-dialogue notice preceded it": _("a market-dialogue notice preceded it"),
}


def message(template: str, params: Mapping[str, object] | None = None) -> str:
    """A message of the parsers or the classifier in the active language, its placeholders filled."""
    text = str(MESSAGES.get(template, template))
    return text % params if params else text


def _procedure_name(code: str) -> str:
    label = PROCEDURE_LABELS.get(code)
    return str(label).lower() if label is not None else code


def _innovative_meaning(code: str) -> str:
    label = INNOVATIVE_LABELS.get(code)
    return str(label) if label is not None else code


def reason(notice_class: str, reason_code: str) -> str:
    """The classifier's reason (its stable code, ``calculations.Classification.reason_code``) as a sentence in the
    active language."""
    return calculations.reason_text(
        notice_class,
        reason_code,
        message=message,
        procedure_name=_procedure_name,
        innovative_meaning=_innovative_meaning,
    )
