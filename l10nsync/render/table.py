"""The human-readable report: a per-locale summary, then the pages that need work."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from l10nsync.escape import escape_text
from l10nsync.model import NEEDS_WORK, STATUS_ORDER, Drift, Report, SortOrder, Status
from l10nsync.render.dictionaries import print_dictionary_tables

_STATUS_STYLE = {
    Status.UP_TO_DATE: "green",
    Status.OUTDATED: "yellow",
    Status.MOVED: "cyan",
    Status.ORPHANED: "red",
    Status.UNTRANSLATED: "dim",
}


def _cell(text: str) -> str:
    """Text from a repository in a cell: controls made visible, then rich's markup escaped."""
    return escape(escape_text(text))


def _share(count: int, percent: float | None) -> str:
    return f"{count} ({percent:.0f}%)" if percent is not None else str(count)


_DRIFT_ITEMS_SHOWN = 3


def drift_cell(drift: Drift | None) -> str:
    """A page's drift in a few words: its score and the first items missing (-) or extra (+)."""
    if drift is None:
        return ""
    items = [f"-{item}" for item in drift.missing] + [f"+{item}" for item in drift.extra]
    shown = ", ".join(items[:_DRIFT_ITEMS_SHOWN])
    more = f" and {len(items) - _DRIFT_ITEMS_SHOWN} more" if len(items) > _DRIFT_ITEMS_SHOWN else ""
    return f"{drift.score:.2f} {shown}{more}".strip()


def render_table(
    report: Report,
    *,
    limit: int = 50,
    color: bool = False,
    width: int = 120,
    order: SortOrder = SortOrder.behind,
) -> str:
    """Summary per locale and the pages that need work (at most ``limit`` per locale; 0: all),
    each page with its status and the next command to run.

    Pages are listed most behind first unless another ``order`` is asked for.
    """
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False)
    summary = report.summary()
    progress = report.progress()
    overview = Table(title=f"English HEAD {report.source_head[:12]}: "
                     f"{report.english_pages} English pages", title_justify="left",
                     caption="shares are of the English pages", caption_justify="left")
    overview.add_column("locale")
    overview.add_column("translated", justify="right")
    overview.add_column("up to date", justify="right")
    shown = [s for s in STATUS_ORDER if s is not Status.UP_TO_DATE
             and any(counts[s.value] for counts in summary.values())]
    for status in shown:
        overview.add_column(status.value.replace("_", " "), justify="right")
    for locale, counts in summary.items():
        share = progress[locale]
        name = locale if share.label == locale else f"{share.label} ({locale})"
        overview.add_row(_cell(name), _share(share.translated, share.translated_percent),
                         _share(share.up_to_date, share.up_to_date_percent),
                         *[str(counts[s.value]) for s in shown])
    if report.pages or report.english_pages or not report.dictionaries:
        console.print(overview)  # not when only dictionaries were asked for
    if not report.pages and not report.dictionaries:
        console.print("No translated pages found.")
    for locale in summary:
        # With --drift, a page in step whose structure drifted needs work too.
        todo = sorted((p for p in report.pages if p.locale == locale
                       and (p.status in NEEDS_WORK or report.is_drifted(p))),
                      key=report.sort_key(order))
        if not todo:
            continue
        # Each page on lines of its own, never wrapped: a path or a command split across lines
        # cannot be copied, and one cut in a column cannot be read.
        label = report.label_of(locale)
        name = locale if label == locale else f"{label} ({locale})"
        console.print(f"\n{_cell(name)}: {len(todo)} pages need work", soft_wrap=True)
        for page in todo[: limit or None]:
            style = _STATUS_STYLE.get(page.status, "magenta")
            console.print(f"  {_cell(page.path)}", soft_wrap=True, highlight=False)
            said = f": {_cell(page.message)}" if page.message else ""
            console.print(f"    [{style}]{page.status.value}[/]{said}", soft_wrap=True)
            if report.popularity is not None:
                score = report.popularity.get(page.path)
                console.print(f"    popularity: {'-' if score is None else f'{score:.4g}'}",
                              soft_wrap=True)
            if report.drift is not None and report.drift.get(page.path) is not None:
                # Drift items are page text: escaped like everything from a repository.
                console.print(f"    drift: {_cell(drift_cell(report.drift.get(page.path)))}",
                              soft_wrap=True)
            advice = report.advice.get(page.path)
            if advice:
                console.print(f"    next: {_cell(advice)}", soft_wrap=True)
        if limit and len(todo) > limit:
            console.print(f"  ... and {len(todo) - limit} more in {_cell(locale)} "
                          "(--limit 0 shows all, --format json gives every page)",
                          soft_wrap=True)
    print_dictionary_tables(console, report.dictionaries, limit)
    for note in report.notes:
        console.print(f"note: {_cell(note)}")
    return buffer.getvalue()
