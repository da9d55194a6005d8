"""Issue 14, class 3: no edit is lost.

``bump`` and ``annotate`` read every page, ask git, then write: a page saved or deleted in
between is refused, not overwritten or recreated; a write that fails for one page leaves the
others written and prints no success line for it; Ctrl-C during ``dashboard`` exits 130.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from l10nsync.commands.bump import annotate_pages, apply_edits, bump_pages
from l10nsync.config import load_config
from tests.conftest import L10NSYNC
from tests.hostile import build_pair, git

PAGES = ["web/a", "web/b", "web/c"]


def config_for(pair: Any) -> Any:
    return load_config(cwd=pair.translations, source_root=str(pair.english), environ={})


def test_a_page_saved_between_read_and_write_is_not_overwritten(tmp_path: Path) -> None:
    pair = build_pair(tmp_path, PAGES)
    config = config_for(pair)
    pages = [pair.page(folder) for folder in PAGES]
    edits, refusals = bump_pages(config, pages, cwd=pair.translations)
    assert not refusals and len(edits) == 3
    saved = pair.translations / pair.page("web/b")
    saved.write_text(saved.read_text() + "Typed by a translator meanwhile.\n")
    refused, failed = apply_edits(config, edits)
    assert [refusal.path for refusal in refused] == [pair.page("web/b")]
    assert "changed since it was read" in refused[0].reason
    assert not failed
    assert "Typed by a translator meanwhile." in saved.read_text()
    assert pair.start in saved.read_text()  # the marker was not moved either
    for folder in ("web/a", "web/c"):  # the others were written
        assert pair.start not in (pair.translations / pair.page(folder)).read_text()


def test_a_page_deleted_between_read_and_write_is_not_recreated(tmp_path: Path) -> None:
    pair = build_pair(tmp_path, PAGES)
    config = config_for(pair)
    edits, _ = annotate_pages(config, [], cwd=pair.translations, key="outdated",
                              value="true", clear=False)
    assert len(edits) == 3
    (pair.translations / pair.page("web/a")).unlink()
    refused, _failed = apply_edits(config, edits)
    assert [refusal.path for refusal in refused] == [pair.page("web/a")]
    assert "deleted since it was read" in refused[0].reason
    assert not (pair.translations / pair.page("web/a")).exists()
    assert "outdated: true" in (pair.translations / pair.page("web/c")).read_text()


def test_a_page_touched_with_the_same_bytes_is_refused(tmp_path: Path) -> None:
    pair = build_pair(tmp_path, ["web/a"])
    config = config_for(pair)
    edits, _ = bump_pages(config, [pair.page("web/a")], cwd=pair.translations)
    page = pair.translations / pair.page("web/a")
    os.utime(page, ns=(time.time_ns(), page.stat().st_mtime_ns + 5_000_000_000))
    refused, _failed = apply_edits(config, edits)
    assert [refusal.path for refusal in refused] == [pair.page("web/a")]


def test_the_cli_refuses_a_changed_page_and_says_so(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    pair = build_pair(tmp_path, PAGES)
    config = config_for(pair)
    edits, _ = bump_pages(config, [pair.page("web/a")], cwd=pair.translations)
    page = pair.translations / pair.page("web/a")
    page.write_text(page.read_text() + "Meanwhile.\n")
    from l10nsync.cli import _report_edits  # the CLI's own reporting of edits

    code = _report_edits(edits, [], False, config)
    assert code == 2
    assert "Meanwhile." in page.read_text()


def bump_with_size_limit(pair: Any, limit: int) -> subprocess.CompletedProcess[str]:
    """``l10nsync bump`` on every page, where files over ``limit`` bytes cannot be written
    (RLIMIT_FSIZE: as a full disk for those pages, and it holds for root too)."""
    pages = [pair.page(folder) for folder in PAGES]
    script = f"""
import resource, signal, sys
from l10nsync.cli import run
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
sys.exit(run(["bump", "--source-root", {str(pair.english)!r}, *{pages!r}]))
"""
    return subprocess.run([sys.executable, "-c", script], cwd=pair.translations,
                          capture_output=True, text=True, check=False)


def test_a_failed_write_is_reported_and_the_others_are_written(tmp_path: Path) -> None:
    def french(folder: str, marker: str) -> str:
        padding = "Un long paragraphe.\n" * (200 if folder == "web/b" else 0)
        return (f"---\ntitle: Page\nslug: Web/Page\nl10n:\n  sourceCommit: {marker}\n---\n\n"
                f"Bonjour.\n{padding}")

    pair = build_pair(tmp_path, PAGES, french=french)
    before_b = (pair.translations / pair.page("web/b")).read_bytes()
    result = bump_with_size_limit(pair, 2048)
    assert result.returncode == 3, result.stdout + result.stderr
    assert pair.page("web/b") not in result.stdout  # no success line for it
    assert f"{pair.page('web/b')}: not written" in result.stderr
    assert "Traceback" not in result.stderr
    assert (pair.translations / pair.page("web/b")).read_bytes() == before_b
    for folder in ("web/a", "web/c"):
        assert f"{pair.page(folder)}: l10n.sourceCommit" in result.stdout
        assert pair.start not in (pair.translations / pair.page(folder)).read_text()
    leftovers = git(pair.translations, "status", "--porcelain", "--untracked-files=all")
    assert ".tmp" not in leftovers


def has_children(pid: int) -> bool:
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            if (task / "children").read_text().strip():
                return True
    return False


def worker_processes(pid: int) -> list[int]:
    """Children of ``pid`` that are Python workers, not git (Linux's /proc)."""
    workers = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")[0]
            except OSError:
                continue
            if not command.endswith(b"git"):
                workers.append(int(child))
    return workers


def test_ctrl_c_during_dashboard_exits_130_without_tracebacks(tmp_path: Path) -> None:
    # Enough pages for worker processes, and for them to work a while (seen once, then
    # checked again, a short worker phase could end between the two looks).
    folders = [f"web/page-{number}" for number in range(1500)]
    pair = build_pair(tmp_path, folders)
    environment = {**os.environ, "CONTENT_ROOT": str(pair.english)}
    process = subprocess.Popen(
        [*L10NSYNC, "dashboard", "--no-cache", "--output", str(tmp_path / "site")],
        cwd=pair.translations, env=environment, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while not workers and time.monotonic() < deadline:
        assert process.poll() is None, "the dashboard finished before its workers started"
        workers = worker_processes(process.pid)
        time.sleep(0.005)
    assert workers, "no worker process started"
    os.killpg(process.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.strip() == "l10nsync: interrupted"


def test_ctrl_c_at_any_moment_of_a_dashboard_run_is_130_or_done(tmp_path: Path) -> None:
    """Ctrl-C at moments spread over a whole run: the process never dies of the signal
    (Python's shutdown interrupted: exit -2 with nothing said) and never prints a
    traceback; it either finished (0) or says it was interrupted (130).

    Moments are counted from its first child process (git), once Python has loaded
    l10nsync: a Ctrl-C while the interpreter imports it is Python's own.
    """
    folders = [f"web/page-{number}" for number in range(600)]
    pair = build_pair(tmp_path, folders)
    environment = {**os.environ, "CONTENT_ROOT": str(pair.english)}

    def start() -> subprocess.Popen[str]:
        shutil.rmtree(tmp_path / "site", ignore_errors=True)
        return subprocess.Popen(
            [*L10NSYNC, "dashboard", "--no-cache", "--output", str(tmp_path / "site")],
            cwd=pair.translations, env=environment, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, start_new_session=True)

    def started_work(process: subprocess.Popen[str]) -> float:
        while not has_children(process.pid):
            if process.poll() is not None:
                break
            time.sleep(0.002)
        return time.monotonic()

    first = start()
    began = started_work(first)
    first.communicate(timeout=300)
    duration = time.monotonic() - began
    outcomes = []
    for share in (0.1, 0.3, 0.5, 0.7, 0.85, 0.95, 1.0, 1.05):
        process = start()
        started_work(process)
        time.sleep(duration * share)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        _stdout, stderr = process.communicate(timeout=300)
        outcomes.append((share, process.returncode, stderr))
    for share, code, stderr in outcomes:
        assert code in (0, 130), (share, code, stderr)
        assert "Traceback" not in stderr, (share, stderr)
        assert stderr == ("l10nsync: interrupted\n" if code == 130 else ""), (share, stderr)
