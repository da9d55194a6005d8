"""The pull-request report as JSON (the contract) and as plain text, plus what both share."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from l10nsync.escape import escape_json, escape_text
from l10nsync.links import SiteLinks
from l10nsync.model import (
    NEEDS_WORK,
    STATUS_ORDER,
    PullRequestReport,
    ReviewedPage,
    Side,
    Status,
    Verdict,
)
from l10nsync.render.dictionaries import review_dictionary_lines, reviewed_dictionary_record
from l10nsync.render.json import page_record

REVIEW_VERSION = 1

# git's name-status letters, as a reader says them.
_CHANGE_VERBS = {
    "A": "added",
    "M": "modified",
    "D": "deleted",
    "R": "moved",
    "T": "changed type",
}

def reviewed_page_record(page: ReviewedPage, links: SiteLinks | None = None) -> dict[str, Any]:
    """One reviewed page in the JSON contract: its status fields, then the hook's verdict."""
    record = page_record(page.status, links)
    record["blocked_because"] = page.blocked_because
    record["fix"] = page.fix
    record["marker_line"] = page.marker_line
    record["new"] = page.new
    return record


def english_change_record(change: tuple[str, str, str | None]) -> dict[str, Any]:
    """One English change in the JSON contract: git's status letter, path and new path."""
    status, path, new_path = change
    return {"status": status, "path": path, "new_path": new_path}


def review_document(report: PullRequestReport) -> dict[str, Any]:
    """The whole pull-request report as plain data."""
    return {
        "version": REVIEW_VERSION,
        "side": report.side.value,
        "base": report.base,
        "head": report.head,
        "pages": [reviewed_page_record(page, report.links) for page in report.pages],
        "impacted": [{**page_record(status, report.links), "fix": report.advice.get(status.path)}
                     for status in report.impacted],
        "english_changes": [english_change_record(change) for change in report.english_changes],
        "pre_existing": [{**page_record(status), "fix": report.advice.get(status.path)}
                         for status in report.pre_existing],
        "dictionaries": [reviewed_dictionary_record(reviewed)
                         for reviewed in report.dictionaries],
    }


def render_review_json(report: PullRequestReport) -> str:
    """The pull-request report as indented JSON text ending with a newline."""
    return escape_json(json.dumps(review_document(report), indent=2, ensure_ascii=False)) + "\n"


def status_words(status: Status) -> str:
    """A status as words: ``missing source commit``."""
    return status.value.replace("_", " ")


def describe_change(
    change: tuple[str, str, str | None], show_path: Callable[[str], str] = escape_text
) -> str:
    """An English change as a phrase: ``files/en-us/a/index.md moved to files/en-us/b/index.md``.

    ``show_path`` puts a path in the caller's format (escaped, in a code tag, ...).
    """
    status, path, new_path = change
    verb = _CHANGE_VERBS.get(status[:1], "changed")
    if new_path is not None and new_path != path:
        return f"{show_path(path)} {verb} to {show_path(new_path)}"
    return f"{show_path(path)} {verb}"


def changes_for(
    page: Verdict, english_changes: tuple[tuple[str, str, str | None], ...]
) -> tuple[tuple[str, str, str | None], ...]:
    """The English changes that touch the page a translation was made from."""
    return tuple(change for change in english_changes
                 if page.source_path is not None
                 and page.source_path in (change[1], change[2]))


def review_key(page: ReviewedPage) -> tuple[object, ...]:
    """Order of reviewed pages in human formats: blocked first, then by status, then path."""
    return (page.blocked_because is None, STATUS_ORDER.index(page.status.status), page.status.path)


def impacted_key(page: Verdict) -> tuple[object, ...]:
    """Order of impacted translations in human formats: by status, then path."""
    return (STATUS_ORDER.index(page.status), page.path)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _tally(statuses: list[Status]) -> list[str]:
    counts = Counter(statuses)
    return [f"{counts[status]} {status_words(status)}" for status in STATUS_ORDER
            if counts[status]]


def summarize(report: PullRequestReport) -> str:
    """One sentence on what the pull request does to translations, e.g. for a comment title.

    Only counts and fixed words: no page text, so it needs no escaping in any format.
    """
    if report.side is Side.ENGLISH:
        impacted = report.impacted
        if not impacted:
            changed = _plural(len(report.english_changes), "English page")
            return f"{changed} changed; no translation is affected"
        already = (f" ({_plural(len(report.pre_existing), 'translation')} needed work "
                   "before it, listed apart)" if report.pre_existing else "")
        if not impacted:
            return f"no translation changes state because of this change{already}"
        locales = len({page.locale for page in impacted})
        parts = _tally([page.status for page in impacted])
        return (f"this change affects {_plural(len(impacted), 'translation')} in "
                f"{_plural(locales, 'locale')}: {', '.join(parts)}{already}")
    pages = report.pages
    if not pages:
        return "no translated page changed"
    blocked = sum(1 for page in pages if page.blocked_because is not None)
    added = sum(1 for page in pages if page.new)
    parts = [f"{added} new"] if added else []
    parts += [f"{blocked} blocked"] if blocked else []
    parts += _tally([page.status.status for page in pages if page.blocked_because is None])
    return f"{_plural(len(pages), 'translated page')} changed: {', '.join(parts)}"


def what_to_do(page: ReviewedPage) -> str:
    """The fix when there is one; else, for a page that needs work, what its status says."""
    if page.fix:
        return page.fix
    if page.status.status in NEEDS_WORK:
        return page.status.message or ""
    return ""


def _page_line(status: Verdict) -> str:
    line = f"{escape_text(status.path)}: {status.status.value}"
    if status.commits_behind is not None:
        line += f", {status.commits_behind} behind"
    if status.message:
        line += f": {escape_text(status.message)}"
    return line


def render_review_text(report: PullRequestReport) -> str:
    """The pull-request report as plain text: a summary, then one line per page."""
    lines = [f"l10nsync report ({escape_text(report.side.value)} side, base {report.base[:12]}, "
             f"head {report.head[:12]})",
             summarize(report)]
    for page in sorted(report.pages, key=review_key):
        line = ("new: " if page.new else "") + _page_line(page.status)
        if page.blocked_because:
            line += f"; blocked: {escape_text(page.blocked_because)}"
        if page.fix:
            line += f"; fix: {escape_text(page.fix)}"
        lines.append(line)
    if report.english_changes:
        lines.append("English changes:")
        lines += [f"  {describe_change(change)}" for change in report.english_changes]
    if report.impacted:
        lines.append("Translations affected:")
        lines += [f"  {_impacted_line(report, page)}"
                  for page in sorted(report.impacted, key=impacted_key)]
    if report.pre_existing:
        lines.append("Needing work before this change (not its effect):")
        lines += [f"  {_impacted_line(report, page)}"
                  for page in sorted(report.pre_existing, key=impacted_key)]
    lines += review_dictionary_lines(report)
    return "\n".join(lines) + "\n"


def _impacted_line(report: PullRequestReport, page: Verdict) -> str:
    fix = report.advice.get(page.path)
    return _page_line(page) + (f"; fix: {escape_text(fix)}" if fix else "")
