"""The command line's own room besides parsing: printing, exit codes, the one error boundary,
and the pre-commit hook's way in.

Nothing here imports the CLI framework (Typer, and the pydantic it brings): ``l10nsync
check FILE...``, the command pre-commit runs on every commit, ``l10nsync version`` and a
``status`` with no option but ``--no-cache`` and ``--format`` (as CI jobs and site builds
run it) are recognised in ``run`` and go straight to the same function the Typer command
calls (``check_command``, ``status_command``: status's printing, and its printed-output
cache, live here for that); every other command line is parsed by cli.py. Both ways end in
``guarded``, so exit codes and messages are the same whichever way a command came.
"""

from __future__ import annotations

import contextlib
import enum
import gc
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from l10nsync import __version__
from l10nsync.errors import L10nSyncError, UsageError
from l10nsync.escape import escape_text, guard_output
from l10nsync.model import Report, SortOrder, Status

if TYPE_CHECKING:
    from l10nsync.config import Config
    from l10nsync.gitrepo import Progress
    from l10nsync.rules.status import SourceFacts
    from l10nsync.workqueue import WorkQueue

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_FAILURE = 3
EXIT_INTERRUPTED = 130


def write_output(text: str, *, commands: bool = False) -> None:
    """Print to stdout, guarded (see ``guard_output``): no line can act as a GitHub workflow
    command unless ``commands`` says it is one of ours. Renderers escape what they show, so
    the text encodes as UTF-8; a stray lone surrogate is written as ``\\udcNN``."""
    text = guard_output(text, commands=commands)
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream, as test harnesses give
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8", errors="backslashreplace"))
    sys.stdout.flush()


def say(message: str) -> None:
    """One ``l10nsync: ...`` line on stderr; repository text in it is escaped and guarded."""
    sys.stderr.write(guard_output(f"l10nsync: {escape_text(message)}") + "\n")
    sys.stderr.flush()


def output_line(text: str) -> str:
    """One line of plain output built from repository text: escaped, then a newline."""
    return escape_text(text) + "\n"


def warn(text: str) -> None:
    say(f"warning: {text}")


def run_config(source_root: str | None, translated_root: str | None, locales: list[str] | None,
            *, use_cache: bool = True, basis: str | None = None) -> Config:
    """The run's Config, its warnings printed, and both roots checked to hold what they
    should (a wrong English root is an error here, before any page is judged)."""
    from l10nsync.config import load_config
    from l10nsync.preflight import check_roots, setup_warnings

    config = load_config(cwd=Path.cwd(), source_root=source_root,
                         translated_root=translated_root, locales=tuple(locales or ()),
                         use_cache=use_cache, basis=basis)
    for note in config.notes:
        say(f"note: {note}")
    for warning in config.warnings:
        warn(warning)
    check_roots(config)
    for warning in setup_warnings(config):
        warn(warning)
    return config


def warn_about_markers(config: Config, statuses: Iterable[str]) -> None:
    """Say once, on stderr, when every marker is unknown: a setup problem, not the pages'."""
    from l10nsync.preflight import unknown_markers_warning

    warning = unknown_markers_warning(config, statuses)
    if warning is not None:
        warn(warning)


def check_command(files: Sequence[str], source_root: str | None = None,
                  translated_root: str | None = None) -> int:
    """``l10nsync check``: print each finding, exit 1 when there is one (see cli.check)."""
    from l10nsync.commands.check import check_files

    config = run_config(source_root, translated_root, None)
    findings, verdicts = check_files(config, files, cwd=Path.cwd())
    if config.dictionaries:
        from l10nsync.dictionaries import check_dictionaries

        findings = [*findings, *check_dictionaries(config, files, cwd=Path.cwd())]
    for finding in findings:
        write_output(output_line(finding.line()))
    if len(verdicts) > 1:
        warn_about_markers(config, (verdict.status.value for verdict in verdicts))
    return EXIT_FINDINGS if findings else EXIT_OK


def version_command() -> int:
    """``l10nsync version`` and ``l10nsync --version``."""
    write_output(f"l10nsync {__version__}\n")
    return EXIT_OK


class OutputFormat(str, enum.Enum):
    table = "table"
    json = "json"


def parse_fail_on(value: str | None, extra: frozenset[str] = frozenset()) -> frozenset[Status]:
    """Turn ``outdated,orphaned`` into statuses; an unknown name is a usage error (names in
    ``extra``, such as ``drift``, are known and left to the caller)."""
    if not value:
        return frozenset()
    chosen = set()
    for name in value.split(","):
        name = name.strip().replace("-", "_")
        if not name or name in extra:
            continue
        try:
            chosen.add(Status(name))
        except ValueError:
            known = ", ".join([*(status.value for status in Status), *sorted(extra)])
            raise UsageError(f"--fail-on: unknown status {name!r} (known: {known})") from None
    return frozenset(chosen)


def findings_exit_code(statuses: Iterable[str], fail_on: frozenset[Status]) -> int:
    """1 when a page has a status the user asked to fail on, else 0."""
    wanted = {status.value for status in fail_on}
    return EXIT_FINDINGS if any(status in wanted for status in statuses) else EXIT_OK


class Rendering(NamedTuple):
    """How a report is printed: everything besides the report that shapes the text."""

    output_format: OutputFormat
    limit: int
    sort: SortOrder | None
    color: bool
    width: int

    @classmethod
    def for_stdout(cls, output_format: OutputFormat, limit: int,
                   sort: SortOrder | None = None) -> Rendering:
        terminal = sys.stdout.isatty()
        # COLUMNS first (piped output too), then the terminal's width, else 120.
        width = shutil.get_terminal_size((120, 24)).columns
        return cls(output_format, limit, sort, terminal and "NO_COLOR" not in os.environ,
                   max(width, 40))

    def render(self, report: Report) -> str:
        if self.output_format is OutputFormat.json:
            from l10nsync.render.json import render_json

            return render_json(report.sorted_by(self.sort) if self.sort else report)
        from l10nsync.render.table import render_table

        return render_table(report, limit=self.limit, color=self.color, width=self.width,
                            order=self.sort or SortOrder.behind)


@contextlib.contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on stderr, only for a person at a terminal: never in CI or on stdout.

    It appears after the first second, so quick runs show nothing at all.
    """
    if not sys.stderr.isatty() or os.environ.get("CI") or os.environ.get("NO_COLOR"):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(),
                   TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    tasks: dict[str, TaskID] = {}
    started = time.monotonic()

    def report(what: str, done: int, total: int) -> None:
        if time.monotonic() - started < 1.0:
            return
        if not bar.live.is_started:
            bar.start()
        if what not in tasks:
            tasks[what] = bar.add_task(what, total=total)
        bar.update(tasks[what], completed=done, total=total)

    try:
        yield report
    finally:
        bar.stop()


def status_output(
    config: Config,
    names: Sequence[str],
    *,
    cwd: Path,
    untranslated: bool,
    options: str,
    render: Callable[[Report], str],
    progress: Progress | None = None,
    enrich: Callable[[Report, SourceFacts | None], Report] | None = None,
    on_blob: Callable[[str, bytes], None] | None = None,
) -> tuple[str, frozenset[str]]:
    """``render`` of the status report, and what it found (see ``Report.findings``).

    ``enrich`` adds to the report what the output options ask for (drift, popularity), given
    what was read of the English side when it was read (``on_blob``: each English text read,
    see ``read_texts``); ``options`` must name all of that.
    When nothing changed since the last run, the text that run printed with the same
    ``options`` is printed again: on MDN that skips loading 65,000 verdicts and encoding them.
    """
    from l10nsync.advice import advice_for
    from l10nsync.cache.status import status_cache, unchanged_token
    from l10nsync.commands.status import build_status_report
    from l10nsync.pages import scan_pages

    cache = status_cache(config)
    read: list[SourceFacts] = []

    def completed(report: Report) -> Report:
        report = replace(report, advice=advice_for(config, report.pages,
                                                   read[-1].history if read else None))
        return enrich(report, read[-1] if read else None) if enrich is not None else report

    if config.dictionaries:
        from l10nsync.dictionaries import split_names, stamps_digest

        named_dictionaries, page_names = split_names(config, names, cwd)
        if named_dictionaries and not page_names:
            report = build_status_report(config, names, cwd=cwd)
            return render(report), frozenset()
        names, dictionaries = page_names, named_dictionaries or None
        # The printed text also depends on the dictionaries: their stamps join the key.
        options = f"{options}\0dictionaries={stamps_digest(config)}"
    else:
        dictionaries = None
    if cache.folder is None:  # --no-cache: let the report read the history while it scans
        report = completed(build_status_report(config, names, cwd=cwd, untranslated=untranslated,
                                               progress=progress, on_facts=read.append,
                                               on_blob=on_blob, dictionaries=dictionaries))
        return render(report), frozenset(report.findings())
    scan = scan_pages(config, names, cwd, cache)
    options = f"{options}\0untranslated={untranslated}"
    token = unchanged_token(config, cache, scan)
    if token is not None:
        kept = cache.output(token, options)
        if kept is not None:
            return kept.text, frozenset(kept.findings)
    report = completed(build_status_report(config, names, cwd=cwd, untranslated=untranslated,
                                           progress=progress, scan=scan, cache=cache,
                                           on_facts=read.append, on_blob=on_blob,
                                           dictionaries=dictionaries))
    text = render(report)
    statuses = sorted(report.findings())
    if cache.token is not None:
        cache.keep_output(cache.token, options, text, statuses)
    return text, frozenset(statuses)


# What --fail-on can name besides statuses.
QUEUE_FINDINGS = frozenset({"drift"})


def fail_on_names(value: str | None) -> frozenset[str]:
    return frozenset(name.strip().replace("-", "_") for name in (value or "").split(","))


def work_queue(
    config: Config, drift: bool, drift_threshold: float | None, popularity: str | None
) -> tuple[WorkQueue | None, str]:
    """What the run adds to its report (see workqueue.py), if anything, and a key naming all
    of it for the output cache (the popularity file by its content)."""
    import hashlib

    from l10nsync.workqueue import WorkQueue, queue_options

    options = queue_options(config, drift=drift, drift_threshold=drift_threshold,
                            popularity_file=popularity)
    if not options.drift and options.popularity_file is None:
        return None, ""
    content = b""
    if options.popularity_file is not None:
        try:
            content = options.popularity_file.read_bytes()
        except OSError:
            content = b"unreadable"  # read_popularity says why, once the report is made
    return WorkQueue(config, options), f"{options!r}\0{hashlib.sha256(content).hexdigest()}"


def status_command(
    paths: Sequence[str],
    source_root: str | None = None,
    translated_root: str | None = None,
    locale: list[str] | None = None,
    output_format: OutputFormat = OutputFormat.table,
    *,
    fail_on: str | None = None,
    untranslated: bool = False,
    basis: str | None = None,
    limit: int = 50,
    no_cache: bool = False,
    sort: SortOrder | None = None,
    drift: bool = False,
    drift_threshold: float | None = None,
    popularity: str | None = None,
) -> int:
    """``l10nsync status``: print the report; exit 1 when it finds what ``fail_on`` names
    (see cli.status for the options)."""
    wanted = parse_fail_on(fail_on, QUEUE_FINDINGS)
    fail_on_drift = QUEUE_FINDINGS & fail_on_names(fail_on)
    config = run_config(source_root, translated_root, locale, use_cache=not no_cache, basis=basis)
    queue, queue_key = work_queue(config, drift or bool(fail_on_drift), drift_threshold,
                                   popularity)
    rendering = Rendering.for_stdout(output_format, limit, sort)
    with progress_bar() as progress:
        text, statuses = status_output(config, paths, cwd=Path.cwd(),
                                       untranslated=untranslated,
                                       options=f"{rendering!r}\0{queue_key}",
                                       render=rendering.render, progress=progress,
                                       enrich=queue.complete if queue else None,
                                       on_blob=queue.keep_blob if queue else None)
    write_output(text)
    warn_about_markers(config, statuses - QUEUE_FINDINGS)
    if fail_on_drift and "drift" in statuses:
        return EXIT_FINDINGS
    return findings_exit_code(statuses, wanted)


def _hook_files(argv: Sequence[str]) -> list[str] | None:
    """The files of ``check FILE...`` as pre-commit runs it, or None for any other command
    line: one with an option (``--help`` included) or a name the framework might read
    otherwise is left to cli.py."""
    if len(argv) < 2 or argv[0] != "check":
        return None
    files = list(argv[1:])
    for name in files:
        if not name or name.startswith("-"):
            return None
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:  # undecodable bytes in a name: as the framework takes them
            return None
    return files


def _plain_status(argv: Sequence[str]) -> tuple[OutputFormat, bool] | None:
    """(format, no_cache) of ``status`` with at most ``--no-cache`` and ``--format
    table|json``, as a CI job or a site's build runs it, or None for any other command line
    (left to cli.py, which knows every option, ``--help`` and the usage errors)."""
    if not argv or argv[0] != "status":
        return None
    formats = {member.value: member for member in OutputFormat}
    chosen: OutputFormat | None = None
    no_cache = False
    rest = list(argv[1:])
    while rest:
        option = rest.pop(0)
        if option == "--no-cache" and not no_cache:
            no_cache = True
            continue
        if option.startswith("--format="):
            value = option.removeprefix("--format=")
        elif option in ("--format", "-f") and rest:
            value = rest.pop(0)
        else:
            return None
        if chosen is not None or value not in formats:
            return None
        chosen = formats[value]
    return chosen or OutputFormat.table, no_cache


def guarded(call: Callable[[], object]) -> int:
    """Run a command and turn every outcome into an exit code: the one error boundary."""
    try:
        result = call()
    except KeyboardInterrupt:
        _say_interrupted()
        return EXIT_INTERRUPTED
    except L10nSyncError as error:
        say(f"error: {error}")
        return error.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:
        # Typer bundles its own click in some versions, so its usage errors and Ctrl-C are
        # recognised by shape rather than by class.
        if type(error).__name__ == "Abort":
            _say_interrupted()
            return EXIT_INTERRUPTED
        if type(error).__name__ == "Exit":  # --version, --show-completion
            return int(getattr(error, "exit_code", EXIT_OK))
        show = getattr(error, "show", None)
        if callable(show) and isinstance(getattr(error, "exit_code", None), int):
            if type(error).__name__ == "NoArgsIsHelpError":  # no arguments: the help text
                show()
            else:
                say(f"error: {_usage_message(error)}")
            return int(error.exit_code)  # type: ignore[attr-defined]
        if type(error).__name__ == "GitCommandNotFound":  # GitPython, from any git call
            say("error: git not found: install git, or put it on PATH")
            return EXIT_FAILURE
        say(f"unexpected failure: {type(error).__name__}: {error}")
        return EXIT_FAILURE
    if result == EXIT_INTERRUPTED:  # Typer turns Ctrl-C into this code, silently
        _say_interrupted()
    return result if isinstance(result, int) else EXIT_OK


def _usage_message(error: Exception) -> str:
    """A usage error on one line, with where to read more: not the framework's four lines."""
    format_message = getattr(error, "format_message", None)
    message = str(format_message() if callable(format_message) else error)
    message = message.replace("Value error, ", "").replace("\n", " ").strip()
    context = getattr(error, "ctx", None)
    command = getattr(context, "command_path", None) or "l10nsync"
    return f"{message} (see '{command} --help')"


def run(argv: list[str] | None = None) -> int:
    """Run one command line (default: the process's) and return its exit code."""
    args = sys.argv[1:] if argv is None else argv
    _said_interrupted.clear()  # a new command line: nothing said yet
    if args in (["version"], ["--version"]):
        return guarded(version_command)
    files = _hook_files(args)
    if files is not None:
        return guarded(lambda: check_command(files))
    plain = _plain_status(args)
    if plain is not None:
        output_format, no_cache = plain
        return guarded(lambda: status_command((), output_format=output_format,
                                              no_cache=no_cache))
    from l10nsync.cli import run as run_parsed

    return run_parsed(argv)


_late_interrupts: list[bool] = []  # a Ctrl-C that landed where it could not be raised
_said_interrupted: list[bool] = []  # "interrupted" was said: once is enough


def _say_interrupted() -> None:
    if not _said_interrupted:
        _said_interrupted.append(True)
        say("interrupted")


def _hold_interrupt(unraisable: sys.UnraisableHookArgs) -> None:
    """A Ctrl-C that lands in a finalizer or a fork hook (GitPython's ``Repo.__del__``,
    logging's lock release) cannot be raised there: Python would print it as "Exception
    ignored" with a traceback and carry on as if no key was pressed. It is remembered instead,
    and the run ends as interrupted (exit 130) once its current work is done."""
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
        _late_interrupts.append(True)
        return
    sys.__unraisablehook__(unraisable)


# Collect cycles every this many new objects, not Python's default 700 (mypy's setting, for the
# same reason): a run makes its objects and exits, and a status of 100,000 dictionary keys
# (a tracked tuple each) spent 0.1 to 0.3 s of its 1.4 s walking them again and again.
GC_THRESHOLD = 100_000


def main() -> None:
    """Console-script entry point."""
    sys.unraisablehook = _hold_interrupt
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    try:
        code = run()
    except KeyboardInterrupt:
        # One Ctrl-C can arrive twice: as git's death (see gitrepo) and as the signal itself,
        # which Python raises a moment later, maybe after the command was done.
        code = EXIT_INTERRUPTED
    # The work is done and reported: a Ctrl-C now could only interrupt Python's own shutdown
    # (joining worker processes and threads), and kill the process with no word said.
    while True:
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            break
        except KeyboardInterrupt:
            code = EXIT_INTERRUPTED
    if _late_interrupts or code == EXIT_INTERRUPTED:
        _say_interrupted()
        code = EXIT_INTERRUPTED
    sys.exit(code)
