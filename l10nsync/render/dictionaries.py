"""Renderers for UI-string dictionaries: JSON records, the status tables, ``diff DICTFILE``.

Rich is imported by the functions that draw with it: the JSON report (a status of 100,000
keys) is built from ``dictionary_record`` alone, and loading Rich's console costs it 0.1 s.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from l10nsync.escape import escape_text as visible
from l10nsync.model import (
    KEY_STATUS_ORDER,
    DictionaryStatus,
    KeyStatus,
    KeyVerdict,
    PullRequestReport,
    ReviewedDictionary,
)

if TYPE_CHECKING:
    from rich.console import Console

_KEY_STYLE = {
    KeyStatus.OUTDATED: "yellow",
    KeyStatus.MISSING: "red",
    KeyStatus.EXTRA: "magenta",
    KeyStatus.UP_TO_DATE: "green",
}


_STATUS_VALUE = {status: status.value for status in KeyStatus}


def dictionary_record(dictionary: DictionaryStatus, *, translations: bool = False
                      ) -> dict[str, Any]:
    """One translated dictionary as it appears in the JSON contract (``translations``: each
    key's translated value too, as ``diff`` gives it)."""
    value = _STATUS_VALUE  # an enum's .value is a Python call: 100,000 of them per report
    if translations:
        keys = [{"key": verdict.key, "status": value[verdict.status],
                 "english_before": verdict.english_before, "english_now": verdict.english_now,
                 "translation": verdict.translation} for verdict in dictionary.keys]
    else:
        keys = [{"key": verdict.key, "status": value[verdict.status],
                 "english_before": verdict.english_before, "english_now": verdict.english_now}
                for verdict in dictionary.keys]
    return {
        "path": dictionary.path,
        "locale": dictionary.locale,
        "source_path": dictionary.source_path,
        "source_commit": dictionary.source_commit,
        "basis": dictionary.basis.value if dictionary.basis is not None else None,
        "error": dictionary.error,
        "summary": dictionary.summary(),
        "keys": keys,
    }


def _one_line(value: str | None, width: int = 60) -> str:
    if value is None:
        return "(none)"
    shown = visible(value)
    return shown if len(shown) <= width else shown[:width - 1] + "…"


def print_dictionary_tables(console: Console, dictionaries: Sequence[DictionaryStatus],
                            limit: int) -> None:
    """The dictionaries part of ``status``: a row per translated file, then the keys that
    need work in each (at most ``limit`` per file; 0: all)."""
    if not dictionaries:
        return
    from rich.markup import escape
    from rich.table import Table

    overview = Table(title="UI-string dictionaries (keys)", title_justify="left")
    overview.add_column("locale")
    overview.add_column("dictionary", overflow="fold")
    for status in KEY_STATUS_ORDER:
        overview.add_column(status.value.replace("_", " "), justify="right")
    overview.add_column("problem", overflow="fold")
    by_locale: dict[str, list[DictionaryStatus]] = {}
    for dictionary in dictionaries:
        by_locale.setdefault(dictionary.locale, []).append(dictionary)
    for locale in sorted(by_locale):  # one summary row per locale, its files' keys summed
        files = by_locale[locale]
        counts = {status.value: sum(d.summary()[status.value] for d in files)
                  for status in KEY_STATUS_ORDER}
        problems = "; ".join(f"{visible(d.path)}: {visible(d.error)}" if len(files) > 1
                             else visible(d.error) for d in files if d.error)
        name = visible(files[0].path) if len(files) == 1 else f"{len(files)} files"
        overview.add_row(escape(visible(locale)), escape(name),
                         *[str(counts[status.value]) for status in KEY_STATUS_ORDER],
                         escape(problems))
    console.print(overview)
    for dictionary in dictionaries:
        todo = dictionary.needs_work
        if not todo:
            continue
        table = Table(title=f"{visible(dictionary.path)}: {len(todo)} keys need work",
                      title_justify="left")
        table.add_column("key", overflow="fold")
        table.add_column("status")
        table.add_column("English now", overflow="fold")
        for verdict in todo[: limit or None]:
            style = _KEY_STYLE[verdict.status]
            table.add_row(escape(visible(verdict.key)), f"[{style}]{verdict.status.value}[/]",
                          escape(_one_line(verdict.english_now)))
        console.print(table)
        if limit and len(todo) > limit:
            console.print(f"... and {len(todo) - limit} more keys (l10nsync diff "
                          f"{escape(visible(dictionary.path))} shows each)")


def render_dictionary_diff_json(dictionary: DictionaryStatus) -> str:
    """``diff DICTFILE --format json``: the dictionary's record with the translated values."""
    return json.dumps(dictionary_record(dictionary, translations=True), indent=2,
                      ensure_ascii=False) + "\n"


def _value_lines(label: str, value: str | None) -> list[str]:
    if value is None:
        return [f"    {label}: (none)"]
    lines = value.split("\n")
    return [f"    {label}: {visible(lines[0])}", *(f"    {' ' * len(label)}  {visible(line)}"
                                                  for line in lines[1:])]


def render_dictionary_diff_text(dictionary: DictionaryStatus, *, color: bool = False) -> str:
    """``diff DICTFILE``: each changed key's English before and now beside the translation,
    then the missing and extra keys."""
    from rich.console import Console
    from rich.markup import escape

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=200,
                      highlight=False, soft_wrap=True)
    basis = dictionary.basis.value if dictionary.basis is not None else None
    since = (f"since {dictionary.source_commit[:12]} ({basis})"
             if dictionary.source_commit else "with no sync point")
    console.print(escape(f"{visible(dictionary.path)}: English {visible(dictionary.source_path)} "
                         f"{since}"))
    if dictionary.error:
        console.print(escape(f"problem: {visible(dictionary.error)}"))
    groups: dict[KeyStatus, list[KeyVerdict]] = {}
    for verdict in dictionary.needs_work:
        groups.setdefault(verdict.status, []).append(verdict)
    titles = {KeyStatus.OUTDATED: "changed in English since the translation",
              KeyStatus.MISSING: "missing from the translation",
              KeyStatus.EXTRA: "no longer in English (renamed or removed)"}
    for status in (KeyStatus.OUTDATED, KeyStatus.MISSING, KeyStatus.EXTRA):
        found = groups.get(status, [])
        if not found:
            continue
        style = _KEY_STYLE[status]
        console.print(f"\n[{style}]{len(found)} {escape(titles[status])}:[/]")
        for verdict in found:
            console.print(f"  [bold]{escape(visible(verdict.key))}[/]")
            lines: list[str] = []
            if status is KeyStatus.OUTDATED:
                lines += _value_lines("English before", verdict.english_before)
            if status is not KeyStatus.EXTRA:
                lines += _value_lines("English now   ", verdict.english_now)
            if status is not KeyStatus.MISSING:
                lines += _value_lines("translation   ", verdict.translation)
            for line in lines:
                console.print(escape(line))
    if not dictionary.needs_work and not dictionary.error:
        console.print("Every key is up to date.")
    return buffer.getvalue()


# --- l10nsync report ----------------------------------------------------------------------------


def _counts_text(dictionary: DictionaryStatus) -> str:
    if dictionary.error:
        return f"not judged: {visible(dictionary.error)}"
    counts = dictionary.summary()
    parts = [f"{counts[status.value]} {status.value.replace('_', ' ')}"
             for status in KEY_STATUS_ORDER if counts[status.value]]
    return ", ".join(parts) or "no keys"


def reviewed_dictionary_record(reviewed: ReviewedDictionary) -> dict[str, Any]:
    """A reviewed dictionary in the report's JSON: its status record and the hook's verdict."""
    record = dictionary_record(reviewed.status)
    record["blocked_because"] = reviewed.blocked_because
    record["fix"] = reviewed.fix
    return record


def review_dictionary_lines(report: PullRequestReport) -> list[str]:
    """``report --format text``: a line per dictionary, with the hook's verdict."""
    if not report.dictionaries:
        return []
    lines = ["Dictionaries:"]
    for reviewed in report.dictionaries:
        line = f"  {visible(reviewed.status.path)}: {_counts_text(reviewed.status)}"
        if reviewed.blocked_because:
            line += f"; blocked: {visible(reviewed.blocked_because)}"
        if reviewed.fix:
            line += f"; fix: {visible(reviewed.fix)}"
        lines.append(line)
    return lines


def review_dictionary_table(report: PullRequestReport) -> str:
    """``report --format markdown``: a table of the dictionaries (empty text when none)."""
    if not report.dictionaries:
        return ""
    from l10nsync.render.markdown import code, escape_markdown

    lines = ["### Dictionaries", "", "| dictionary | keys | what to do |", "| --- | --- | --- |"]
    for reviewed in report.dictionaries:
        status = reviewed.status
        todo = reviewed.fix or (f"l10nsync diff {status.path}" if status.needs_work else "")
        keys = _counts_text(status)
        if reviewed.blocked_because:
            keys = f"blocked: {reviewed.blocked_because}"
        lines.append(f"| {code(status.path)} | {escape_markdown(keys)} | "
                     f"{escape_markdown(todo)} |")
    return "\n".join(lines)
