from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_http_methods, require_safe

from .health import run_checks
from .mail import UnsubscribeKind
from .signals import language_chosen


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def _safe_next(request: HttpRequest, target: str | None) -> str:
    # Only a path on this site: a bare word would be read by `redirect` as a view name.
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return "/"


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def language(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Switch language with a POST form (the switcher in every page's header, which needs no JavaScript): sets only
    the language cookie and goes back to `next` on this site. A GET changes nothing: it shows the same form, with
    the language asked for (old links and bookmarks still lead somewhere).

    Exempt from CSRF on purpose: the switcher is in the header of pages that are cached for every anonymous visitor
    alike (the project library's search pages), where a CSRF token would be someone else's and the switch would
    fail. A forged switch can do no more than change the display language, and `next` is kept on this site; a
    signed-in user's switch from a page of this site also becomes the language of their e-mail."""
    languages = dict(settings.LANGUAGES)
    if request.method == "GET":
        if code is not None and code not in languages:
            raise Http404
        context = {"chosen": code, "next": _safe_next(request, request.GET.get("next"))}
        return render(request, "core/language.html", context)
    chosen = request.POST.get("language", "")
    if chosen not in languages:
        return render(
            request,
            "core/language.html",
            {"chosen": None, "next": _safe_next(request, request.POST.get("next"))},
            status=400,
        )
    if request.user.is_authenticated and _from_this_site(request):
        language_chosen.send(sender=language, request=request, language=chosen)
    response = redirect(_safe_next(request, request.POST.get("next")))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def _from_this_site(request: HttpRequest) -> bool:
    """Whether a POST comes from a page of this site (the switch is exempt from CSRF, so a forged one from elsewhere
    must not change what is stored: the browser's Origin header, or Sec-Fetch-Site, says where it came from)."""
    origin = request.headers.get("Origin")
    if origin:
        return origin == f"{request.scheme}://{request.get_host()}"
    return request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")


@require_safe
@never_cache
@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Readiness for a load balancer: 200 when the database, the cache and the task queue are fine, else 503."""
    checks = run_checks()
    ok = all(check.ok for check in checks.values())
    body = {"status": "ok" if ok else "error", **{name: check.as_json() for name, check in checks.items()}}
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_safe
def liveness(request: HttpRequest) -> JsonResponse:
    """The process answers; touches neither the database nor the cache."""
    return JsonResponse({"status": "ok"})


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        # API clients get the API's error shape (nyskap.api.errors) for paths no operation answers, too.
        return JsonResponse({"status": 404, "code": "not_found", "message": "Not found.", "errors": []}, status=404)
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without a request context so that a broken context processor cannot break the error page.
    return render(request, "500.html", status=500)


# Mail clients POST to an unsubscribe URL without a CSRF token (RFC 8058 one-click); the signed token is what
# authorises it. Each app's unsubscribe URL routes here with its kind (`nyskap.core.mail.UnsubscribeKind`).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str, kind: UnsubscribeKind[Any]) -> HttpResponse:
    """GET asks to confirm, POST unsubscribes; a token that is not valid for ``kind`` changes nothing (403)."""
    target = kind.read(token)
    if target is None:
        return render(request, kind.invalid_template, {"invalid": True}, status=403)
    context = {"token": token, "action": kind.path(token)}
    if request.method == "POST":
        return render(request, kind.done_template, {**context, "done": True, **kind.apply(target)})
    return render(request, kind.confirm_template, {**context, **kind.confirm(target)})
