"""Slugs that are unique among those already taken (organisations, projects, instruments)."""


def unique_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` …, whichever is not in ``taken``; the result joins ``taken``."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base[:200]}-{n}"
    taken.add(slug)
    return slug
