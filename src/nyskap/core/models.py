"""Models of the shared core; Django discovers them here, they live in their own modules."""

from .jobs.models import BackgroundJob
from .search.models import SearchDocument, SearchTerm

__all__ = ["BackgroundJob", "SearchDocument", "SearchTerm"]
