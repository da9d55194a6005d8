"""The pull-request report for GitHub Actions: workflow commands and a step summary.

Workflow commands are lines that start with ``::``. Page text goes into them escaped the way
the Actions toolkit escapes it (``escape_workflow_data``, ``escape_workflow_property`` in
escape.py, which also make terminal controls visible), so a title or path can neither end a
command early, add a property, nor start a line of its own that the runner would read as a
command.
"""

from __future__ import annotations

from l10nsync.escape import escape_workflow_data as escape_data
from l10nsync.escape import escape_workflow_property as escape_property
from l10nsync.model import NEEDS_WORK, PullRequestReport, ReviewedPage, Side, Status, Verdict
from l10nsync.render.markdown import render_markdown_document, summary_line
from l10nsync.render.review import impacted_key, review_key, status_words

# GitHub does not upload a step summary over 1 MiB.
STEP_SUMMARY_LIMIT = 1024 * 1024

# What deserves a warning; other statuses that need work get a notice, up to date nothing.
_WARNING_STATUSES = frozenset({Status.OUTDATED, Status.MOVED, Status.ORPHANED})


def workflow_command(name: str, message: str, properties: dict[str, str | int | None]) -> str:
    """One ``::name key=value,...::message`` line; properties that are None are left out."""
    given = ",".join(f"{key}={escape_property(str(value))}"
                     for key, value in properties.items() if value is not None)
    return f"::{name}{' ' + given if given else ''}::{escape_data(message)}"


def _severity(status: Status) -> str | None:
    if status in _WARNING_STATUSES:
        return "warning"
    if status in NEEDS_WORK:
        return "notice"
    return None


def _reviewed_command(page: ReviewedPage) -> str | None:
    status = page.status
    if page.blocked_because is not None:
        name: str | None = "error"
        message = page.blocked_because
    else:
        name = _severity(status.status)
        message = status.message or status_words(status.status)
    if name is None:
        return None
    # The hook's fix for a blocked page; other pages' commands are in the job summary (the
    # annotation's file= names the page already, and a path in a message is kept short).
    if page.fix and page.blocked_because is not None:
        message += f"; fix: {page.fix}"
    return workflow_command(name, message, {"file": status.path, "line": page.marker_line,
                                            "title": f"l10nsync: {status.status.value}"})


def _impacted_command(status: Verdict) -> str | None:
    name = _severity(status.status)
    if name is None:
        return None
    # The translation is not in this repository: the annotation goes on the English page the
    # pull request changes (its new path when it moved), where a reviewer sees it in the diff.
    english_path = status.moved_to or status.source_path or status.path
    message = f"translation {status.path}: {status.message or status_words(status.status)}"
    return workflow_command(name, message, {"file": english_path,
                                            "title": f"l10nsync: {status.status.value}"})


def render_github(report: PullRequestReport) -> str:
    """One workflow command per page that needs attention: error if blocked, else warning or
    notice; up-to-date pages are not annotated."""
    if report.side is Side.ENGLISH:
        commands = [_impacted_command(status)
                    for status in sorted(report.impacted, key=impacted_key)]
    else:
        commands = [_reviewed_command(page) for page in sorted(report.pages, key=review_key)]
    lines = [command for command in commands if command is not None]
    return "".join(f"{line}\n" for line in lines)


def render_step_summary(report: PullRequestReport) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: the comment's summary, tables and details."""
    return render_markdown_document(report, ["## l10nsync report", "", summary_line(report)],
                                    max_size=STEP_SUMMARY_LIMIT)
