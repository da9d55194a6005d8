"""The JSON report: the contract every other format and tool builds on."""

from __future__ import annotations

import json
from typing import Any

from l10nsync.escape import escape_json
from l10nsync.links import SiteLinks
from l10nsync.model import Report, Verdict
from l10nsync.render.dictionaries import dictionary_record

JSON_VERSION = 1


def page_record(page: Verdict, links: SiteLinks | None = None,
                english_head: str = "") -> dict[str, Any]:
    """One page as it appears in the JSON contract: its fields by name, in their order, and
    ``links`` to its web pages where the repositories' host is known.

    The status is a str enum and the ignored commits a tuple, which JSON writes as the
    status's value and an array; the basis is written as its value.
    """
    record: dict[str, Any] = dict(zip(Verdict._fields, page, strict=True))
    record["basis"] = page.basis.value
    if links is not None:
        record["links"] = links.of(page, english_head)
    return record


def queue_fields(report: Report, page: Verdict, record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with what the run added for a work queue: ``popularity`` with a popularity
    file, ``drift`` with --drift, and ``priority`` with either (see Report.priority_of)."""
    if report.popularity is not None:
        record["popularity"] = report.popularity.get(page.path)
    if report.drift is not None:
        found = report.drift.get(page.path)
        record["drift"] = found.to_data() if found is not None else None
    if report.popularity is not None or report.drift is not None:
        record["priority"] = round(report.priority_of(page), 6)
    return record


def report_document(report: Report) -> dict[str, Any]:
    """The whole report as plain data."""
    return {
        "version": JSON_VERSION,
        "source": {"root": report.source_root, "head": report.source_head},
        "pages": [{**queue_fields(report, page,
                                  page_record(page, report.links, report.source_head)),
                   "fix": report.advice.get(page.path)} for page in report.pages],
        "summary": report.summary(),
        "progress": {locale: share.to_data() for locale, share in report.progress().items()},
        "notes": list(report.notes),
        "dictionaries": [dictionary_record(dictionary) for dictionary in report.dictionaries],
    }


def render_json(report: Report) -> str:
    """The report as JSON text: indented, with one line per page.

    All pages are encoded in one call to the C encoder (``indent`` would switch to the
    pure-Python one, seconds slower on 60,000 pages), then split one page per line. The split
    is safe: inside an encoded string every quote is escaped, so ``}, {"path": `` can only be
    the boundary between two pages. Paths that are not UTF-8 are escaped (see ``escape_json``).
    """
    document = report_document(report)
    pages = document.pop("pages")
    dictionaries = document.pop("dictionaries")
    head = json.dumps(document, indent=2, ensure_ascii=False)
    encoded = json.dumps(pages, ensure_ascii=False)[1:-1]
    lines = encoded.replace('}, {"path": ', '},\n    {"path": ')
    body = f'"pages": [\n    {lines}\n  ]' if pages else '"pages": []'
    # The pages go first, where readers look for them, after version and source.
    version_and_source, rest = head.split('\n  "summary"', 1)
    rest = rest.removesuffix("\n}") + f',\n  "dictionaries": {_dictionaries_text(dictionaries)}\n}}'
    return escape_json(f'{version_and_source}\n  {body},\n  "summary"{rest}\n')


def _dictionaries_text(dictionaries: list[dict[str, Any]]) -> str:
    """The dictionaries array with one line per key, through the C encoder as the pages are
    (``"}, {"key": `` can only be a boundary between two keys, as for pages)."""
    if not dictionaries:
        return "[]"
    items = []
    for record in dictionaries:
        keys = record.pop("keys")
        head = json.dumps(record, ensure_ascii=False)[:-1]
        encoded = json.dumps(keys, ensure_ascii=False)[1:-1]
        lines = encoded.replace('}, {"key": ', '},\n      {"key": ')
        body = f'[\n      {lines}\n    ]' if keys else "[]"
        items.append(f'{head}, "keys": {body}}}')
    return "[\n    " + ",\n    ".join(items) + "\n  ]"
