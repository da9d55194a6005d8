#!/usr/bin/env python3
"""Time l10nsync against the floor of reading git history once, on generated MDN-like data.

DATADIR must contain ``content`` and ``translated-content`` as written by
``generate_mdn.py``. ``--history-data`` adds (or, without DATADIR, only runs) the
git-history-mode measures on the Starlight-like ``site`` written by ``generate_history.py``.
Prints Markdown tables of median timings and optionally writes the same results as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from random import Random
from typing import IO, Any

# Running this file as a script puts its folder on sys.path.
import bench_engine
import bench_hook
from benchlib import machine_info, render_machine

REPO_ROOT = Path(__file__).resolve().parent.parent
HISTORY_DOCS = "src/content/docs"  # where generate_history.py puts every page
HISTORY_SUMMARY = "generate-summary.json"
GNU_TIME = Path("/usr/bin/time")
SOURCE_COMMIT = re.compile(r"^\s+sourceCommit:\s*([0-9a-fA-F]{40})\s*$", re.M)
# Run in a fresh interpreter so RUSAGE_CHILDREN only covers the measured command.
RUSAGE_SNIPPET = (
    "import resource, subprocess, sys\n"
    "try:\n"
    "    with open(sys.argv[2], 'wb') as out:\n"
    "        rc = subprocess.run(sys.argv[3:], cwd=sys.argv[1], stdout=out,"
    " stderr=subprocess.DEVNULL).returncode\n"
    "except OSError as exc:\n"
    "    sys.exit(str(exc))\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)\n"
)


class CommandFailed(Exception):
    """A measured command exited unsuccessfully or could not be started."""


@dataclass
class Measure:
    """Repeated timings of one measure, or the error that stopped it."""

    name: str
    command: str
    times: list[float] = field(default_factory=list)
    median: float | None = None
    error: str | None = None
    note: str | None = None


@dataclass
class Memory:
    """Peak resident memory of one command."""

    name: str
    mb: float | None = None
    method: str = ""
    error: str | None = None


# ---------------------------------------------------------------------------
# Running commands
# ---------------------------------------------------------------------------


def l10nsync_command(arg: str | None) -> list[str]:
    """The l10nsync invocation: --l10nsync, else `l10nsync` on PATH, else `python -m l10nsync`."""
    if arg:
        return shlex.split(arg)
    exe = shutil.which("l10nsync")
    return [exe] if exe else [sys.executable, "-m", "l10nsync"]


def command_env(cmd: list[str]) -> dict[str, str]:
    """Environment for a command; `-m` runs can import the package from this checkout."""
    env = dict(os.environ)
    if "-m" in cmd:
        # The command runs with cwd=translated-content, where the package is not
        # importable unless installed; appending keeps an installed copy winning.
        parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        env["PYTHONPATH"] = os.pathsep.join([*parts, str(REPO_ROOT)])
    return env


def tail(text: str, lines: int = 5) -> str:
    """Last few lines of an error output, for the report."""
    return " | ".join(text.strip().splitlines()[-lines:]) or "(no output)"


def run_timed(cmd: list[str], cwd: Path | None, stdout: IO[bytes] | int, timeout: float) -> float:
    """Run a command once and return its wall time; raise CommandFailed on error."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=command_env(cmd),
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CommandFailed(str(exc)) from exc
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 and not accepted_nonzero(stdout):
        raise CommandFailed(
            f"exit status {proc.returncode}: {tail(proc.stderr.decode(errors='replace'))}"
        )
    return elapsed


def accepted_nonzero(stdout: IO[bytes] | int) -> bool:
    """A status command may exit non-zero to signal stale pages; accept it if it printed JSON."""
    if isinstance(stdout, int):
        return False
    return json_summary(Path(stdout.name)) is not None


def json_summary(path: Path) -> str | None:
    """Describe a JSON output file briefly, or None if it is not valid JSON."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, list):
        return f"valid JSON: list of {len(data)}"
    if isinstance(data, dict):
        sizes = [f"{k}: {len(v)}" for k, v in data.items() if isinstance(v, (list, dict))]
        return "valid JSON: object" + (f" ({', '.join(sizes[:4])})" if sizes else "")
    return "valid JSON: scalar"


def repeat(
    name: str, cmd: list[str], cwd: Path | None, runs: int, timeout: float, check_json: bool = False
) -> Measure:
    """Time ``runs`` executions; with check_json, stdout goes to a file that is then checked."""
    m = Measure(name, shlex.join(cmd))
    try:
        with tempfile.NamedTemporaryFile(prefix="l10nsync-bench-", suffix=".out") as out:
            for _ in range(runs):
                out.seek(0)
                out.truncate()
                m.times.append(
                    run_timed(cmd, cwd, out if check_json else subprocess.DEVNULL, timeout)
                )
            if check_json:
                out.flush()
                m.note = (
                    json_summary(Path(out.name))
                    or "WARNING: stdout is not valid JSON, timing is suspect"
                )
    except CommandFailed as exc:
        m.error = str(exc)
        return m
    m.median = statistics.median(m.times)
    return m


def repeat_warm(name: str, cmd: list[str], cwd: Path, runs: int, timeout: float) -> Measure:
    """Time ``runs`` executions after one untimed priming run that fills l10nsync's cache."""
    warm = repeat(name, cmd, cwd, 1, timeout)  # the priming run, not reported
    if warm.error is None:
        warm = repeat(name, cmd, cwd, runs, timeout, check_json=True)
    return warm


# ---------------------------------------------------------------------------
# Measures
# ---------------------------------------------------------------------------


def translated_pages(translated: Path) -> list[str]:
    """All translated pages, as paths relative to the translations repository."""
    out = subprocess.run(
        ["git", "-C", str(translated), "ls-files", "-z", "--", "files"],
        check=True,
        capture_output=True,
    ).stdout.decode()
    return sorted(
        p for p in out.split("\0") if p.endswith("/index.md") and not p.startswith("files/en-us/")
    )


def source_commit(path: Path) -> str | None:
    """The l10n.sourceCommit recorded in a page's front matter."""
    head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    m = SOURCE_COMMIT.search(head)
    return m.group(1) if m else None


def per_page(
    content: Path, translated: Path, pages: list[str], sample_size: int, runs: int, timeout: float
) -> tuple[Measure, Measure]:
    """Naive approach: one `git rev-list --count` per page, timed on a sample, extrapolated."""
    sample = Random(sample_size).sample(pages, min(sample_size, len(pages)))
    cmds: list[list[str]] = []
    for page in sample:
        sha = source_commit(translated / page)
        if sha:
            english = "files/en-us/" + page.split("/", 2)[2]
            cmds.append(
                ["git", "-C", str(content), "rev-list", "--count", f"{sha}..HEAD", "--", english]
            )
    naive = "git rev-list --count <sourceCommit>..HEAD -- <page>"
    measured = Measure(f"per-page rev-list, {len(cmds)} sampled pages", naive)
    extrapolated = Measure(
        f"per-page rev-list, extrapolated to {len(pages)} pages", measured.command
    )
    failures = 0
    for _ in range(runs):
        total = 0.0
        for cmd in cmds:
            try:
                total += run_timed(cmd, None, subprocess.DEVNULL, timeout)
            except CommandFailed:
                failures += 1  # still timed: the naive script would also have spent the time
        measured.times.append(total)
    if not cmds:
        measured.error = extrapolated.error = "no sampled page has an l10n.sourceCommit"
        return measured, extrapolated
    measured.median = statistics.median(measured.times)
    extrapolated.times = [t / len(cmds) * len(pages) for t in measured.times]
    extrapolated.median = statistics.median(extrapolated.times)
    if failures:
        measured.note = f"{failures} rev-list calls failed"
    return measured, extrapolated


def peak_memory(name: str, cmd: list[str], cwd: Path, method: str, timeout: float) -> Memory:
    """Max RSS of one fresh run, via GNU time -v or getrusage in a fresh interpreter."""
    use_time = method == "time" or (method == "auto" and GNU_TIME.exists())
    try:
        with tempfile.NamedTemporaryFile(prefix="l10nsync-bench-", suffix=".out") as out:
            if use_time:
                return Memory(
                    name,
                    gnu_time_rss(cmd, cwd, out, timeout) / 1024,
                    "GNU time -v: max RSS of "
                    "the process or its largest waited-for child, not a sum",
                )
            return Memory(
                name,
                rusage_rss(cmd, cwd, Path(out.name), timeout) / 1024,
                "getrusage("
                "RUSAGE_CHILDREN) in a fresh python: largest single descendant, not a sum",
            )
    except CommandFailed as exc:
        return Memory(name, None, "GNU time -v" if use_time else "getrusage", str(exc))


def gnu_time_rss(cmd: list[str], cwd: Path, out: IO[bytes], timeout: float) -> float:
    """Max RSS in KiB reported by /usr/bin/time -v."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        run_timed([str(GNU_TIME), "-v", "-o", report.name, *cmd], cwd, out, timeout)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report.read())
    if not m:
        raise CommandFailed("could not parse /usr/bin/time -v output")
    return float(m.group(1))


def rusage_rss(cmd: list[str], cwd: Path, out: Path, timeout: float) -> float:
    """Max RSS in KiB of the command's process tree, from a fresh interpreter."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", RUSAGE_SNIPPET, str(cwd), str(out), *cmd],
            capture_output=True,
            text=True,
            env=command_env(cmd),
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CommandFailed(str(exc)) from exc
    fields = proc.stdout.split()
    if proc.returncode != 0 or len(fields) != 2:
        raise CommandFailed(f"rusage helper failed: {tail(proc.stderr)}")
    if fields[1] != "0" and json_summary(out) is None:
        raise CommandFailed(f"exit status {fields[1]}")
    return float(fields[0])


def tree_memory(
    name: str, cmd: list[str], cwd: Path, timeout: float, interval: float = 0.05
) -> Memory:
    """Peak of the summed RSS of a process and its descendants, sampled from /proc.

    max-RSS figures only show the largest single process; a tool that reads a
    `git log` pipe holds both processes' memory at once, which only a sum shows.
    """
    method = f"sum over the process tree, sampled every {interval * 1000:.0f} ms from /proc"
    if not Path("/proc/self/stat").exists():
        return Memory(name, None, method, "/proc is not available")
    with tempfile.NamedTemporaryFile(prefix="l10nsync-bench-", suffix=".out") as out:
        try:
            proc = subprocess.Popen(
                cmd, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, env=command_env(cmd)
            )
        except OSError as exc:
            return Memory(name, None, method, str(exc))
        peak, deadline = 0, time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            peak = max(peak, tree_rss_kib(proc.pid))
            time.sleep(interval)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            return Memory(name, None, method, "timed out")
        if proc.returncode != 0 and not accepted_nonzero(out):
            return Memory(name, None, method, f"exit status {proc.returncode}")
    return Memory(name, peak / 1024, method)


def tree_rss_kib(root: int) -> int:
    """Current RSS (KiB) of ``root`` plus all its descendants."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue  # the process exited while we looked
        # The command name in stat may contain spaces; fields resume after ')'.
        parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        m = re.search(r"^VmRSS:\s*(\d+)", status, re.M)
        rss[int(entry.name)] = int(m.group(1)) if m else 0
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [child for child, ppid in parent.items() if ppid == pid]
    return total


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def git_output(*args: str) -> str:
    """Stripped stdout of a git command."""
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout.strip()


def fmt_seconds(m: Measure) -> str:
    """Median seconds, or ERROR."""
    return (
        "ERROR" if m.median is None else f"{m.median:.2f}" if m.median < 100 else f"{m.median:,.0f}"
    )


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b when both are known."""
    return a / b if a is not None and b else None


def fmt_ratio(r: float | None) -> str:
    """A ratio as '12.3x', or a dash."""
    return "-" if r is None else f"{r:,.1f}x" if r < 100 else f"{r:,.0f}x"


def table(measures: list[Measure]) -> list[str]:
    """Markdown table rows of medians, each compared with the first measure (the floor)."""
    floor = measures[0].median
    out = ["| measure | median (s) | vs floor |", "|---|---:|---:|"]
    for m in measures:
        out.append(f"| {m.name} | {fmt_seconds(m)} | {fmt_ratio(ratio(m.median, floor))} |")
    return out


def notes_and_errors(measures: list[Measure], memory: list[Memory] | None = None) -> list[str]:
    """The Notes and Errors lists under a table."""
    notes = [f"- {m.name}: {m.note}" for m in measures if m.note]
    errors = [f"- {m.name}: {m.error}" for m in measures if m.error]
    errors += [f"- peak memory, {mem.name}: {mem.error}" for mem in memory or [] if mem.error]
    out: list[str] = []
    if notes:
        out += ["", "Notes:", *notes]
    if errors:
        out += ["", "Errors:", *errors]
    return out


def render(measures: list[Measure], memory: list[Memory], extra: dict[str, Any]) -> str:
    """The Markdown report of the MDN-like data."""
    data = extra["data"]
    out = [
        "## l10nsync benchmark",
        "",
        f"Data: `{data['dir']}`: {data['english_commits']} English commits, "
        f"{data['english_pages']} English pages, {data['translated_pages']} translated pages.  ",
        f"l10nsync command: `{extra['l10nsync']}`; median of {extra['runs']} runs "
        f"(per-page: {extra['per_page_runs']}).",
        "",
        *table(measures),
    ]
    cold = next(m for m in measures if m.name.startswith("l10nsync status, cold"))
    per_page_all = measures[-1]
    speedup = fmt_ratio(ratio(per_page_all.median, cold.median))
    out += ["", f"**per-page approach / l10nsync cold: {speedup}**", ""]
    pairs = data.get("cold_over_floor_pairs") or []
    if pairs:
        out += [
            f"**l10nsync cold / floor, run alternately: {data['cold_over_floor_paired']:.2f}x** "
            f"(median of {len(pairs)} pairs; each pair: "
            f"{', '.join(f'{r:.2f}x' for r in pairs)}; floor runs "
            f"{', '.join(f'{t:.2f}' for t in measures[0].times)} s, cold runs "
            f"{', '.join(f'{t:.2f}' for t in cold.times)} s)",
            "",
        ]
    for mem in memory:
        value = "ERROR" if mem.mb is None else f"{mem.mb:,.0f} MB"
        out.append(f"Peak memory, {mem.name}: **{value}** ({mem.method}).  ")
    return "\n".join(out + notes_and_errors(measures, memory))


def render_history(measures: list[Measure], data: dict[str, Any], extra: dict[str, Any]) -> str:
    """The Markdown report of the git-history-mode data."""
    out = [
        "## l10nsync benchmark: git-history mode",
        "",
        f"Data: `{data['dir']}`: {data['commits']} commits ({data['merges']} merges), "
        f"{data['english_pages']} English pages, {data['translated_pages']} translated pages "
        f"in {data['locales']} locales.  ",
        f"l10nsync command: `{extra['l10nsync']}`, run in `site`; median of {extra['runs']} runs.",
        "",
        *table(measures),
    ]
    return "\n".join(out + notes_and_errors(measures))


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def pick_pages(pages: list[str], n: int = 5) -> list[str]:
    """A fixed, reproducible choice of a few translated pages."""
    return sorted(Random(n).sample(pages, min(n, len(pages))))


def pick_recent_pages(
    content: Path, translated: Path, pages: list[str], n: int = 5, recent: int = 2000
) -> list[str]:
    """A fixed choice of pages whose sourceCommit is among the last ``recent`` English commits.

    The pre-commit case: a localizer has just synced the page, so its marker is recent.
    """
    latest = set(git_output("-C", str(content), "rev-list", f"--max-count={recent}",
                            "HEAD").split())
    synced = []
    for page in pages:
        match = SOURCE_COMMIT.search((translated / page).read_text(encoding="utf-8"))
        if match and match.group(1) in latest:
            synced.append(page)
    return sorted(Random(n).sample(synced, min(n, len(synced))))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "datadir",
        type=Path,
        nargs="?",
        help="directory holding content/ and translated-content/ (from generate_mdn.py)",
    )
    p.add_argument(
        "--history-data",
        type=Path,
        metavar="DIR",
        help="also time git-history mode on DIR/site (from generate_history.py)",
    )
    p.add_argument(
        "--runs", type=int, default=5, help="runs per measure; the median is reported (default 5)"
    )
    p.add_argument(
        "--per-page-runs", type=int, help="runs of the per-page sample (default: --runs)"
    )
    p.add_argument(
        "--pairs", type=int, default=5, help="(floor, cold status) pairs, run alternately; "
        "their medians and the median of the pairs' ratios are reported (default 5)"
    )
    p.add_argument(
        "--sample", type=int, default=200, help="pages in the per-page sample (default 200)"
    )
    p.add_argument(
        "--l10nsync",
        help='l10nsync command, e.g. "python -m l10nsync" (default: l10nsync on PATH, '
        "else python -m l10nsync)",
    )
    p.add_argument(
        "--memory",
        choices=("auto", "time", "rusage"),
        default="auto",
        help="peak-memory method: GNU /usr/bin/time -v, or getrusage (default: time if present)",
    )
    p.add_argument(
        "--timeout", type=float, default=3600, help="seconds before one command counts as failed"
    )
    p.add_argument(
        "--drift-pairs",
        action="store_true",
        help="only time `status` and `status --drift`, cold, alternately (--runs pairs), on "
        "DATADIR",
    )
    p.add_argument(
        "--no-engine",
        action="store_true",
        help="skip the bump and annotate rows (bench_engine.py: paired against status)",
    )
    p.add_argument(
        "--no-hook",
        action="store_true",
        help="skip the pre-commit hook measures (bench_hook.py: check of 5 pages, start-up, "
        "warm dashboard against warm status) on clones of DATADIR",
    )
    p.add_argument("--json", type=Path, help="also write results as JSON to this file")
    args = p.parse_args(argv)
    if args.datadir is None and args.history_data is None:
        p.error("give DATADIR, --history-data DIR, or both")
    if args.runs < 1 or args.sample < 1 or args.pairs < 1:
        p.error("--runs, --pairs and --sample must be at least 1")
    if args.drift_pairs and args.datadir is None:
        p.error("--drift-pairs needs DATADIR")
    return args


def progress(msg: str) -> None:
    """A timestamped progress line on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def check_data(args: argparse.Namespace) -> None:
    """Stop before any timing if a data directory is missing or incomplete."""
    if args.datadir is not None:
        for name in ("content", "translated-content"):
            repo = args.datadir / name
            if not (repo / ".git").exists():
                sys.exit(f"error: {repo} is not a git repository (run generate_mdn.py first)")
    if args.history_data is not None:
        site, summary = args.history_data / "site", args.history_data / HISTORY_SUMMARY
        if not (site / ".git").exists() or not summary.exists():
            sys.exit(
                f"error: {args.history_data} has no site/ repository and {HISTORY_SUMMARY} "
                "(run generate_history.py first)"
            )


def measure_mdn(
    args: argparse.Namespace, tool: list[str]
) -> tuple[list[Measure], list[Memory], dict[str, Any]]:
    """Every measure on the MDN-like pair of repositories, and a description of the data."""
    content = (args.datadir / "content").resolve()
    translated = (args.datadir / "translated-content").resolve()
    runs, pp_runs, timeout = args.runs, args.per_page_runs or args.runs, args.timeout
    pages = translated_pages(translated)
    status = [*tool, "status", "--format", "json"]
    source = ["--source-root", str(content)]
    floor_cmd = ["git", "-C", str(content), "log", "--name-status", "-M", "--", "files/en-us"]

    progress("warming the OS page cache with one untimed git log")
    subprocess.run(floor_cmd, stdout=subprocess.DEVNULL, check=True)
    floor, cold, pair_ratios = floor_and_cold(
        floor_cmd, [*status, "--no-cache", *source], translated, args.pairs, timeout)
    measures = [floor, cold]
    progress("l10nsync warm (one priming run first)")
    measures.append(
        repeat_warm(
            "l10nsync status, warm (cache primed)", [*status, *source], translated, runs, timeout
        )
    )
    progress("l10nsync on 5 pages")
    five = pick_pages(pages)
    measures.append(
        repeat(
            "l10nsync status, 5 pages (`--no-cache`)",
            [*status, "--no-cache", *source, *five],
            translated,
            runs,
            timeout,
            check_json=True,
        )
    )
    recent_five = pick_recent_pages(content, translated, pages)
    measures.append(
        repeat(
            "l10nsync status, 5 recently synced pages (`--no-cache`)",
            [*status, "--no-cache", *source, *recent_five],
            translated,
            runs,
            timeout,
            check_json=True,
        )
    )
    progress("l10nsync on 5 pages, English clone with changed-path Bloom filters")
    with tempfile.TemporaryDirectory(prefix="l10nsync-bloom-") as scratch:
        bloom = Path(scratch) / "content"
        git_output("clone", "--quiet", "--no-checkout", "--local", str(content), str(bloom))
        started = time.perf_counter()
        git_output("-C", str(bloom), "commit-graph", "write", "--reachable", "--changed-paths")
        graph_seconds = time.perf_counter() - started
        with_bloom = repeat(
            "l10nsync status, 5 pages (`--no-cache`), English repo with Bloom filters",
            [*status, "--no-cache", "--source-root", str(bloom), *five],
            translated,
            runs,
            timeout,
            check_json=True,
        )
        with_bloom.note = (f"{with_bloom.note}; " if with_bloom.note else "") + (
            "`git commit-graph write --reachable --changed-paths` in a local clone, once: "
            f"{graph_seconds:.1f} s")
        measures.append(with_bloom)
    progress(f"per-page approach on {args.sample} pages x {pp_runs} runs")
    measures += per_page(content, translated, pages, args.sample, pp_runs, timeout)
    progress("peak memory")
    cold_cmd = [*status, "--no-cache", *source]
    memory = [
        peak_memory("l10nsync status, cold", cold_cmd, translated, args.memory, timeout),
        tree_memory("l10nsync status, cold (process tree)", cold_cmd, translated, timeout),
        peak_memory("git log floor", floor_cmd, translated, args.memory, timeout),
    ]
    data = {
        "dir": str(args.datadir),
        "english_commits": int(git_output("-C", str(content), "rev-list", "--count", "HEAD")),
        "english_pages": sum(
            1
            for p in git_output("-C", str(content), "ls-files", "files/en-us").split()
            if p.endswith("/index.md")
        ),
        "translated_pages": len(pages),
        "five_pages": five,
        "five_recent_pages": recent_five,
        "cold_over_floor_pairs": pair_ratios,
        "cold_over_floor_paired": statistics.median(pair_ratios) if pair_ratios else None,
    }
    return measures, memory, data


def floor_and_cold(
    floor_cmd: list[str], cold_cmd: list[str], translated: Path, pairs: int, timeout: float
) -> tuple[Measure, Measure, list[float]]:
    """The floor and cold ``status``, run alternately (floor, cold, floor, cold, ...) so that
    the machine's drift and the other load on it hit both alike; and each pair's ratio."""
    floor = Measure("floor: `git log --name-status -M -- files/en-us`", shlex.join(floor_cmd))
    cold = Measure("l10nsync status, cold (`--no-cache`)", shlex.join(cold_cmd))
    pair_ratios: list[float] = []
    with tempfile.NamedTemporaryFile(prefix="l10nsync-bench-", suffix=".out") as out:
        for number in range(pairs):
            progress(f"pair {number + 1}/{pairs}: floor, then l10nsync cold")
            out.seek(0)
            out.truncate()
            try:
                floor_seconds = run_timed(floor_cmd, None, subprocess.DEVNULL, timeout)
            except CommandFailed as exc:
                floor.error = str(exc)
                break
            try:
                cold_seconds = run_timed(cold_cmd, translated, out, timeout)
            except CommandFailed as exc:
                cold.error = str(exc)
                break
            out.flush()
            cold.note = json_summary(Path(out.name)) or "WARNING: stdout is not JSON"
            floor.times.append(floor_seconds)
            cold.times.append(cold_seconds)
            pair_ratios.append(cold_seconds / floor_seconds)
    for measure in (floor, cold):
        if measure.times and measure.error is None:
            measure.median = statistics.median(measure.times)
    return floor, cold, pair_ratios


def measure_drift_pairs(
    datadir: Path, tool: list[str], runs: int, timeout: float
) -> tuple[list[Measure], dict[str, Any]]:
    """``status`` and ``status --drift``, both cold, run alternately so that both meet the
    same machine load; medians of ``runs`` each, and the ratio of the medians."""
    content = (datadir / "content").resolve()
    translated = (datadir / "translated-content").resolve()
    status = [*tool, "status", "--format", "json", "--no-cache", "--source-root", str(content)]
    progress("warming the OS page cache with one untimed git log")
    subprocess.run(["git", "-C", str(content), "log", "--name-status", "-M", "--", "files/en-us"],
                   stdout=subprocess.DEVNULL, check=True)
    plain = Measure("l10nsync status, cold (`--no-cache`)", shlex.join(status))
    drift = Measure("l10nsync status --drift, cold (`--no-cache`)", shlex.join([*status,
                                                                                 "--drift"]))
    with tempfile.NamedTemporaryFile(prefix="l10nsync-bench-", suffix=".out") as out:
        for number in range(runs):
            for measure, cmd in ((plain, status), (drift, [*status, "--drift"])):
                progress(f"pair {number + 1}/{runs}: {measure.name}")
                out.seek(0)
                out.truncate()
                try:
                    measure.times.append(run_timed(cmd, translated, out, timeout))
                except CommandFailed as exc:
                    measure.error = str(exc)
                out.flush()
                measure.note = json_summary(Path(out.name)) or "WARNING: stdout is not JSON"
    for measure in (plain, drift):
        if measure.times and measure.error is None:
            measure.median = statistics.median(measure.times)
    return [plain, drift], {"drift_over_status": ratio(drift.median, plain.median)}


def render_drift_pairs(measures: list[Measure], extra: dict[str, Any]) -> str:
    """The paired measures as a Markdown table, every run's time listed."""
    lines = ["| measure | median | runs (s) |", "|---|---:|---|"]
    for m in measures:
        runs = ", ".join(f"{t:.2f}" for t in m.times)
        lines.append(f"| {m.name} | {fmt_seconds(m)} | {runs} |")
    lines.append("")
    over = extra["drift_over_status"]
    lines.append(f"`status --drift` / `status`: {'-' if over is None else f'{over:.2f}x'}")
    lines += notes_and_errors(measures)
    return "\n".join(lines)


def measure_history(
    datadir: Path, tool: list[str], runs: int, timeout: float
) -> tuple[list[Measure], dict[str, Any]]:
    """Git-history mode on one Starlight-like repository: floor, cold and warm status.

    l10nsync runs in the repository itself and reads its ``.l10nsync.toml``.
    """
    site = (datadir / "site").resolve()
    floor_cmd = ["git", "-C", str(site), "log", "--name-status", "-M", "--", HISTORY_DOCS]
    status = [*tool, "status", "--format", "json"]

    progress("history: warming the OS page cache with one untimed git log")
    subprocess.run(floor_cmd, stdout=subprocess.DEVNULL, check=True)
    progress("history: floor: git log")
    measures = [
        repeat(f"floor: `git log --name-status -M -- {HISTORY_DOCS}`", floor_cmd, None, runs,
               timeout)
    ]
    progress("history: l10nsync cold")
    measures.append(
        repeat(
            "l10nsync status, cold (`--no-cache`)",
            [*status, "--no-cache"],
            site,
            runs,
            timeout,
            check_json=True,
        )
    )
    progress("history: l10nsync warm (one priming run first)")
    measures.append(repeat_warm("l10nsync status, warm (cache primed)", status, site, runs,
                                timeout))
    summary = json.loads((datadir / HISTORY_SUMMARY).read_text(encoding="utf-8"))
    data = {
        "dir": str(datadir),
        "commits": int(git_output("-C", str(site), "rev-list", "--count", "HEAD")),
        "merges": int(git_output("-C", str(site), "rev-list", "--merges", "--count", "HEAD")),
        "english_pages": summary["english"]["pages"],
        "translated_pages": summary["translations"]["files"],
        "locales": len(summary["translations"]["per_locale"]),
    }
    return measures, data


def main(argv: list[str] | None = None) -> int:
    """Run every measure and print the report."""
    args = parse_args(argv)
    check_data(args)
    tool = l10nsync_command(args.l10nsync)
    common = {"machine": machine_info(), "l10nsync": shlex.join(tool), "runs": args.runs}
    reports: list[str] = []
    result: dict[str, Any] = dict(common)
    if args.drift_pairs:
        pairs, extra = measure_drift_pairs(args.datadir, tool, args.runs, args.timeout)
        print("\n\n".join([render_drift_pairs(pairs, extra), render_machine(common["machine"])]))
        if args.json:
            result.update(extra, measures=[asdict(m) for m in pairs])
            args.json.write_text(json.dumps(result, indent=2) + "\n")
        return 0
    if args.datadir is not None:
        measures, memory, data = measure_mdn(args, tool)
        extra = {"data": data, **common, "per_page_runs": args.per_page_runs or args.runs}
        reports.append(render(measures, memory, extra))
        cold, per_page_all = measures[1], measures[-1]
        result = {
            **extra,
            "measures": [asdict(m) for m in measures],
            "memory": [asdict(m) for m in memory],
            "floor_seconds": measures[0].median,
            "per_page_over_cold": ratio(per_page_all.median, cold.median),
            "cold_over_floor_paired": data["cold_over_floor_paired"],
        }
        if not args.no_engine:
            progress("bump and annotate, paired against status (bench_engine.py)")
            engine_rows = bench_engine.measure(args.datadir, runs=args.runs, tool=tool)
            reports.append("One engine: bump and annotate against status (paired)\n\n"
                           + bench_engine.render(engine_rows))
            result["engine"] = engine_rows
        if not args.no_hook:
            progress("pre-commit hook, start-up, warm dashboard (bench_hook.py)")
            hook = bench_hook.measure_hook(args.datadir, tool, runs=args.runs,
                                           timeout=args.timeout)
            reports.append("## The pre-commit hook and start-up\n\n"
                           + bench_hook.render_hook(hook))
            result["hook"] = hook
    if args.history_data is not None:
        history, data = measure_history(args.history_data, tool, args.runs, args.timeout)
        reports.append(render_history(history, data, common))
        floor_s, cold_s, warm_s = (m.median for m in history)
        result["history"] = {
            "data": data,
            "measures": [asdict(m) for m in history],
            "floor_seconds": floor_s,
            "cold_over_floor": ratio(cold_s, floor_s),
            "warm_over_floor": ratio(warm_s, floor_s),
        }
    print("\n\n".join([*reports, render_machine(common["machine"])]))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
