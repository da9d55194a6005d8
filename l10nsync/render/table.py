"""The human-readable report: a per-locale summary, then the pages that need work."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from l10nsync.escape import escape_text
from l10nsync.model import NEEDS_WORK, STATUS_ORDER, Report, SortOrder, Status

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


def render_table(
    report: Report,
    *,
    limit: int = 50,
    color: bool = False,
    width: int = 120,
    order: SortOrder = SortOrder.behind,
) -> str:
    """Summary per locale and the pages that need work (at most ``limit`` per locale; 0: all).

    Pages are listed most behind first unless another ``order`` is asked for.
    """
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False)
    summary = report.summary()
    overview = Table(title=f"English HEAD {report.source_head[:12]}", title_justify="left")
    overview.add_column("locale")
    overview.add_column("pages", justify="right")
    overview.add_column("up to date", justify="right")
    shown = [s for s in STATUS_ORDER if s is not Status.UP_TO_DATE
             and any(counts[s.value] for counts in summary.values())]
    for status in shown:
        overview.add_column(status.value.replace("_", " "), justify="right")
    for locale, counts in summary.items():
        translated = sum(n for s, n in counts.items() if s != Status.UNTRANSLATED.value)
        total = sum(counts.values())
        done = counts[Status.UP_TO_DATE.value]
        percent = f"{100 * done / translated:.0f}%" if translated else "-"
        overview.add_row(_cell(locale), str(total), f"{done} ({percent})",
                         *[str(counts[s.value]) for s in shown])
    console.print(overview)
    if not report.pages:
        console.print("No translated pages found.")
    for locale in summary:
        todo = sorted((p for p in report.pages if p.locale == locale and p.status in NEEDS_WORK),
                      key=order.key)
        if not todo:
            continue
        table = Table(title=f"{_cell(locale)}: {len(todo)} pages need work", title_justify="left")
        table.add_column("page", overflow="fold")
        table.add_column("status")
        table.add_column("behind", justify="right")
        table.add_column("what to do", overflow="fold")
        for page in todo[: limit or None]:
            style = _STATUS_STYLE.get(page.status, "magenta")
            behind = "" if page.commits_behind is None else str(page.commits_behind)
            table.add_row(_cell(page.path), f"[{style}]{page.status.value}[/]", behind,
                          _cell(page.message or ""))
        console.print(table)
        if limit and len(todo) > limit:
            console.print(f"... and {len(todo) - limit} more in {_cell(locale)} "
                          "(--limit 0 shows all, --format json gives every page)")
    for note in report.notes:
        console.print(f"note: {_cell(note)}")
    return buffer.getvalue()
