"""The command line: parse options, call one core function, render, pick the exit code.

This and terminal.py (the command lines that need no parsing) are the only modules that print
or exit, and ``guarded`` there is the one error boundary.
"""

from __future__ import annotations

import enum
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from l10nsync import __version__
from l10nsync.config import Config, load_config
from l10nsync.errors import UsageError
from l10nsync.escape import escape_text
from l10nsync.model import SortOrder
from l10nsync.terminal import (
    EXIT_FAILURE,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    OutputFormat,
    Rendering,
    check_command,
    guarded,
    output_line,
    parse_fail_on,
    progress_bar,
    run_config,
    say,
    status_command,
    warn,
    warn_about_markers,
    work_queue,
    write_output,
)
from l10nsync.terminal import main as main  # the console script's entry, once here

if TYPE_CHECKING:
    from l10nsync.commands.bump import Edit, Refusal

app = typer.Typer(
    name="l10nsync",
    help="Keep translated documentation in step with its English source.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        write_output(f"l10nsync {__version__}\n")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option(
        "--version", help="Print the version and exit.", callback=_print_version,
        is_eager=True)] = False,
) -> None:
    """Keep translated documentation in step with its English source."""


class DiffFormat(str, enum.Enum):
    text = "text"
    json = "json"


SourceRoot = Annotated[
    Optional[str],  # noqa: UP045 - Typer reads the annotation at runtime on Python 3.10 too
    typer.Option("--source-root", metavar="PATH", help="English repository (or its files/ folder). "
                 "Default: $CONTENT_ROOT, then config, then this repository."),
]
TranslatedRoot = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--translated-root", metavar="PATH",
                 help="Translations repository (or its files/ folder). "
                 "Default: $CONTENT_TRANSLATED_ROOT, then the repository you are in."),
]
Locales = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--locale", "-l", metavar="LOCALE", help="Only this locale (repeatable)."),
]
Basis = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--basis", metavar="marker|history|auto",
                 help="What gives a page's sync point: marker, history (its last "
                 "substantive commit; one repository only) or auto (marker where present)."),
]


@app.command(short_help="Each translated page's state against English.")
def status(
    paths: Annotated[Optional[list[str]], typer.Argument(  # noqa: UP045
        metavar="PATH", hidden=True, show_default=False)] = None,
    source_root: SourceRoot = None,
    translated_root: TranslatedRoot = None,
    locale: Locales = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="table for people, json for tools.")] = OutputFormat.table,
    fail_on: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--fail-on", metavar="STATUS,...",
        help="Exit 1 when a page has one of these statuses, e.g. outdated,orphaned."
    )] = None,
    untranslated: Annotated[bool, typer.Option(
        "--untranslated", help="Also list English pages with no translation.")] = False,
    basis: Basis = None,
    limit: Annotated[int, typer.Option(
        "--limit", metavar="N", help="Pages listed per locale in the table (0: all).",
        min=0)] = 50,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")]
    = False,
    sort: Annotated[Optional[SortOrder], typer.Option(  # noqa: UP045
        "--sort", help="path, behind (most commits first), change (biggest change first) or "
        "priority (popularity x (change + drift) first). "
        "Default: path in JSON, behind in the table.")] = None,
    drift: Annotated[bool, typer.Option(
        "--drift", help="Compare each page's structure (headings, code, macros, images, "
        "tables, links) with its English text at the sync point.")] = False,
    drift_threshold: Annotated[Optional[float], typer.Option(  # noqa: UP045
        "--drift-threshold", metavar="SCORE",
        help="The drift score (0 to 1) from which a page counts as drifted, for the table "
        "and --fail-on drift. Default: config, else 0.1.")] = None,
    popularity: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--popularity", metavar="FILE", help="A JSON file of page URL or slug -> score (MDN's "
        "popularities.json). Default: config popularity_file.")] = None,
) -> int:
    """Show every translated page's state against the English source.

    PATH...: only these translated pages or folders (default: every page).
    """
    return status_command(paths or (), source_root, translated_root, locale, output_format,
                          fail_on=fail_on, untranslated=untranslated, basis=basis, limit=limit,
                          no_cache=no_cache, sort=sort, drift=drift,
                          drift_threshold=drift_threshold, popularity=popularity)


@app.command(short_help='What changed in English since a translation.')
def diff(
    page: Annotated[str, typer.Argument(metavar="PAGE", hidden=True, show_default=False)],
    source_root: SourceRoot = None,
    translated_root: TranslatedRoot = None,
    output_format: Annotated[DiffFormat, typer.Option(
        "--format", "-f", help="text for people, json for tools.")] = DiffFormat.text,
    word_diff: Annotated[bool, typer.Option(
        "--word-diff", help="Mark changed words within changed lines.")] = False,
) -> int:
    """Show what changed in English since the translation, section by section of your page.

    PAGE: a translated page, e.g. files/fr/web/api/fetch_api/index.md, or a translated
    UI-string dictionary (each changed key's English before and now, beside the translation).
    """
    from l10nsync.commands.diff import build_page_diff
    from l10nsync.render.diff import render_diff_json, render_diff_text

    config = run_config(source_root, translated_root, None)
    if config.dictionaries:
        from l10nsync.dictionaries import build_dictionary_diff
        from l10nsync.render.dictionaries import (
            render_dictionary_diff_json,
            render_dictionary_diff_text,
        )

        dictionary = build_dictionary_diff(config, page, cwd=Path.cwd())
        if dictionary is not None:
            color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
            write_output(render_dictionary_diff_json(dictionary) if output_format is DiffFormat.json
                   else render_dictionary_diff_text(dictionary, color=color))
            return EXIT_OK
    result = build_page_diff(config, page, cwd=Path.cwd())
    if output_format is DiffFormat.json:
        write_output(render_diff_json(result))
    else:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        write_output(render_diff_text(result, color=color, word_diff=word_diff))
    return EXIT_OK


@app.command(short_help='The pre-commit hook: block stale edits, bad markers.')
def check(
    files: Annotated[Optional[list[str]], typer.Argument(  # noqa: UP045
        metavar="FILE", hidden=True, show_default=False)] = None,
    source_root: SourceRoot = None,
    translated_root: TranslatedRoot = None,
) -> int:
    """Block stale edits and bad markers: the pre-commit hook's command (exit 1 to block).

    FILE...: the files to check (pre-commit passes the staged ones); files that are not
    translated pages are ignored.
    """
    return check_command(files or [], source_root, translated_root)


def _report_edits(edits: Sequence[Edit], refusals: Sequence[Refusal], dry_run: bool,
                  config: Config) -> int:
    """Write (unless dry_run) and show edits: a page is said to change only once written.

    Refusals make the exit code 2; a write that failed, 3. Either way the others are written.
    """
    from l10nsync.commands.bump import apply_edits
    from l10nsync.render.edits import render_edit_diff

    refused: list[Refusal] = []
    failed: list[Refusal] = []
    if not dry_run:
        refused, failed = apply_edits(config, edits)
    not_written = {refusal.path for refusal in (*refused, *failed)}
    for edit in edits:
        if edit.path in not_written:
            continue
        if not edit.changed:
            write_output(output_line(f"{edit.path}: {edit.note or 'unchanged'}"))
            continue
        write_output(output_line(f"{edit.path}: {edit.note}{' (dry run)' if dry_run else ''}"))
        if dry_run:
            write_output(render_edit_diff(edit.path, edit.before, edit.after))
    for refusal in (*refusals, *refused, *failed):
        say(f"error: {refusal.path}: {refusal.reason}")
    if failed:
        return EXIT_FAILURE
    return EXIT_USAGE if refusals or refused else EXIT_OK


@app.command(short_help='Record the English commit a page is in step with.')
def bump(
    files: Annotated[list[str], typer.Argument(metavar="PAGE", hidden=True,
                                               show_default=False)],
    to: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--to", metavar="COMMIT", help="This English commit (a SHA, a branch, HEAD, HEAD~2) "
        "instead of the last one that changed the page.")]
    = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the change, write nothing.")]
    = False,
    source_root: SourceRoot = None,
    translated_root: TranslatedRoot = None,
) -> int:
    """Set sourceCommit to the English commit the page is now in step with, byte for byte.

    PAGE...: the translated pages to record as synced. A marker that already covers the last
    English change is left as it is: bump never moves a marker backwards.
    """
    from l10nsync.commands.bump import bump_pages

    config = run_config(source_root, translated_root, None)
    edits, refusals = bump_pages(config, files, cwd=Path.cwd(), to=to)
    return _report_edits(edits, refusals, dry_run, config)


@app.command(short_help='Move translations where their English pages went.')
def move(
    paths: Annotated[Optional[list[str]], typer.Argument(  # noqa: UP045
        metavar="PATH", hidden=True, show_default=False)] = None,
    orphaned: Annotated[bool, typer.Option(
        "--orphaned", help="Also move pages whose English page is gone under orphaned/.")]
    = False,
    conflicts: Annotated[bool, typer.Option(
        "--conflicts", help="Put a page whose target exists under conflicting/ instead of "
        "refusing it.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan, write nothing.")]
    = False,
    source_root: SourceRoot = None,
    translated_root: TranslatedRoot = None,
    locale: Locales = None,
) -> int:
    """Move translations where their English pages went: git mv, slug, redirects.

    PATH...: only these translated pages or folders (default: every page of the selected
    locales). The marker is kept; an existing file is never overwritten.
    """
    from l10nsync.commands.move import apply_moves, describe, plan_moves

    config = run_config(source_root, translated_root, locale)
    plan = plan_moves(config, paths or [], cwd=Path.cwd(), orphaned=orphaned,
                      conflicts=conflicts)
    suffix = " (dry run)" if dry_run else ""
    for planned in plan.moves:
        write_output(output_line(f"{describe(planned)}{suffix}"))
    for edit in plan.redirects:
        for old, new in edit.added:
            write_output(f"{escape_text(edit.path)}: + {escape_text(old)}\t{escape_text(new)}"
                   f"{suffix}\n")
    if not plan.moves and not plan.refusals:
        write_output("nothing to move\n")
    if not dry_run:
        apply_moves(config, plan)
    for refusal in plan.refusals:
        say(f"error: {refusal.path}: {refusal.reason}")
    return EXIT_USAGE if plan.refusals else EXIT_OK


class BannerValue(str, enum.Enum):
    true = "true"
    commit = "commit"


@app.command(short_help='Write or clear a banner key on outdated pages.')
def annotate(
    paths: Annotated[Optional[list[str]], typer.Argument(  # noqa: UP045
        metavar="PATH", hidden=True, show_default=False)] = None,
    key: Annotated[str, typer.Option("--key", metavar="KEY",
                                     help="The front matter key to write, e.g. "
                                     "drifted_from_default or outdated_since.")] = "",
    value: Annotated[BannerValue, typer.Option(
        "--value", help="true, or commit (the page's sourceCommit).")] = BannerValue.true,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the key from every page.")]
    = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the changes, write nothing.")]
    = False,
    source_root: SourceRoot = None,
    translated_root: TranslatedRoot = None,
    locale: Locales = None,
) -> int:
    """Write KEY on outdated pages and remove it from pages in step again (opt-in banners).

    PATH...: only these translated pages or folders (default: every page).
    """
    from l10nsync.commands.bump import annotate_pages

    if not key:
        raise UsageError("annotate needs --key, e.g. --key drifted_from_default")
    config = run_config(source_root, translated_root, locale)
    edits, refusals = annotate_pages(config, paths or [], cwd=Path.cwd(), key=key,
                                     value=value.value, clear=clear)
    return _report_edits([e for e in edits if e.changed], refusals, dry_run, config)


class ReviewFormat(str, enum.Enum):
    text = "text"
    markdown = "markdown"
    github = "github"
    json = "json"


@app.command(short_help='What a pull request does to translations.')
def report(
    base: Annotated[str, typer.Option("--base", metavar="REF",
                                      help="The branch the pull request goes into, "
                                      "e.g. origin/main (the range starts at the merge base).",
                                      show_default=False)],
    head: Annotated[str, typer.Option("--head", metavar="REF",
                                      help="The pull request's commit (checked out).")]
    = "HEAD",
    output_format: Annotated[ReviewFormat, typer.Option(
        "--format", "-f", help="text, markdown (a PR comment), github (annotations), json.")]
    = ReviewFormat.text,
    fail_on: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--fail-on", metavar="STATUS,...",
        help="Exit 1 when a page is blocked or has one of these statuses, "
        "e.g. blocked,orphaned.")] = None,
    source_root: SourceRoot = None,
    translated_root: TranslatedRoot = None,
) -> int:
    """What a pull request does to translations: for reviewers, CI annotations and comments."""
    from l10nsync.commands.report import build_pull_request_report
    from l10nsync.render.github import render_github, render_step_summary
    from l10nsync.render.markdown import render_markdown
    from l10nsync.render.review import render_review_json, render_review_text

    wanted_blocked = False
    statuses = ""
    if fail_on:
        names = [name.strip() for name in fail_on.split(",")]
        wanted_blocked = "blocked" in names
        statuses = ",".join(name for name in names if name != "blocked")
    wanted = parse_fail_on(statuses)
    config = run_config(source_root, translated_root, None)
    result = build_pull_request_report(config, base=base, head=head, cwd=Path.cwd())
    renderers = {
        ReviewFormat.text: render_review_text,
        ReviewFormat.markdown: render_markdown,
        ReviewFormat.github: render_github,
        ReviewFormat.json: render_review_json,
    }
    write_output(renderers[output_format](result), commands=output_format is ReviewFormat.github)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format is ReviewFormat.github and summary_file:
        with open(summary_file, "a", encoding="utf-8") as summary:
            summary.write(render_step_summary(result))
    statuses_seen = [page.status.status for page in result.pages] + [
        verdict.status for verdict in result.impacted]
    if len(statuses_seen) > 1:
        warn_about_markers(config, (status.value for status in statuses_seen))
    reasons = [*(page.blocked_because for page in result.pages),
               *(reviewed.blocked_because for reviewed in result.dictionaries)]
    if (wanted_blocked and any(reasons)) or any(
        status in wanted for status in statuses_seen
    ):
        return EXIT_FINDINGS
    return EXIT_OK


@app.command(short_help='Write a static HTML dashboard and status.json.')
def dashboard(
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FOLDER",
                                         help="The folder to write the site "
                                         "into (new, empty, or an earlier dashboard).",
                                         show_default=False)],
    source_root: SourceRoot = None,
    translated_root: TranslatedRoot = None,
    locale: Locales = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")]
    = False,
    drift: Annotated[bool, typer.Option(
        "--drift", help="Show each page's structural drift in its detail (see status --drift)."
    )] = False,
    popularity: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--popularity", metavar="FILE",
        help="A JSON file of page URL or slug -> score; pages are then listed by priority. "
        "Default: config popularity_file.")] = None,
) -> int:
    """Write a static HTML dashboard (and status.json) that works from file:// or any host."""
    from l10nsync.commands.dashboard import build_dashboard

    config = run_config(source_root, translated_root, locale, use_cache=not no_cache)
    queue, queue_key = work_queue(config, drift, None, popularity)
    with progress_bar() as progress:
        written = build_dashboard(config, output, cwd=Path.cwd(), progress=progress,
                                  queue=queue, queue_key=queue_key)
    write_output(f"Dashboard written: {output / 'index.html'} ({len(written.files)} files)\n")
    warn_about_markers(config, written.statuses)
    return EXIT_OK


@app.command(short_help='A locale\'s changes since a point, as Markdown.')
def digest(
    since: Annotated[str, typer.Option(
        "--since", metavar="DATE|REF", show_default=False,
        help="A date (YYYY-MM-DD) or a commit of the translations repository, e.g. HEAD~20.")],
    locale: Locales = None,
    source_root: SourceRoot = None,
    translated_root: TranslatedRoot = None,
) -> int:
    """What changed for a locale since a point, as Markdown: pages newly outdated, English
    pages added, and pages brought up to date and by whom."""
    from l10nsync.commands.digest import build_digest
    from l10nsync.render.digest import render_digest

    config = run_config(source_root, translated_root, locale)
    write_output(render_digest(build_digest(config, since, cwd=Path.cwd())))
    return EXIT_OK


@app.command(short_help='Build a small MDN-style demo and show its status.')
def demo(
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--output", "-o", metavar="FOLDER",
        help="Build the demo repositories here (default: a new temporary folder)."
    )] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> int:
    """Build a small MDN-style pair of repositories and show their status."""
    from l10nsync.advice import advice_for
    from l10nsync.commands.status import build_status_report
    from l10nsync.scenario import build_scenario, load_scenario

    scenario_file = Path(__file__).parent / "scenarios" / "demo.toml"
    destination = (output or Path(tempfile.mkdtemp(prefix="l10nsync-demo-"))).absolute()
    if destination.exists() and any(destination.iterdir()):
        raise UsageError(f"{destination}: the demo needs an empty or new folder")
    built = build_scenario(load_scenario(scenario_file), destination)
    config = load_config(cwd=built.translated_root, source_root=str(built.source_root),
                         environ={})
    report = build_status_report(config, cwd=built.translated_root)
    report = replace(report, advice=advice_for(config, report.pages))
    if output_format is OutputFormat.table:
        sys.stderr.write(
            f"Demo repositories built in {destination}:\n"
            f"  English:      {built.source_root}\n  translations: {built.translated_root}\n"
            f"Try:\n  cd {built.translated_root}\n  export CONTENT_ROOT={built.source_root}\n"
            "  l10nsync status\n  l10nsync diff files/fr/glossary/asynchronous/index.md\n"
            "  l10nsync bump files/fr/glossary/asynchronous/index.md\n"
            "  l10nsync move --dry-run\n\n"
        )
    write_output(Rendering.for_stdout(output_format, 50).render(report))
    return EXIT_OK


@app.command(short_help='Write a starting .l10nsync.toml.')
def init(
    force: Annotated[bool, typer.Option("--force", help="Replace an existing .l10nsync.toml.")]
    = False,
) -> int:
    """Write a starting .l10nsync.toml from what this repository holds, and print it."""
    from l10nsync.commands.init import write_starting_config
    from l10nsync.config import find_repository_root

    root = find_repository_root(Path.cwd())
    if root is None:
        raise UsageError(f"{Path.cwd()} is not inside a git repository; run l10nsync in one")
    target, text, warnings = write_starting_config(root, force, Path.cwd())
    load_config(cwd=target.parent, environ={})  # what was written must load
    for warning in warnings:
        warn(f"not carried over: {warning}")
    sys.stderr.write(f"wrote {target}\n")
    write_output(text)
    return EXIT_OK


@app.command(short_help='Print the version.')
def version() -> int:
    """Print the version."""
    write_output(f"l10nsync {__version__}\n")
    return EXIT_OK


def run(argv: list[str] | None = None) -> int:
    """Parse a command line with Typer and run it (see terminal.run, the entry point, which
    takes the pre-commit hook's ``check FILE...`` without parsing)."""
    return guarded(lambda: app(args=argv, prog_name="l10nsync", standalone_mode=False))
