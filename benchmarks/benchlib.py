"""What the benchmark scripts share: git without the user's configuration, the fast-import
writer, the text pools of the generators, their command line, and the machine and timing
helpers of the measuring scripts.

Standard library only. The scripts import it as ``benchlib``: running ``python
benchmarks/x.py`` puts this folder on ``sys.path``.

The generators' output depends on everything here that touches a random stream or a commit
(the order of ``rng`` calls, the identity, the bytes of a fast-import command): a change here
that changes a generated commit SHA changes the data every published benchmark ran on.
Check with ``git -C OUTDIR/content rev-parse main`` before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from random import Random
from typing import IO, Any

# ---------------------------------------------------------------------------
# git
# ---------------------------------------------------------------------------

# git must not read the user's or the system's configuration (hooks, templates, autocrlf...).
GIT_ENVIRONMENT = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
# The identity of every generated commit: part of each commit's SHA, so it never changes.
AUTHOR = b"MDN Bench Bot <bench@l10nsync.invalid>"


def git_env() -> dict[str, str]:
    """This process's environment with git's configuration shut out."""
    return {**os.environ, **GIT_ENVIRONMENT}


def init_repo(path: Path) -> None:
    """Create an empty repository whose HEAD is refs/heads/main."""
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True, env=git_env())


def checkout(path: Path) -> None:
    """Populate the working tree of a freshly imported repository."""
    subprocess.run(["git", "-C", str(path), "checkout", "-q", "-f", "main"], check=True,
                   env=git_env())


def git_count(repo: Path, *args: str) -> int:
    """Run a git command that prints a number."""
    return int(
        subprocess.run(
            ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
            env=git_env(),
        ).stdout
    )


# ---------------------------------------------------------------------------
# fast-import
# ---------------------------------------------------------------------------


def modify(path: str, content: str | bytes) -> bytes:
    """fast-import 'M' command with inline data."""
    data = content.encode() if isinstance(content, str) else content
    return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)


def delete(path: str) -> bytes:
    """fast-import 'D' command."""
    return b"D %s\n" % path.encode()


def rename(old: str, new: str) -> bytes:
    """fast-import 'R' command (content kept byte-identical)."""
    return b"R %s %s\n" % (old.encode(), new.encode())


class FastImport:
    """One streaming ``git fast-import`` process writing into a repository."""

    def __init__(self, repo: Path, marks: Path | None = None, author: bytes = AUTHOR) -> None:
        """Start fast-import; its input is a pipe we write commands into."""
        cmd = ["git", "-C", str(repo), "fast-import", "--quiet", "--done"]
        if marks is not None:
            cmd.append(f"--export-marks={marks}")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, env=git_env())
        assert self.proc.stdin is not None
        self.out: IO[bytes] = self.proc.stdin
        self.author = author
        self.next_mark = 1

    def commit(
        self, ref: bytes, when: int, message: str, parents: list[int], changes: Iterable[bytes]
    ) -> int:
        """Write one commit (author and committer the same, at ``when`` UTC); changes are
        streamed, so they may be a generator. Returns the commit's mark."""
        mark = self.next_mark
        self.next_mark += 1
        msg = message.encode()
        who = self.author
        head = [
            b"commit %s\nmark :%d\n" % (ref, mark),
            b"author %s %d +0000\ncommitter %s %d +0000\n" % (who, when, who, when),
            b"data %d\n%s\n" % (len(msg), msg),
        ]
        if parents:
            head.append(b"from :%d\n" % parents[0])
            head += [b"merge :%d\n" % p for p in parents[1:]]
        self.out.write(b"".join(head))
        for change in changes:
            self.out.write(change)
        self.out.write(b"\n")
        return mark

    def close(self) -> None:
        """Finish the stream and fail loudly if fast-import did."""
        self.out.write(b"done\n")
        self.out.close()
        if self.proc.wait() != 0:
            raise RuntimeError(f"git fast-import failed with exit code {self.proc.returncode}")


def read_marks(path: Path) -> dict[int, str]:
    """Parse an --export-marks file into {mark: sha}."""
    marks: dict[int, str] = {}
    for line in path.read_text().splitlines():
        mark, sha = line.split()
        marks[int(mark[1:])] = sha
    return marks


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


def words(text: str) -> tuple[str, ...]:
    """Split a whitespace-separated vocabulary string."""
    return tuple(text.split())


YAML_SPECIAL = {"on", "off", "yes", "no", "true", "false", "null", "y", "n", "~"}


def yaml_str(value: str) -> str:
    """Quote a front-matter scalar when YAML would otherwise misread it (e.g. "404", "On")."""
    special = value.lower() in YAML_SPECIAL or value.replace(".", "", 1).isdigit()
    if special or ": " in value or value[:1] in "'\"{[&*!|>%@`#-" or value.endswith(":"):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


SCRIPTS: dict[str, tuple[str, str]] = {
    # locale -> (alphabet, word separator); CJK text has no spaces between words.
    "ja": ("".join(map(chr, range(0x3041, 0x3094))) + "".join(map(chr, range(0x4E00, 0x4E80))), ""),
    "zh-cn": ("".join(map(chr, range(0x4E00, 0x4F80))), ""),
    "zh-tw": ("".join(map(chr, range(0x5000, 0x5180))), ""),
    "ko": ("".join(map(chr, range(0xAC00, 0xAD80))), " "),
    "ru": ("абвгдеёжзийклмнопрстуфхцчшщыьэюя", " "),
    "fr": ("abcdefghijlmnopqrstuvéèàçêû", " "),
    "es": ("abcdefghijlmnopqrstuvyzáéíóúñ", " "),
    "pt-br": ("abcdefghijlmnopqrstuvzãõçéáí", " "),
}


def locale_pools(rng: Random, script: tuple[str, str]) -> tuple[list[str], list[str]]:
    """600 made-up words in a script (alphabet, separator) and 1,500 sentences of them."""
    alphabet, sep = script
    short = sep == ""
    pool = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3) if short else
                                                     rng.randint(2, 9)))
        for _ in range(600)
    ]
    end = "。" if short else "."
    sentences = [
        (sep.join(rng.choice(pool) for _ in range(rng.randint(6, 18))) + end).capitalize()
        for _ in range(1500)
    ]
    return pool, sentences


class ProseText:
    """English prose from a pre-built pool of sentences, so page generation stays cheap.

    A generator's text class says how a sentence is made (``_sentence``) and how a link to
    another page is written (``link``).
    """

    def __init__(self, rng: Random, pool_size: int) -> None:
        """Pre-build the sentence pool."""
        self.rng = rng
        self.sentences = [self._sentence() for _ in range(pool_size)]

    def _sentence(self) -> str:
        raise NotImplementedError

    def link(self, target: str) -> str:
        """A Markdown link to the page ``target``."""
        raise NotImplementedError

    def paragraph(self, links: list[str]) -> str:
        """A paragraph of 2-5 sentences on one line, sometimes linking to another page."""
        rng = self.rng
        text = " ".join(rng.choice(self.sentences) for _ in range(rng.randint(2, 5)))
        if links and rng.random() < 0.3:
            text += f" See {self.link(rng.choice(links))} for details."
        return text


# ---------------------------------------------------------------------------
# A generator's command line
# ---------------------------------------------------------------------------


def scaled_sizes(full: Mapping[str, int], scale: float) -> dict[str, int]:
    """Scale every size, keeping at least one of each."""
    return {k: max(1, round(v * scale)) for k, v in full.items()}


def generator_arguments(
    doc: str, outdir_help: str, scale_help: str, force_help: str, argv: list[str] | None
) -> argparse.Namespace:
    """OUTDIR, --scale, --seed and --force, as every generator takes them."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("outdir", type=Path, help=outdir_help)
    parser.add_argument("--scale", type=float, default=1.0, help=scale_help)
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true", help=force_help)
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    return args


def prepare_outdir(outdir: Path, names: Iterable[str], force: bool) -> None:
    """Refuse to overwrite the repositories OUTDIR/NAME unless --force is given."""
    for name in names:
        target = outdir / name
        if target.exists():
            if not force:
                sys.exit(f"error: {target} exists; pass --force to replace it")
            shutil.rmtree(target)
    outdir.mkdir(parents=True, exist_ok=True)


def write_summary(outdir: Path, summary: Mapping[str, object]) -> None:
    """OUTDIR/generate-summary.json, which run_benchmark.py reads."""
    (outdir / "generate-summary.json").write_text(json.dumps(summary, indent=2) + "\n")


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


def timed(command: list[str], cwd: Path | None, env: Mapping[str, str] | None = None) -> float:
    """Wall seconds of one run of ``command`` (its output thrown away); fails if it fails."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   env=dict(env) if env is not None else git_env())
    return time.perf_counter() - started


def paired_times(
    names: Iterable[str], runs: int, run_one: Callable[[str], float]
) -> dict[str, list[float]]:
    """``runs`` rounds in which every named measure runs once, in turn: paired, so that all
    of them meet the same machine load. Compare their medians (``statistics.median``)."""
    order = list(names)
    times: dict[str, list[float]] = {name: [] for name in order}
    for _ in range(runs):
        for name in order:
            times[name].append(run_one(name))
    return times


def medians(times: Mapping[str, list[float]], digits: int = 3) -> dict[str, float]:
    """The median of each measure's times, rounded."""
    return {name: round(statistics.median(found), digits) for name, found in times.items()}


def machine_info() -> dict[str, Any]:
    """Where the numbers were measured."""
    cpu = "unknown"
    mem_kb = 0
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^(?:model name|Hardware|cpu model)\s*:\s*(.+)$", cpuinfo, re.M)
        cpu = m.group(1).strip() if m else cpu
        m = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        mem_kb = int(m.group(1)) if m else 0
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    git = subprocess.run(["git", "--version"], check=True, capture_output=True, text=True,
                         env=git_env()).stdout.strip()
    return {
        "nproc": nproc,
        "cpu": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "git": git.removeprefix("git version "),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def render_machine(mach: Mapping[str, Any]) -> str:
    """Where the numbers were measured, as one line."""
    return (
        f"Machine: {mach['nproc']} CPUs (nproc), {mach['cpu']}, {mach['ram_gib']} GiB RAM, "
        f"git {mach['git']}, Python {mach['python']}, {mach['platform']}."
    )
