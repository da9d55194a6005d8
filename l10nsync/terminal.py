"""The command line's own room besides parsing: printing, exit codes, the one error boundary,
and the pre-commit hook's way in.

Nothing here imports the CLI framework (Typer, and the pydantic it brings): ``l10nsync
check FILE...``, the command pre-commit runs on every commit, and ``l10nsync version`` are
recognised in ``run`` and go straight to the same function the Typer command calls
(``check_command``); every other command line is parsed by cli.py. Both ways end in
``guarded``, so exit codes and messages are the same whichever way a command came.
"""

from __future__ import annotations

import gc
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from l10nsync import __version__
from l10nsync.errors import L10nSyncError
from l10nsync.escape import escape_text, guard_output

if TYPE_CHECKING:
    from l10nsync.config import Config

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
