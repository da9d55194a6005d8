"""The pull-request report as a GitHub comment: a summary, a table per locale, then details.

Everything that comes from a page or a path goes through ``escape_markdown``, which writes
Markdown's special characters as numeric character references. References work the same in
the three places page text lands: table cells, paragraphs and list items, and raw HTML
(``<summary>``, ``<code>``), where backslash escapes would show as backslashes. CommonMark
never reads a character reference as syntax, so an escaped title cannot open a link, end a
table cell, or close the ``<details>`` block around it.
"""

from __future__ import annotations

from collections.abc import Callable

from l10nsync.escape import escape_text
from l10nsync.model import NEEDS_WORK, PullRequestReport, ReviewedPage, Side, Verdict
from l10nsync.render.dictionaries import review_dictionary_table
from l10nsync.render.review import (
    changes_for,
    describe_change,
    impacted_key,
    review_key,
    status_words,
    summarize,
    what_to_do,
)

# The first line of every comment, so a workflow can find its own comment again and update it.
COMMENT_MARKER = "<!-- l10nsync-report -->"
# GitHub refuses comment bodies over 65,536 characters; counting UTF-8 bytes stays below it.
COMMENT_LIMIT = 65_536

_ZERO_WIDTH_SPACE = "&#8203;"
_MARKDOWN_ESCAPES = str.maketrans({
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\\": "&#92;",
    "`": "&#96;",
    "*": "&#42;",
    "_": "&#95;",
    "~": "&#126;",
    "[": "&#91;",
    "]": "&#93;",
    "|": "&#124;",
    "$": "&#36;",
    # GitHub finds @mentions and #references in the rendered text, after references are
    # decoded, so only a character between the sign and the name stops the ping.
    "@": "@" + _ZERO_WIDTH_SPACE,
    "#": "#" + _ZERO_WIDTH_SPACE,
})

_TABLE_HEADER = ("| page | status | behind | what to do |", "| --- | --- | ---: | --- |")


def escape_markdown(text: str) -> str:
    """Text from a page or path, safe to show anywhere in a GitHub comment as what it says.

    Control and bidirectional characters are shown as escapes first (``\\n``, ``\\u202e``;
    see escape.py), so text stays on its line and reads as it is: no new table row, no blank
    line that would end an HTML block.
    """
    return escape_text(text).translate(_MARKDOWN_ESCAPES)


def code(text: str) -> str:
    """Text in a ``<code>`` tag, escaped (a backtick code span would show the escapes)."""
    return f"<code>{escape_markdown(text)}</code>"


def summary_line(report: PullRequestReport) -> str:
    """The one-line summary under the marker."""
    return f"l10nsync: {summarize(report)}"


def _reviewed_status(page: ReviewedPage) -> str:
    words = status_words(page.status.status)
    words = f"new, {words}" if page.new else words
    return f"blocked ({words})" if page.blocked_because is not None else words


def _behind(status: Verdict) -> str:
    return "" if status.commits_behind is None else str(status.commits_behind)


def _impacted_advice(report: PullRequestReport, status: Verdict) -> str:
    """The translation's next command (run in the translations repository), else its message."""
    if status.status not in NEEDS_WORK:
        return ""
    return report.advice.get(status.path) or status.message or ""


def _rows(report: PullRequestReport) -> dict[str, list[str]]:
    """The table rows of each locale, in order."""
    rows: dict[str, list[str]] = {}
    if report.side is Side.ENGLISH:
        for status in sorted(report.impacted, key=impacted_key):
            rows.setdefault(status.locale, []).append(
                f"| {code(status.path)} | {status_words(status.status)} | {_behind(status)} | "
                f"{escape_markdown(_impacted_advice(report, status))} |")
    else:
        for page in sorted(report.pages, key=review_key):
            rows.setdefault(page.status.locale, []).append(
                f"| {code(page.status.path)} | {_reviewed_status(page)} | "
                f"{_behind(page.status)} | {escape_markdown(what_to_do(page))} |")
    return dict(sorted(rows.items()))


def render_tables(report: PullRequestReport, *, row_limit: int | None = None) -> str:
    """A table per locale (page, status, behind, what to do), at most ``row_limit`` rows each."""
    noun = "translation" if report.side is Side.ENGLISH else "page"
    blocks = []
    for locale, rows in _rows(report).items():
        count = f"{len(rows)} {noun}" + ("" if len(rows) == 1 else "s")
        shown = rows[:row_limit]
        name = report.label_of(locale)
        title = locale if name == locale else f"{name} ({locale})"
        lines = [f"### {escape_markdown(title)}: {count}", ""]
        if shown:
            lines += [*_TABLE_HEADER, *shown]
        if len(shown) < len(rows):
            lines += ["", f"... and {len(rows) - len(shown)} more in {escape_markdown(locale)}"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


_LINK_WORDS = {"page": "the translation", "create": "create this translation",
               "source": "the English page", "compare": "English changes since the marker"}


def _link_items(report: PullRequestReport, status: Verdict) -> list[str]:
    """Markdown links to a page's web pages (their addresses are built from the remote's
    URL shape and percent-encoded, so they hold no Markdown syntax)."""
    links = report.links_of(status)
    shown = [f"[{_LINK_WORDS[kind]}]({url})" for kind, url in links.items()
             if kind in _LINK_WORDS and not set(url) & set("()<>[] ")]
    return [" · ".join(shown)] if shown else []


def _details(summary: str, items: list[str]) -> str:
    body = "\n".join(f"- {item}" for item in items)
    return f"<details><summary>{summary}</summary>\n\n{body}\n\n</details>"


def _reviewed_details(report: PullRequestReport, page: ReviewedPage) -> str:
    status = page.status
    items = []
    if status.title:
        items.append(f"Title: {escape_markdown(status.title)}")
    if status.source_path:
        items.append(f"English page: {code(status.source_path)}")
    if status.message:
        items.append(f"Status: {escape_markdown(status.message)}")
    if page.blocked_because:
        items.append(f"Blocked because: {escape_markdown(page.blocked_because)}")
    if page.fix:
        items.append(f"Fix: {escape_markdown(page.fix)}")
    items = (items or [f"Status: {status_words(status.status)}"]) + _link_items(report, status)
    return _details(f"{code(status.path)}: {_reviewed_status(page)}", items)


def _impacted_details(report: PullRequestReport, status: Verdict) -> str:
    english_changes = report.english_changes
    items = []
    if status.title:
        items.append(f"Title: {escape_markdown(status.title)}")
    changes = changes_for(status, english_changes)
    items += [f"English change: {describe_change(change, code)}" for change in changes]
    if not changes and status.source_path:
        items.append(f"English page: {code(status.source_path)}")
    if status.message:
        items.append(f"After this change: {escape_markdown(status.message)}")
    items = (items or [f"Status: {status_words(status.status)}"]) + _link_items(report, status)
    return _details(f"{code(status.path)}: {status_words(status.status)}", items)


def render_details(report: PullRequestReport) -> str:
    """For each page, a collapsed block: its English change, the message and the fix."""
    if report.side is Side.ENGLISH:
        blocks = [_impacted_details(report, status)
                  for status in sorted(report.impacted, key=impacted_key)]
        if report.pre_existing:
            items = [f"{code(status.path)}: {status_words(status.status)}"
                     for status in sorted(report.pre_existing, key=impacted_key)]
            blocks.append(_details(f"Needing work before this change ({len(items)})", items))
    else:
        blocks = [_reviewed_details(report, page)
                  for page in sorted(report.pages, key=review_key)]
    return "\n\n".join(blocks)


def _size(text: str) -> int:
    return len(text.encode("utf-8", errors="replace"))


def render_markdown_document(
    report: PullRequestReport, head: list[str], *, max_size: int
) -> str:
    """``head`` lines, then tables, details and the revisions, cut to at most ``max_size`` bytes.

    A big pull request loses the details first, then table rows (the same number kept in each
    locale, as many as fit), each cut said in the text.
    """
    footer = f"<sub>base {code(report.base[:12])}, head {code(report.head[:12])}</sub>"

    def compose(row_limit: int | None, details: bool) -> str:
        parts = ["\n".join(head), render_tables(report, row_limit=row_limit),
                 review_dictionary_table(report)]
        if details:
            parts.append(render_details(report))
        elif report.pages or report.impacted:
            parts.append("Details of each page are left out to keep this under GitHub's size "
                         "limit; the JSON report has them all.")
        parts.append(footer)
        return "\n\n".join(part for part in parts if part) + "\n"

    for details in (True, False):
        text = compose(None, details)
        if _size(text) <= max_size:
            return text
    most = max((len(rows) for rows in _rows(report).values()), default=0)
    return _largest_fit(compose, most, max_size)


def _largest_fit(compose: Callable[[int | None, bool], str], most: int, max_size: int) -> str:
    low, high = 0, most  # compose(low) is the fallback even when it does not fit
    while low < high:
        middle = (low + high + 1) // 2
        if _size(compose(middle, False)) <= max_size:
            low = middle
        else:
            high = middle - 1
    return compose(low, False)


def render_markdown(report: PullRequestReport, *, max_size: int = COMMENT_LIMIT) -> str:
    """The pull-request comment: marker line, one summary line, tables per locale, details."""
    return render_markdown_document(report, [COMMENT_MARKER, summary_line(report)],
                                    max_size=max_size)
