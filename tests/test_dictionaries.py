"""UI-string dictionaries on real repositories shaped like Starlight (JSON, nested keys, history
mode), Astro docs (YAML, in-file markers) and Hugo (TOML): each key's status, diff, check, bad
input, and the pure rule on literal records."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from l10nsync.dictformats import Dictionary
from l10nsync.dictionaries import judge_keys
from l10nsync.model import KeyStatus
from l10nsync.scenario import _fill, load_scenario
from tests.conftest import FIXTURES

DICTIONARY_SCENARIOS = sorted(path.stem for path in FIXTURES.glob("dictionaries_*.toml"))


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def dictionaries_of(result: Any) -> dict[str, dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    return {entry["path"]: entry for entry in result.json()["dictionaries"]}


def key_statuses(entry: dict[str, Any]) -> dict[str, str]:
    return {key["key"]: key["status"] for key in entry["keys"]}


@pytest.mark.parametrize("name", DICTIONARY_SCENARIOS)
def test_each_key_has_the_status_the_scenario_declares(name: str, build: Any, cli: Any) -> None:
    scenario = load_scenario(FIXTURES / f"{name}.toml")
    built = build(scenario)
    args = ["status", "--format", "json", "--no-cache"]
    if built.source_root != built.translated_root:
        args += ["--source-root", str(built.source_root)]
    found = dictionaries_of(cli(*args, cwd=built.translated_root))
    expected = _fill(scenario["expect_dictionary"], built.shas)
    assert expected
    for entry in expected:
        assert entry["path"] in found, (entry["path"], sorted(found))
        record = found[entry["path"]]
        for field, value in entry.items():
            if field == "keys":
                assert key_statuses(record) == value, entry["path"]
            elif field == "summary":
                assert {k: v for k, v in record["summary"].items() if v} == value
            elif field == "error":
                assert value in (record["error"] or ""), record
            elif field != "path":
                assert record[field] == value, (entry["path"], field, record)
