#!/usr/bin/env python3
"""Time the pre-commit hook (``l10nsync check`` of a few pages), start-up, and the warm
dashboard against warm ``status``, on generated MDN-like data (see generate_mdn.py).

    python benchmarks/bench_hook.py DATADIR [--scratch DIR] [--runs 5]

DATADIR holds ``content`` and ``translated-content``; it is never changed. Both repositories
are cloned (``git clone --local``: objects shared, read only) under a scratch folder, where the
English HEAD is moved and l10nsync's cache is written, primed and restored. The measures:

- (a) ``check`` of 5 pages, cache from an earlier full ``status``, nothing moved;
- (b) the same, the cache written with English 200 commits behind (a ``git pull`` since);
- (c) the same with no cache at all;
- ``l10nsync version`` start-up;
- warm ``dashboard`` and warm ``status``, run alternately, and the ratio of their medians.

Before each timed run of (a), (b) and (c) the cache folder is put back as the measure wants it
(a saved copy, or none), so every run meets the same state. Standard library only;
``measure_hook`` returns the measures as plain dicts (the fields of run_benchmark's Measure).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from random import Random
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
MOVED = 200  # English commits between the primed cache and HEAD in (b)
PAGES = 5  # pages a commit stages, as the hook gets them
CACHE = Path(".git") / "l10nsync"  # l10nsync's cache, inside the translations repository
_SOURCE_COMMIT = re.compile(r"^\s+sourceCommit:\s*([0-9a-fA-F]{40})\s*$", re.M)


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] hook: {message}", file=sys.stderr, flush=True)


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def _tool(arg: str | None) -> list[str]:
    if arg:
        return shlex.split(arg)
    exe = shutil.which("l10nsync")
    return [exe] if exe else [sys.executable, "-m", "l10nsync"]


def _measure(name: str, cmd: list[str], note: str | None = None) -> dict[str, Any]:
    return {"name": name, "command": shlex.join(cmd), "times": [], "median": None,
            "error": None, "note": note}


# CPU seconds (user + system) of every run, with git's: on a busy machine they vary far less
# than wall time, which waits for a free core. Keyed by the command line.
CPU: dict[str, list[float]] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float,
         accept: tuple[int, ...] = (0,)) -> float:
    """Wall seconds of one run; an exit code not in ``accept`` raises RuntimeError."""
    cpu = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=timeout)
    elapsed = time.perf_counter() - started
    CPU.setdefault(shlex.join(cmd), []).append(_children_cpu() - cpu)
    if proc.returncode not in accept:
        said = proc.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"exit status {proc.returncode}: {' | '.join(said)}")
    return elapsed


def _timed(measure: dict[str, Any], runs: int, once: Callable[[], float]) -> dict[str, Any]:
    """Fill ``measure`` with ``runs`` timings of ``once`` (or the error that stopped it)."""
    before = len(CPU.get(measure["command"], []))
    try:
        for _ in range(runs):
            measure["times"].append(once())
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        measure["error"] = str(error)
        return measure
    measure["median"] = statistics.median(measure["times"])
    measure["cpu"] = CPU.get(measure["command"], [])[before:]
    return measure


def _result(measure: dict[str, Any]) -> str:
    times = ", ".join(f"{t:.2f}" for t in measure["times"])
    cpu = ", ".join(f"{t:.2f}" for t in measure.get("cpu", []))
    return f"{measure['name']}: {measure['error'] or times} (CPU: {cpu})"


def prime_pages(translated: Path, content: Path, pages: list[str], behind: str,
                extra: int = 60) -> list[str]:
    """``pages`` and ``extra`` more whose markers English at ``behind`` has: a named run on
    more than a few pages reads and keeps the whole English history, as a full run does."""
    known = set(_git("-C", str(content), "rev-list", behind).split())
    out = subprocess.run(["git", "-C", str(translated), "ls-files", "-z", "--", "files"],
                         check=True, capture_output=True).stdout.decode()
    others = sorted(p for p in out.split("\0") if p.endswith("/index.md")
                    and not p.startswith("files/en-us/") and p not in pages)
    chosen: list[str] = []
    for page in Random(extra).sample(others, min(len(others), extra * 20)):
        head = (translated / page).read_text(encoding="utf-8", errors="replace")[:2000]
        marker = _SOURCE_COMMIT.search(head)
        if marker and marker.group(1) in known:
            chosen.append(page)
        if len(chosen) == extra:
            break
    return sorted([*pages, *chosen])


def _restore(translated: Path, saved: Path | None) -> None:
    """Put the cache folder back as ``saved`` holds it (None: no cache at all)."""
    shutil.rmtree(translated / CACHE, ignore_errors=True)
    if saved is not None:
        shutil.copytree(saved, translated / CACHE)


def pick_pages(translated: Path, n: int = PAGES) -> list[str]:
    """A fixed, reproducible choice of translated pages (run_benchmark's five pages)."""
    out = subprocess.run(["git", "-C", str(translated), "ls-files", "-z", "--", "files"],
                         check=True, capture_output=True).stdout.decode()
    pages = sorted(p for p in out.split("\0")
                   if p.endswith("/index.md") and not p.startswith("files/en-us/"))
    return sorted(Random(n).sample(pages, min(n, len(pages))))


def clone_data(datadir: Path, scratch: Path) -> tuple[Path, Path]:
    """Local clones of both repositories under ``scratch`` (DATADIR is only read)."""
    content, translated = scratch / "content", scratch / "translated-content"
    for source, target in ((datadir / "content", content),
                           (datadir / "translated-content", translated)):
        if not (target / ".git").exists():
            _git("clone", "--quiet", "--local", str(source.resolve()), str(target))
    return content, translated


def measure_hook(datadir: Path, tool: list[str], *, runs: int = 5,
                 scratch: Path | None = None, timeout: float = 3600) -> list[dict[str, Any]]:
    """Every hook measure on clones of DATADIR made under ``scratch`` (default: a temporary
    folder, removed afterwards)."""
    if scratch is None:
        with tempfile.TemporaryDirectory(prefix="l10nsync-hook-") as folder:
            return measure_hook(datadir, tool, runs=runs, scratch=Path(folder), timeout=timeout)
    scratch.mkdir(parents=True, exist_ok=True)
    _say(f"cloning {datadir} under {scratch}")
    content, translated = clone_data(datadir, scratch)
    def move_english(to: str) -> None:
        _git("-C", str(content), "checkout", "--quiet", "--detach", to)

    # DATADIR's HEAD, not the clone's: a scratch folder kept from an interrupted run may
    # have its English clone left behind.
    head = _git("-C", str(datadir / "content"), "rev-parse", "HEAD")
    behind = _git("-C", str(content), "rev-parse", f"{head}~{MOVED}")
    env = {**os.environ, "CONTENT_ROOT": str(content)}
    env.pop("CONTENT_TRANSLATED_ROOT", None)
    # As installed by pip (and by pre-commit), the package's bytecode is on disk: one untimed
    # run of each command writes it, where PYTHONDONTWRITEBYTECODE would compile every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if "-m" in tool:  # ``python -m l10nsync`` run in the clones: import this checkout
        env["PYTHONPATH"] = os.pathsep.join(
            [*filter(None, env.get("PYTHONPATH", "").split(os.pathsep)), str(REPO_ROOT)])
    move_english(head)
    pages = pick_pages(translated)
    check = [*tool, "check", *pages]
    status = [*tool, "status", "--format", "json"]

    def run(cmd: list[str], accept: tuple[int, ...] = (0, 1)) -> float:
        return _run(cmd, translated, env, timeout, accept)

    def check_with(saved: Path | None) -> Callable[[], float]:
        def once() -> float:
            _restore(translated, saved)
            return run(check)
        return once

    measures = []
    try:
        _say("start-up: l10nsync version")
        version = [*tool, "version"]
        run(version, (0,))
        measures.append(_timed(_measure("`l10nsync version` (start-up)", version),
                               max(runs, 10), lambda: run(version, (0,))))
        _say(_result(measures[-1]))
        move_english(head)
        _restore(translated, None)
        run(check)  # untimed: bytecode written, the OS file cache warmed
        _say("(c) check of 5 pages, no cache")
        measures.append(_timed(_measure(f"hook (c): `check` of {len(pages)} pages, no cache",
                                        check), runs, check_with(None)))
        _say(_result(measures[-1]))
        _say(f"(b) priming the cache with English at HEAD~{MOVED}")
        _restore(translated, None)
        move_english(behind)
        # Not a full status: with English behind the translations, thousands of markers name
        # commits it does not have yet, and the advice for them (a guess of each page's sync
        # point, git logs over many paths) takes many minutes at this scale. Sixty-odd named
        # pages are enough for the whole history to be read and kept; the verdicts kept are
        # of those pages only.
        run([*status, *prime_pages(translated, content, pages, behind)])
        saved_b = scratch / "cache-behind"
        shutil.rmtree(saved_b, ignore_errors=True)
        shutil.copytree(translated / CACHE, saved_b)
        move_english(head)
        _say(f"(b) check of 5 pages, English {MOVED} commits ahead of the cache")
        measures.append(_timed(_measure(
            f"hook (b): `check` of {len(pages)} pages, cache {MOVED} English commits behind",
            check, "cache primed by `status` of these and 60 other pages"), runs,
            check_with(saved_b)))
        _say(_result(measures[-1]))
        _say("(a) priming the cache with English at HEAD")
        _restore(translated, None)
        run(status)
        saved_a = scratch / "cache-head"
        shutil.rmtree(saved_a, ignore_errors=True)
        shutil.copytree(translated / CACHE, saved_a)
        _say("(a) check of 5 pages, nothing moved")
        measures.append(_timed(_measure(
            f"hook (a): `check` of {len(pages)} pages, cache from an earlier run", check),
            runs, check_with(saved_a)))
        _say(_result(measures[-1]))
        _restore(translated, saved_a)
        measures += dashboard_pairs(translated, scratch, status, tool, runs, run)
    finally:
        move_english(head)
    for measure in measures:
        measure["pages"] = pages
    return measures


def dashboard_pairs(translated: Path, scratch: Path, status: list[str], tool: list[str],
                    runs: int, run: Callable[[list[str]], float]) -> list[dict[str, Any]]:
    """Warm ``status`` and warm ``dashboard``, each primed once, then run alternately."""
    site = scratch / "dashboard"
    dashboard = [*tool, "dashboard", "--output", str(site)]
    warm_status = _measure("`status --format json`, warm", status)
    warm_dashboard = _measure("`dashboard`, warm", dashboard)
    _say("warm dashboard / warm status: priming both, then pairs")
    try:
        run(status)
        run(dashboard)
        for number in range(runs):
            _say(f"pair {number + 1}/{runs}")
            warm_status["times"].append(run(status))
            warm_dashboard["times"].append(run(dashboard))
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        warm_status["error"] = warm_dashboard["error"] = str(error)
        return [warm_status, warm_dashboard]
    warm_status["median"] = statistics.median(warm_status["times"])
    warm_dashboard["median"] = statistics.median(warm_dashboard["times"])
    warm_status["cpu"] = CPU[warm_status["command"]][-runs:]
    warm_dashboard["cpu"] = CPU[warm_dashboard["command"]][-runs:]
    warm_dashboard["note"] = (f"{warm_dashboard['median'] / warm_status['median']:.2f}x "
                              "warm status (target <= 1.5x); run alternately")
    return [warm_status, warm_dashboard]


TARGETS = {"start-up": None, "(a)": 0.5, "(b)": 1.0, "(c)": 2.0}


def render_hook(measures: list[dict[str, Any]]) -> str:
    """The measures as a Markdown table, with every run's time and the target."""
    lines = ["| measure | median (s) | target (s) | CPU, median (s) | runs (s) |",
             "|---|---:|---:|---:|---|"]
    for m in measures:
        median = "ERROR" if m["median"] is None else f"{m['median']:.2f}"
        target = next((f"{t}" for key, t in TARGETS.items() if key in m["name"] and t), "")
        cpu = f"{statistics.median(m['cpu']):.2f}" if m.get("cpu") else "-"
        runs = ", ".join(f"{t:.2f}" for t in m["times"])
        lines.append(f"| {m['name']} | {median} | {target} | {cpu} | {runs} |")
    notes = [f"- {m['name']}: {m['note']}" for m in measures if m.get("note")]
    errors = [f"- {m['name']}: {m['error']}" for m in measures if m.get("error")]
    pages: list[str] = next((m["pages"] for m in measures if m.get("pages")), [])
    if pages:
        notes.append(f"- pages checked: {', '.join(f'`{p}`' for p in pages)}")
    if notes:
        lines += ["", "Notes:", *notes]
    if errors:
        lines += ["", "Errors:", *errors]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("datadir", type=Path,
                        help="folder holding content/ and translated-content/ (generate_mdn.py)")
    parser.add_argument("--scratch", type=Path, metavar="DIR",
                        help="where to clone the repositories (kept; default: a temporary "
                        "folder, removed afterwards)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (default 5)")
    parser.add_argument("--l10nsync", help='l10nsync command (default: l10nsync on PATH, else '
                        '"python -m l10nsync")')
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--json", type=Path, help="also write the measures as JSON here")
    args = parser.parse_args(argv)
    for name in ("content", "translated-content"):
        if not (args.datadir / name / ".git").exists():
            parser.error(f"{args.datadir / name} is not a git repository "
                         "(run generate_mdn.py first)")
    measures = measure_hook(args.datadir, _tool(args.l10nsync), runs=args.runs,
                            scratch=args.scratch, timeout=args.timeout)
    print(render_hook(measures))
    if args.json:
        args.json.write_text(json.dumps(measures, indent=2) + "\n")
    return 1 if any(m["error"] for m in measures) else 0


if __name__ == "__main__":
    sys.exit(main())
