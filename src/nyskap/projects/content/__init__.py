"""Content for the project library on the first run: the real cases of the white paper (`cases`), and synthetic
examples for development and benchmarks (`synthetic`)."""

from .cases import CONTENT_ACTOR_EMAIL, DEFAULT_CASES_FILE, ContentError, LoadReport, load_white_paper_cases, read_cases
from .synthetic import SYNTHETIC_LABEL, generate_synthetic_projects

__all__ = [
    "CONTENT_ACTOR_EMAIL",
    "DEFAULT_CASES_FILE",
    "SYNTHETIC_LABEL",
    "ContentError",
    "LoadReport",
    "generate_synthetic_projects",
    "load_white_paper_cases",
    "read_cases",
]
