"""Every URL pattern of the project, turned into a concrete path with sample arguments.

New URL patterns are picked up automatically; a pattern that cannot be reversed with the sample arguments fails
the meta-tests until a sample is added here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from .url_access_modules import app_url_access_modules

SAMPLE_KWARGS = {
    "slug": "oygarden",
    "org_slug": "oygarden",
    "token": "no-such-token",
    "pk": "1",
    "id": "1",
    "key": "no-such-key",
    "uidb36": "1",
    "provider_id": "idporten",
    "object_id": "1",
    "app_label": "api",
    "content_type_id": "1",
    "url": "nowhere",
    "type": "totp",
    "code": "en",
}

# Each app's tests may add samples for its own URL parameters in tests/<app>/url_access.py (SAMPLE_KWARGS).
for _module in app_url_access_modules():
    SAMPLE_KWARGS.update(getattr(_module, "SAMPLE_KWARGS", {}))


@dataclass(frozen=True)
class Route:
    name: str
    path: str


def _arg_names(pattern: object) -> list[str]:
    return list(pattern.pattern.regex.groupindex)  # type: ignore[attr-defined]


def _walk(
    patterns: list, namespace: str | None = None, parent_args: tuple[str, ...] = ()
) -> Iterator[tuple[str, list[str]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern.url_patterns, full_ns, parent_args + tuple(_arg_names(pattern)))
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, list(parent_args) + _arg_names(pattern)


def all_routes() -> tuple[list[Route], list[str]]:
    """(reversible routes, names that could not be reversed with the samples)."""
    routes: dict[str, Route] = {}
    unresolved: list[str] = []
    for name, arg_names in _walk(get_resolver().url_patterns):
        if name in routes:
            continue
        try:
            path = reverse(name, kwargs={k: SAMPLE_KWARGS[k] for k in arg_names} if arg_names else None)
        except (NoReverseMatch, KeyError):
            unresolved.append(name)
            continue
        routes[name] = Route(name=name, path=path)
    return sorted(routes.values(), key=lambda r: r.path), sorted(set(unresolved))
