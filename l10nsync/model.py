"""The vocabulary shared by every module: frozen records and the closed Status enum."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple


class Status(str, enum.Enum):
    """What a translated page's relation to its English source is."""

    UP_TO_DATE = "up_to_date"
    OUTDATED = "outdated"
    MOVED = "moved"
    ORPHANED = "orphaned"
    MISSING_SOURCE_COMMIT = "missing_source_commit"
    INVALID_SOURCE_COMMIT = "invalid_source_commit"
    UNKNOWN_SOURCE_COMMIT = "unknown_source_commit"
    INVALID_FRONT_MATTER = "invalid_front_matter"
    UNTRANSLATED = "untranslated"

    def __str__(self) -> str:
        return self.value


# Order used in summaries and tables: what needs work first, then the rest.
STATUS_ORDER: tuple[Status, ...] = (
    Status.OUTDATED,
    Status.MOVED,
    Status.ORPHANED,
    Status.UNKNOWN_SOURCE_COMMIT,
    Status.INVALID_SOURCE_COMMIT,
    Status.MISSING_SOURCE_COMMIT,
    Status.INVALID_FRONT_MATTER,
    Status.UNTRANSLATED,
    Status.UP_TO_DATE,
)

NEEDS_WORK: frozenset[Status] = frozenset(STATUS_ORDER) - {Status.UP_TO_DATE}


@dataclass(frozen=True)
class Page:
    """A translated page as read from disk: where it is and what its marker says."""

    path: str  # relative to the translations repository root, '/' separated
    locale: str
    key: str  # the page's identity shared with its English source, e.g. 'glossary/asynchronous'
    source_commit: str | None = None  # the marker's raw value, not yet validated
    title: str | None = None
    marker_line: int | None = None  # 1-based line of the marker in the file, when present
    error: str | None = None  # set when the front matter cannot be parsed


class PageStatus(NamedTuple):
    """The verdict for one translated page (a tuple: 60,000 of them are made on every run)."""

    path: str
    locale: str
    source_path: str | None
    status: Status
    source_commit: str | None = None  # the full SHA once resolved, else the raw marker
    commits_behind: int | None = None
    moved_to: str | None = None
    message: str | None = None
    title: str | None = None


STATUS_BY_VALUE: dict[str, Status] = {status.value: status for status in Status}


@dataclass(frozen=True)
class Report:
    """Everything ``status`` found: the English side and one verdict per page, sorted."""

    source_root: str
    source_head: str
    pages: tuple[PageStatus, ...]
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> dict[str, dict[str, int]]:
        """Count pages per locale and status, every status present with 0 when absent."""
        tally = Counter((page.locale, page.status.value) for page in self.pages)
        counts: dict[str, dict[str, int]] = {}
        for locale in sorted({locale for locale, _status in tally}):
            counts[locale] = {s.value: tally[(locale, s.value)] for s in STATUS_ORDER}
        return counts
