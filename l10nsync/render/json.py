"""The JSON report: the contract every other format and tool builds on."""

from __future__ import annotations

import json
from typing import Any

from l10nsync.model import PageStatus, Report

JSON_VERSION = 1


def page_record(page: PageStatus) -> dict[str, Any]:
    """One page as it appears in the JSON contract."""
    return {
        "path": page.path,
        "locale": page.locale,
        "source_path": page.source_path,
        "status": page.status.value,
        "source_commit": page.source_commit,
        "commits_behind": page.commits_behind,
        "moved_to": page.moved_to,
        "message": page.message,
        "title": page.title,
    }


def report_document(report: Report) -> dict[str, Any]:
    """The whole report as plain data."""
    return {
        "version": JSON_VERSION,
        "source": {"root": report.source_root, "head": report.source_head},
        "pages": [page_record(page) for page in report.pages],
        "summary": report.summary(),
        "notes": list(report.notes),
    }


def render_json(report: Report) -> str:
    """The report as stable, sorted JSON text."""
    return json.dumps(report_document(report), indent=2, ensure_ascii=False) + "\n"
