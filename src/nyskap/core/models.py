"""Models of the shared core; Django discovers them here, they live in their own modules."""

from .search.models import SearchDocument, SearchTerm

__all__ = ["SearchDocument", "SearchTerm"]
