"""The kinds of background job and their handlers. An app registers its kinds when it is loaded (in its
`AppConfig.ready`), each a function ``handler(job, progress) -> JobOutput``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import BackgroundJob
    from .progress import Progress


@dataclass
class JobOutput:
    """What a job produced: a file to download (bytes or an open binary file), and/or a report for the page and the
    API. A report's ``problems`` (a list of sentences) are shown as a list; ``links`` as a list of links
    (``{"title", "url"}``); ``summary`` as a sentence."""

    content: bytes | IO[bytes] | None = None
    filename: str = ""
    content_type: str = "application/octet-stream"
    report: dict[str, Any] = field(default_factory=dict)
    failed: bool = False  # a job that ran to its end but whose result is a refusal (an import with problems)


Handler = Callable[["BackgroundJob", "Progress"], JobOutput]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler


_KINDS: dict[str, JobKind] = {}


def register(name: str, handler: Handler) -> None:
    """Register (or replace, when the app is reloaded) a kind of job."""
    _KINDS[name] = JobKind(name=name, handler=handler)


def get(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError as exc:
        raise LookupError(f"no background job kind {name!r} is registered") from exc


def job_kind(name: str) -> Callable[[Handler], Handler]:
    """Decorator form of `register`."""

    def decorate(handler: Handler) -> Handler:
        register(name, handler)
        return handler

    return decorate
