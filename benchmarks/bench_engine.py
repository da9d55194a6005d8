"""One history engine for every command: ``bump`` and ``annotate`` against ``status``.

Paired measures on the MDN-size pair (see generate_mdn.py), each command alternated with
the one it is compared with so that the machine's drift hits both:

- ``bump --dry-run`` of N pages of one locale, cold (no cache), against cold ``status`` of
  that whole locale and of the same N pages;
- ``annotate --dry-run`` over every page with the cache warm, against warm ``status``.

The translations repository is cloned into a scratch folder first, so that the caches these
runs write (and remove) never touch DATADIR. Standard library only.

    python benchmarks/bench_engine.py DATADIR [--runs 5] [--pages 2000] [--locale ja]
                                      [--only annotate]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import paired_times

HERE = Path(__file__).resolve().parent


def l10nsync_command(given: str | None) -> list[str]:
    """The command that runs l10nsync: as given, on PATH, or ``python -m l10nsync``."""
    if given:
        return shlex.split(given)
    found = shutil.which("l10nsync")
    return [found] if found else [sys.executable, "-m", "l10nsync"]


def timed(cmd: list[str], cwd: Path, *, before: Any = None) -> float:
    """Seconds one run takes (``before`` runs first, untimed); exit codes 0 to 2 are results."""
    if before is not None:
        before()
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1, 2):
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"{shlex.join(cmd[:4])}... exited {done.returncode}: {tail}")
    return elapsed


def paired(name: str, measured: list[str], baseline_name: str, baseline: list[str], cwd: Path,
           runs: int, before: Any = None) -> dict[str, Any]:
    """Alternate the two commands ``runs`` times: medians, and the median of pair ratios."""
    commands = {"baseline": baseline, "measured": measured}
    times = paired_times(commands, runs, lambda key: timed(commands[key], cwd, before=before))
    mine, theirs = times["measured"], times["baseline"]
    return {
        "name": name,
        "baseline": baseline_name,
        "median": statistics.median(mine),
        "baseline_median": statistics.median(theirs),
        "pair_ratios": [round(a / b, 3) for a, b in zip(mine, theirs, strict=True)],
        "ratio": statistics.median(a / b for a, b in zip(mine, theirs, strict=True)),
        "times": [round(t, 3) for t in mine],
        "baseline_times": [round(t, 3) for t in theirs],
    }


def locale_pages(translated: Path, locale: str, count: int) -> list[str]:
    """The first ``count`` pages of a locale, in path order (as git lists them)."""
    listed = subprocess.run(["git", "-C", str(translated), "ls-files", "-z", "--",
                             f"files/{locale}"], capture_output=True, check=True).stdout
    pages = sorted(p for p in listed.decode().split("\0") if p.endswith("/index.md"))
    return pages[:count]


def measure(datadir: Path, *, runs: int = 5, pages: int = 2000, locale: str = "ja",
            tool: list[str] | None = None, scratch: Path | None = None,
            only: str | None = None) -> list[dict[str, Any]]:
    """Every row of this module (or only the ``bump`` or ``annotate`` ones), measured on a
    scratch clone of DATADIR's translations."""
    tool = tool or l10nsync_command(None)
    content = (datadir / "content").resolve()
    with tempfile.TemporaryDirectory(prefix="l10nsync-engine-", dir=scratch) as folder:
        translated = Path(folder) / "translated-content"
        subprocess.run(["git", "clone", "--quiet", "--local", str(datadir / "translated-content"),
                        str(translated)], check=True)
        cache = translated / ".git" / "l10nsync"
        source = ["--source-root", str(content)]

        def no_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        named = locale_pages(translated, locale, pages)
        bump = [*tool, "bump", "--dry-run", *source, *named]
        rows = [] if only == "annotate" else [
            paired(f"`bump --dry-run` of {len(named)} {locale} pages, cold", bump,
                   f"`status --format json` of files/{locale}, cold",
                   [*tool, "status", "--format", "json", *source, f"files/{locale}"],
                   translated, runs, no_cache),
            paired(f"`bump --dry-run` of {len(named)} {locale} pages, cold", bump,
                   f"`status --format json` of the same {len(named)} pages, cold",
                   [*tool, "status", "--format", "json", *source, *named],
                   translated, runs, no_cache),
        ]
        if only == "bump":
            return rows
        status = [*tool, "status", "--format", "json", *source]
        timed(status, translated)  # fills the cache: the runs below are warm
        rows.append(paired("`annotate --dry-run --key outdated` over every page, warm",
                           [*tool, "annotate", "--dry-run", "--key", "outdated", *source],
                           "`status --format json`, warm", status, translated, runs))
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    """A Markdown table of the paired rows."""
    lines = ["| measure | median | compared with | its median | ratio (median of pairs) |",
             "|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['name']} | {row['median']:.2f} s | {row['baseline']} | "
                     f"{row['baseline_median']:.2f} s | {row['ratio']:.2f}x "
                     f"({', '.join(f'{r:.2f}' for r in row['pair_ratios'])}) |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datadir", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--locale", default="ja")
    parser.add_argument("--l10nsync", default=None, help="the command to run (default: PATH)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--only", choices=["bump", "annotate"], default=None,
                        help="only these rows (default: all)")
    args = parser.parse_args(argv)
    rows = measure(args.datadir, runs=args.runs, pages=args.pages, locale=args.locale,
                   tool=l10nsync_command(args.l10nsync), only=args.only)
    print(render(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
