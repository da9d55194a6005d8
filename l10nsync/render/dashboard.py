"""The dashboard: a static site (HTML, CSS, JS and data scripts) that works from file://.

Browsers refuse ``fetch()`` on file:// pages, so data travels as scripts that assign to
``window.L10NSYNC_*``: the summary is loaded by index.html, each locale's pages and each page's
English diff are loaded on demand by adding a ``<script src>``. Data files are named by number,
never by page path, and the page code inserts data with ``textContent`` only, under a
Content-Security-Policy that forbids inline scripts and styles.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from l10nsync.links import RepositoryLinks
from l10nsync.model import STATUS_ORDER, PageDiff, Report, Status, Verdict
from l10nsync.render.diff import diff_document
from l10nsync.render.json import queue_fields, render_json

ASSETS_PACKAGE = "l10nsync"
ASSETS_FOLDER = "dashboard_assets"
STATIC_ASSETS = ("dashboard.css", "dashboard.js")
INDEX_TEMPLATE = "index.html"
BUILD_PLACEHOLDER = "{{build}}"
DATA_FOLDER = "data"

# The stacked bar on the overview, in reading order: done, then what needs work, then the rest.
BAR_STATUSES: tuple[Status, ...] = (
    Status.UP_TO_DATE,
    Status.OUTDATED,
    Status.MOVED,
    Status.ORPHANED,
    Status.MISSING_SOURCE_COMMIT,
    Status.UNTRANSLATED,
)

STATUS_LABELS: dict[Status, str] = {
    status: status.value.replace("_", " ") for status in Status
} | {Status.MISSING_SOURCE_COMMIT: "no marker"}

# Data files this module writes, and may therefore remove when a new run no longer needs them.
_OWNED_DATA_FILE = re.compile(r"(?:locale|detail)-[0-9]+\.js")


def write_dashboard(
    report: Report,
    details: Mapping[str, PageDiff],
    output: Path,
    *,
    generated_at: str,
    details_per_file: int = 50,
    status_json: str | None = None,
) -> list[Path]:
    """Write the dashboard site into ``output`` and return the paths written
    (``status_json``: the report's JSON, if the caller rendered it already)."""
    status_json = render_json(report) if status_json is None else status_json
    data = output / DATA_FOLDER
    data.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(path: Path, content: str | bytes) -> None:
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        written.append(path)

    write(output / "status.json", status_json)
    assets = resources.files(ASSETS_PACKAGE) / ASSETS_FOLDER
    for name in STATIC_ASSETS:
        write(output / name, (assets / name).read_bytes())
    written += write_front(output, summary_document(report), content_digest(status_json),
                           generated_at)

    detail_numbers = number_details(report, details, details_per_file)
    pages_by_locale: dict[str, list[Verdict]] = {}
    for page in report.pages:
        pages_by_locale.setdefault(page.locale, []).append(page)
    locales = sorted(pages_by_locale)
    for number, locale in enumerate(locales):
        records = [
            locale_page_record(page, details.get(page.path), detail_numbers.get(page.path),
                               report)
            for page in pages_by_locale[locale]
        ]
        write(data / f"locale-{number}.js",
              keyed_data_script("window.L10NSYNC_LOCALE", locale, records))
    chunks: dict[int, list[str]] = {}
    for path, number in detail_numbers.items():
        chunks.setdefault(number, []).append(
            keyed_data_script("window.L10NSYNC_DETAIL", path,
                              detail_record(details[path], report.links.english)))
    for number, scripts in chunks.items():
        write(data / f"detail-{number}.js", "".join(scripts))
    _remove_stale_data(data, set(written))
    return written


def number_details(
    report: Report, details: Mapping[str, PageDiff], per_file: int = 1
) -> dict[str, int]:
    """The data file number of each reported page that has a detail, in report order.

    Several details share a file: one file per page would be 20,000 files at MDN's size,
    whose writing alone costs seconds, while 50 details still load at a click.
    """
    numbered = (page.path for page in report.pages if page.path in details)
    return {path: index // max(per_file, 1)
            for index, path in enumerate(dict.fromkeys(numbered))}


def content_digest(status_json: str) -> str:
    """What names the content of a site: a digest of its status JSON."""
    return hashlib.sha256(status_json.encode("utf-8", errors="surrogateescape")).hexdigest()


def write_front(
    output: Path, summary: Mapping[str, Any], content: str, generated_at: str
) -> list[Path]:
    """The files that name the build: index.html and the overview's data.

    The build id (in the data scripts' URLs) changes with the time and with ``content`` (see
    ``content_digest``), so a browser never mixes data of two builds. A run that found
    nothing changed writes only these.
    """
    build = hashlib.sha256(f"{generated_at}\n{content}".encode()).hexdigest()[:16]
    assets = resources.files(ASSETS_PACKAGE) / ASSETS_FOLDER
    index = (assets / INDEX_TEMPLATE).read_text(encoding="utf-8")
    (output / "index.html").write_text(index.replace(BUILD_PLACEHOLDER, build), encoding="utf-8")
    document = {"generated_at": generated_at, "build": build, **summary}
    summary_path = output / DATA_FOLDER / "summary.js"
    summary_path.write_text(data_script("window.L10NSYNC_SUMMARY", document), encoding="utf-8")
    return [output / "index.html", summary_path]


# Sites with fewer English pages get a page x locale grid on the overview.
GRID_LIMIT = 300


def summary_document(report: Report) -> dict[str, Any]:
    """What the overview shows: shares and counts per locale, the columns worth showing, a
    page x locale grid for small sites, and the vocabulary the page code uses (``write_front``
    adds the time and the build id)."""
    locales = []
    progress = report.progress()
    summary = report.summary()
    for number, (locale, counts) in enumerate(summary.items()):
        share = progress[locale]
        locales.append({
            "locale": locale,
            "label": share.label,
            "data": number,
            "total": sum(counts.values()),
            "counts": counts,
            "english_pages": share.english_pages,
            "translated": share.translated,
            # Shares of the English pages, as the text table and the JSON report give them.
            "translated_percent": share.translated_percent,
            "up_to_date_percent": share.up_to_date_percent,
        })
    links = report.links
    return {
        "source": {"root": report.source_root, "head": report.source_head},
        "english_pages": report.english_pages,
        "repositories": {
            "english": links.english.base if links.english else None,
            "translations": links.translations.base if links.translations else None,
        },
        "notes": list(report.notes),
        "statuses": [{"value": s.value, "label": STATUS_LABELS[s]} for s in STATUS_ORDER],
        "bar": [status.value for status in BAR_STATUSES],
        # The count columns: a status no locale has is no column.
        "columns": [s.value for s in STATUS_ORDER
                    if any(counts[s.value] for counts in summary.values())],
        "locales": locales,
        "grid": page_grid(report) if 0 < report.english_pages < GRID_LIMIT else None,
        "dictionaries": [
            {"path": dictionary.path, "locale": dictionary.locale,
             "summary": dictionary.summary(), "error": dictionary.error,
             "link": links.translations.file(dictionary.path) if links.translations else None}
            for dictionary in report.dictionaries
        ],
    }


def page_grid(report: Report) -> dict[str, Any]:
    """Each English page's translations as a row of (status, translated path) per locale, in
    the overview's locale order; orphans, whose English page is gone, have no row."""
    locales = sorted({page.locale for page in report.pages})
    column = {locale: index for index, locale in enumerate(locales)}
    rows: dict[str, list[list[str] | None]] = {}
    for page in report.pages:
        english = page.moved_to or page.source_path
        if english is None or page.status is Status.ORPHANED:
            continue
        cells = rows.setdefault(english, [None] * len(locales))
        cells[column[page.locale]] = [page.status.value, page.path]
    return {"locales": locales,
            "rows": [{"source": path, "cells": rows[path]} for path in sorted(rows)]}


def locale_page_record(
    page: Verdict, detail: PageDiff | None, detail_number: int | None,
    report: Report | None = None,
) -> dict[str, Any]:
    """One row of a locale's page list (with links to the git host and the next command,
    see advice.py, when ``report`` knows them)."""
    links = {} if report is None else report.links.of(page, report.source_head)
    fix = None if report is None else report.advice.get(page.path)
    return {
        "path": page.path,
        "title": page.title,
        "status": page.status.value,
        "commits_behind": page.commits_behind,
        "change_ratio": page.change_ratio,
        "source_path": page.source_path,
        "moved_to": page.moved_to,
        "message": page.message,
        "fix": fix,
        "oldest_change_date": oldest_change_date(detail),
        "detail": detail_number,
        "links": links,
        **_queue_fields(page, report),
    }


def _queue_fields(page: Verdict, report: Report | None) -> dict[str, Any]:
    """Popularity, priority and drift, where the run has them (see render/json.queue_fields)."""
    return {} if report is None else queue_fields(report, page, {})


def oldest_change_date(detail: PageDiff | None) -> str | None:
    """The committer date of the earliest counted English commit the translation lacks.

    Dates carry their committer's offset, so they are compared as instants, not as strings.
    """
    if detail is None:
        return None
    dated = [
        (instant, commit.date)
        for commit in detail.commits
        if commit.counted and (instant := _instant(commit.date)) is not None
    ]
    return min(dated)[1] if dated else None


def detail_record(detail: PageDiff, english: RepositoryLinks | None = None) -> dict[str, Any]:
    """A page's English diff: the ``l10nsync diff`` JSON, plus what the detail view shows
    (each commit's page on the English repository's host, when known)."""
    document = diff_document(detail)
    if english is not None:
        for commit in document["commits"]:
            commit["link"] = english.commit(commit["sha"])
    document["current_path"] = detail.current_path
    for hunk_document, hunk in zip(document["hunks"], detail.hunks, strict=True):
        hunk_document["best_score"] = hunk.best_score
    return document


def data_script(target: str, value: Any) -> str:
    """A script assigning ``value`` (as JSON) to ``target``."""
    return f"{target} = {encode_data(value)};\n"


def keyed_data_script(target: str, key: str, value: Any) -> str:
    """A script adding ``value`` under ``key`` to the object ``target``, created if missing.

    The object has no prototype, so a key such as ``__proto__`` is stored like any other.
    """
    return (f"{target} = {target} || Object.create(null);\n"
            f"{target}[{encode_data(key)}] = {encode_data(value)};\n")


def encode_data(value: Any) -> str:
    """JSON that is also safe JavaScript anywhere: ASCII only, and no raw ``<``.

    ``ensure_ascii`` escapes U+2028 and U+2029 (line ends to older JavaScript). ``<`` can only
    occur inside JSON strings, where ``\\u003c`` means the same, so ``</script>`` or ``<!--``
    in a title cannot end or confuse a script even if the data is ever inlined.
    """
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("<", "\\u003c")


def _instant(date: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _remove_stale_data(data: Path, written: set[Path]) -> None:
    """Remove numbered data files of an earlier, larger run: nothing links to them any more."""
    for path in _owned_data_files(data):
        if path not in written:
            path.unlink()


def _owned_data_files(data: Path) -> Iterator[Path]:
    for path in data.iterdir():
        if _OWNED_DATA_FILE.fullmatch(path.name) and path.is_file():
            yield path
