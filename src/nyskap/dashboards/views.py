"""The dashboard pages: one lens at a time (the country by default), compared side by side with another lens of
the same kind and with the country; each chart as SVG for the page (a narrow drawing for phones), and as SVG, PNG
and CSV downloads; the lens's figures as XLSX; the definitions of every metric. Access: `access.resolve`."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nyskap.core import vega
from nyskap.core.spreadsheets import XLSX_TYPE, csv_separator, csv_text, xlsx_sheets
from nyskap.organisations import selectors as organisation_selectors

from . import access, charts, panels
from .forms import ChooseForm, CompareForm
from .lenses import COUNTRY, COUNTRY_KEY, ORGANISATION

CHART_CACHE_SECONDS = 24 * 60 * 60
CHART_FORMATS = ("svg", "png", "csv")
ORGANISATION_MATCHES = 20


def _url(kind: str, key: str) -> str:
    return reverse("dashboards:lens", args=[access.SLUGS[kind], key])


def _kind(slug: str) -> str:
    kind = access.KIND_OF_SLUG.get(slug)
    if kind is None:
        raise Http404
    return kind


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return lens_page(request, access.SLUGS[COUNTRY], COUNTRY_KEY)


@require_GET
def lens_page(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    kind = _kind(slug)
    view = access.resolve(request.user, kind, key)
    compare_form = CompareForm(kind, request.GET or None)
    compared = None
    if compare_form.is_valid() and compare_form.cleaned_data["sammenlign"]:
        other = compare_form.cleaned_data["sammenlign"]
        try:
            compared = access.resolve(request.user, kind, other)
        except Http404:
            compare_form.add_error(
                "sammenlign", _("There is no such %(kind)s.") % {"kind": access.kind_names()[kind].lower()}
            )
    national = view if kind == COUNTRY else access.resolve(request.user, COUNTRY, COUNTRY_KEY)
    rows = []
    mine = panels.key_figures(view.data)
    theirs = dict(panels.key_figures(compared.data)) if compared else {}
    country = dict(panels.key_figures(national.data))
    for metric, value in mine:
        rows.append((metric, panels.definition(metric)[0], value, theirs.get(metric), country[metric]))
    status = 200 if compare_form.is_valid() or not request.GET else 400
    sections = panels.sections(view.data, kind)
    base = _url(kind, view.key)  # the lens's own address, also when the country is shown at /dashbord/
    return render(
        request,
        "dashboards/lens.html",
        {
            "view": view,
            "kind_name": access.kind_names()[kind],
            "compared": compared,
            "key_rows": rows,
            "sections": sections,
            "compare_form": compare_form,
            "pickers": _pickers(),
            "is_country": kind == COUNTRY,
            "chart_base": base + "diagram/",
            "export_url": base + "eksport.xlsx",
            "internal": view.audience == "internal",
        },
        status=status,
    )


def _pickers() -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [
        (kind, name, list(access.keys_of(kind).items()))
        for kind, name in access.kind_names().items()
        if kind != COUNTRY
    ]


def _panel(request: HttpRequest, slug: str, key: str, panel_slug: str) -> tuple[access.View, panels.Panel]:
    view = access.resolve(request.user, _kind(slug), key)
    for section in panels.sections(view.data, view.kind):
        for panel in section.panels:
            if panel.slug == panel_slug:
                return view, panel
    raise Http404


@require_GET
def chart(request: HttpRequest, slug: str, key: str, panel: str, fmt: str) -> HttpResponseBase:
    """One chart as SVG (``?smal=1``: the phone drawing), PNG or CSV (the data table)."""
    if fmt not in CHART_FORMATS:
        raise Http404
    view, found = _panel(request, slug, key, panel)
    narrow = request.GET.get("smal") == "1"
    filename = f"{access.SLUGS[view.kind]}-{view.key}-{found.slug}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            csv_text(found.header, found.rows, separator=csv_separator(request.GET.get("sep"))),
            content_type="text/csv; charset=utf-8",
        )
    else:
        stamp = view.as_of.isoformat() if view.as_of else "none"
        parts = (view.kind, view.key, view.audience, stamp, found.slug, fmt, narrow, get_language())
        cache_key = "dashboards:chart:" + ":".join(str(part) for part in parts)
        body = cache.get(cache_key)
        if body is None:
            drawing = charts.spec(found, narrow=narrow)
            body = vega.to_svg(drawing) if fmt == "svg" else vega.to_png(drawing)
            cache.set(cache_key, body, CHART_CACHE_SECONDS)
        content_type = "image/svg+xml; charset=utf-8" if fmt == "svg" else "image/png"
        response = HttpResponse(body, content_type=content_type)
    if request.GET.get("last_ned") == "1" or fmt != "svg":
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Internal figures are for the organisation's members only: never kept by a shared cache.
    response["Cache-Control"] = "private, max-age=300" if view.audience == "internal" else "public, max-age=300"
    response["Vary"] = "Cookie, Accept-Language"
    return response


@require_GET
def export_xlsx(request: HttpRequest, slug: str, key: str) -> FileResponse:
    view = access.resolve(request.user, _kind(slug), key)
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        (
            _("Key figures"),
            [_("Figure"), view.title],
            [[panels.definition(metric)[0], value] for metric, value in panels.key_figures(view.data)],
        )
    ]
    for section in panels.sections(view.data, view.kind):
        for panel in section.panels:
            sheets.append((panel.title, panel.header, panel.rows))
    as_of = view.as_of.strftime("%Y-%m-%d %H:%M") if view.as_of else "–"
    sheets.append((_("About"), [_("Lens"), _("As of")], [[view.title, as_of]]))
    filename = f"nyskap-dashboard-{access.SLUGS[view.kind]}-{view.key}.xlsx"
    response = FileResponse(xlsx_sheets(sheets), as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store" if view.audience == "internal" else "public, max-age=300"
    return response


@require_GET
def choose(request: HttpRequest) -> HttpResponse:
    """The lens pickers' target (plain GET forms, no JavaScript): a county, sector, size band or centrality class
    goes straight to its lens; an organisation is looked up by number or name."""
    if "lens" not in request.GET:  # the page itself, linked from every dashboard: the organisation search
        return render(request, "dashboards/choose.html", {"form": ChooseForm(), "matches": None})
    form = ChooseForm(request.GET)
    if not form.is_valid():
        return render(request, "dashboards/choose.html", {"form": form, "matches": None}, status=400)
    kind, key, text = form.cleaned_data["lens"], form.cleaned_data["key"], form.cleaned_data["organisasjon"]
    if kind != ORGANISATION:
        return redirect(_url(kind, key))
    profile = organisation_selectors.profile_by_key(text)
    if profile is not None:
        return redirect(_url(ORGANISATION, profile.organisation_number or profile.slug))
    matches = list(organisation_selectors.organisation_search(q=text)[:ORGANISATION_MATCHES])
    if len(matches) == 1:
        only = matches[0]
        return redirect(_url(ORGANISATION, only.organisation_number or only.slug))
    return render(request, "dashboards/choose.html", {"form": form, "matches": matches, "text": text})


@require_GET
def definitions(request: HttpRequest) -> HttpResponse:
    rows = [(key, *panels.definition(key)) for key in panels.DEFINITIONS]
    return render(request, "dashboards/definitions.html", {"rows": rows})
