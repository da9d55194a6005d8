#!/usr/bin/env python3
"""Benchmark UI-string dictionaries: 50 locales x a 2,000-key dictionary, 5,000 commits.

Generates (once) a Starlight-shaped repository through one ``git fast-import`` stream:
``src/content/i18n/en.json`` with 2,000 nested keys and a translation per locale, in history
mode (no markers). A third of the commits change a few English values (some only reorder or
reindent the file); the rest bring one locale's dictionary up to date with English, leaving a
few keys out.

Then times ``l10nsync status --no-cache`` (cold: no l10nsync cache; JSON and table) against
``git log`` over the 51 dictionary files: ``--raw`` (names and blob ids only, the floor: what
l10nsync reads of the history) and ``-p`` (the text of every change, what a person reads to
find changed keys by hand). The commands alternate within each round and medians are taken;
the results are printed (and with --json written) with the machine they ran on.

Standard library only:

    python benchmarks/bench_dictionaries.py /tmp/dictbench            # generate and measure
    python benchmarks/bench_dictionaries.py /tmp/dictbench --runs 5 --json results.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from random import Random

# Running this file as a script puts its folder on sys.path.
from benchlib import (
    FastImport,
    checkout,
    git_env,
    init_repo,
    machine_info,
    medians,
    modify,
    paired_times,
    render_machine,
    timed,
)

AUTHOR = b"Dictionary Bench <bench@l10nsync.invalid>"
EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z
LOCALES = 50
KEYS = 2_000
COMMITS = 5_000
ENGLISH_SHARE = 3  # every third commit is an English one
GROUP = 40  # keys per top-level group: "group17.key3"


def locale_codes() -> list[str]:
    """50 made-up but well-formed locale codes, a few regional ones among them."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    codes = [f"{letters[i % 26]}{letters[i // 26 + 3]}" for i in range(LOCALES)]
    return [f"{code}-x{i}" if i % 10 == 9 else code for i, code in enumerate(codes)]


def dictionary_text(values: dict[str, str], indent: int | None, order: list[str]) -> bytes:
    """A nested JSON dictionary in the given key order and indentation."""
    tree: dict[str, dict[str, str]] = {}
    for key in order:
        if key in values:
            group, name = key.split(".")
            tree.setdefault(group, {})[name] = values[key]
    return (json.dumps(tree, ensure_ascii=False, indent=indent) + "\n").encode()


def generate(site: Path, seed: int) -> dict[str, int]:
    """Write the repository; return what it holds."""
    rng = Random(seed)
    locales = locale_codes()
    init_repo(site)
    stream = FastImport(site, author=AUTHOR)
    parents: list[int] = []

    def commit(message: str, files: dict[str, bytes]) -> None:
        """One commit on main, ten minutes after the one before."""
        when = EPOCH + stream.next_mark * 600
        changes = [modify(path, content) for path, content in files.items()]
        parents[:] = [stream.commit(b"refs/heads/main", when, message, parents, changes)]

    keys = [f"group{i // GROUP}.key{i % GROUP}" for i in range(KEYS)]
    english = {key: f"English text {number} of the interface" for number, key in
               enumerate(keys)}
    order = list(keys)
    config = (
        'layout = "src/content/docs/{locale}/{path}"\nsource_at_root = true\n'
        'source_locale = "en"\npage_names = ["*.md"]\n'
        f"locales = {json.dumps(locales)}\n"
        'dictionaries = ["src/content/i18n/{locale}.json"]\n'
    )
    commit("Add the site", {
        ".l10nsync.toml": config.encode(),
        "src/content/docs/index.md": b"---\ntitle: Home\n---\n\nWelcome.\n",
        "src/content/i18n/en.json": dictionary_text(english, 2, order),
    })
    counts = {"english_commits": 1, "translation_commits": 0, "reformat_commits": 0}
    for number in range(1, COMMITS):
        if number % ENGLISH_SHARE == 0:
            if rng.random() < 0.05:  # reorder and reindent only: no value changes
                rng.shuffle(order)
                text = dictionary_text(english, rng.choice((None, 2, 4)), order)
                counts["reformat_commits"] += 1
                message = "UI strings: reformat"
            else:
                for key in rng.sample(keys, 5):
                    english[key] = f"{english[key].split(' (')[0]} (rev {number})"
                text = dictionary_text(english, 2, order)
                message = "UI strings: reword"
            commit(message, {"src/content/i18n/en.json": text})
            counts["english_commits"] += 1
        else:
            locale = locales[number % LOCALES]
            left_out = set(rng.sample(keys, 3))
            values = {key: f"[{locale}] {value}" for key, value in english.items()
                      if key not in left_out}
            commit(f"{locale}: update the UI strings", {
                f"src/content/i18n/{locale}.json": dictionary_text(values, 2, keys)})
            counts["translation_commits"] += 1
    stream.close()
    checkout(site)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where the repository is (or will be) made")
    parser.add_argument("--runs", type=int, default=5, help="pairs of timed runs (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="generate again")
    parser.add_argument("--l10nsync", default=f"{sys.executable} -m l10nsync",
                        help="the command to time (default: this Python's l10nsync)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()
    site = options.folder / "site"
    if options.force and site.exists():
        shutil.rmtree(site)
    generated: dict[str, object] = {}
    if not site.exists():
        started = time.perf_counter()
        generated = dict(generate(site, options.seed))
        generated["seconds"] = round(time.perf_counter() - started, 1)
        print(f"generated {site} in {generated['seconds']} s: {generated}")
    files = ["src/content/i18n/en.json",
             *(f"src/content/i18n/{locale}.json" for locale in locale_codes())]
    status = [*options.l10nsync.split(), "status", "--no-cache", "--format", "json"]
    commands = {
        "status_json": status,
        "git_log_raw": ["git", "log", "--raw", "--no-abbrev", "-M", "HEAD", "--", *files],
        "status_table": status[:-2],
        "git_log_patch": ["git", "log", "-p", "-M", "HEAD", "--", *files],
    }
    # As installed by pip, the package's bytecode is on disk: the unmeasured first run writes
    # it, where PYTHONDONTWRITEBYTECODE would have every timed run compile l10nsync again.
    env = git_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for command in commands.values():  # one unmeasured run each: all start with a warm disk cache
        timed(command, site, env)
    # Paired: the commands alternate within each round.
    times = paired_times(commands, options.runs, lambda name: timed(commands[name], site, env))
    middle = medians(times)
    result: dict[str, object] = {
        "machine": render_machine(machine_info()),
        "locales": LOCALES, "keys": KEYS, "commits": COMMITS,
        "seconds": {name: [round(t, 3) for t in found] for name, found in times.items()},
        "medians": middle,
        "status_json_over_git_log_raw": round(middle["status_json"] / middle["git_log_raw"], 2),
        "status_json_over_git_log_patch": round(middle["status_json"]
                                                / middle["git_log_patch"], 2),
        "generated": generated,
    }
    document = json.loads(subprocess.run(status, cwd=site, check=True, capture_output=True,
                                         env=git_env()).stdout)
    result["dictionaries_judged"] = len(document["dictionaries"])
    result["keys_judged"] = sum(len(entry["keys"]) for entry in document["dictionaries"])
    print(json.dumps(result, indent=2))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
