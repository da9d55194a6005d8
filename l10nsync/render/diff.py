"""Renderers for ``l10nsync diff``: a coloured text for translators, JSON for tools."""

from __future__ import annotations

import io
import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from l10nsync.escape import escape_json, escape_text
from l10nsync.model import DiffHunk, PageDiff


def diff_document(diff: PageDiff) -> dict[str, Any]:
    """The diff as plain data: the JSON contract of ``l10nsync diff --format json``."""
    return {
        "path": diff.path,
        "status": diff.status.value,
        "source_path": diff.source_path,
        "source_commit": diff.source_commit,
        "head_commit": diff.head_commit,
        "moved_to": diff.moved_to,
        "commits": [
            {"sha": c.sha, "date": c.date, "subject": c.subject, "counted": c.counted}
            for c in diff.commits
        ],
        "hunks": [
            {
                "old_start": h.old_start,
                "old_lines": h.old_lines,
                "new_start": h.new_start,
                "new_lines": h.new_lines,
                "text": h.text,
                "translation_section": None if h.translation_section is None else {
                    "heading": h.translation_section.heading,
                    "start_line": h.translation_section.start_line,
                    "end_line": h.translation_section.end_line,
                    "score": h.translation_section.score,
                },
            }
            for h in diff.hunks
        ],
        "change_ratio": diff.change_ratio,
    }


def render_diff_json(diff: PageDiff) -> str:
    """The diff as indented JSON."""
    return escape_json(json.dumps(diff_document(diff), indent=2, ensure_ascii=False)) + "\n"


def _where(hunk: DiffHunk) -> str:
    section = hunk.translation_section
    if section is None:
        return (f"-> in your page: no section matches well enough "
                f"(best score {hunk.best_score:.2f})")
    heading = (escape_text(section.heading) if section.heading is not None
               else "(before the first heading)")
    return (f"-> in your page: {heading}, lines {section.start_line}-{section.end_line} "
            f"(score {section.score:.2f})")


def render_diff_text(
    diff: PageDiff, *, color: bool = False, word_diff: bool = False, width: int = 100
) -> str:
    """Commits, then each hunk under the translated section it belongs to.

    Every text from a repository (paths, subjects, headings, the lines) goes through
    ``escape_text``: the diff of a hostile page cannot drive the terminal.
    """
    from l10nsync.align import word_diff as split_words

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, soft_wrap=True)
    console.print(f"[bold]{escape(escape_text(diff.path))}[/] ({diff.status.value}, "
                  f"change ratio {diff.change_ratio:.3f})")
    console.print(f"English: {escape(escape_text(diff.source_path))} at "
                  f"{diff.source_commit[:12]} -> {escape(escape_text(diff.current_path))} at "
                  f"{diff.head_commit[:12]}")
    if diff.moved_to:
        console.print(f"[cyan]The English page moved to {escape(escape_text(diff.moved_to))}: "
                      "the diff is against its new location.[/]")
    console.print()
    if diff.commits:
        count = len(diff.commits)
        console.print(f"{count} English commit{'s' if count != 1 else ''} since the translation:")
    for commit in diff.commits:
        flag = "" if commit.counted else "  [dim](not counted: cosmetic or ignored)[/]"
        console.print(f"  [yellow]{commit.sha[:12]}[/] {commit.date[:10]} "
                      f"{escape(escape_text(commit.subject))}{flag}")
    if not diff.hunks:
        console.print("\nThe English text is the same.")
    for hunk in diff.hunks:
        console.print()
        console.print(f"[cyan]@@ -{hunk.old_start},{hunk.old_lines} "
                      f"+{hunk.new_start},{hunk.new_lines} @@[/]")
        console.print(f"[bold magenta]{escape(_where(hunk))}[/]")
        lines = list(hunk.lines)
        index = 0
        while index < len(lines):
            line = lines[index]
            if word_diff and line.startswith("-"):
                removed = [x[1:] for x in _run(lines, index, "-")]
                added_at = index + len(removed)
                added = [x[1:] for x in _run(lines, added_at, "+")]
                if added:
                    for old_line, new_line in zip(removed, added, strict=False):
                        console.print(_word_line(split_words(old_line, new_line)))
                    for extra in removed[len(added):]:
                        console.print(Text("-" + _shown(extra), style="red"))
                    for extra in added[len(removed):]:
                        console.print(Text("+" + _shown(extra), style="green"))
                    index = added_at + len(added)
                    continue
            style = {"-": "red", "+": "green"}.get(line[:1], "")
            console.print(Text(_shown(line), style=style))
            index += 1
    return buffer.getvalue()


def _shown(text: str) -> str:
    """A line of page text: escaped, but tabs (common in code samples) kept as tabs."""
    return escape_text(text, keep="\t")


def _run(lines: list[str], start: int, prefix: str) -> list[str]:
    """The lines from ``start`` on that begin with ``prefix``."""
    run = []
    for line in lines[start:]:
        if not line.startswith(prefix):
            break
        run.append(line)
    return run


def _word_line(tokens: list[tuple[str, str]]) -> Text:
    """One changed line with the changed words marked, as git's --word-diff=plain does."""
    text = Text("~")
    for tag, token in tokens:
        token = _shown(token)
        if tag == "=":
            text.append(token)
        elif tag == "-":
            text.append(f"[-{token}-]", style="red")
        else:
            text.append(f"{{+{token}+}}", style="green")
    return text
