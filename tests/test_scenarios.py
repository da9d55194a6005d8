"""Every fixture scenario, built into real repositories, gives the statuses it declares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES

SCENARIOS = sorted(path.stem for path in FIXTURES.glob("*.toml"))


def check_expectation(path: str, page: dict[str, Any], expected: dict[str, Any]) -> None:
    """Compare one page of the JSON report with a scenario's ``expect`` table."""
    for key, value in expected.items():
        if key == "message":
            assert value in (page["message"] or ""), (path, page)
        elif value == "null":
            assert page[key] is None, (path, key, page)
        else:
            assert page[key] == value, (path, key, page)


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_statuses(name: str, scenario_status: Any) -> None:
    built, pages = scenario_status(name)
    assert built.expectations, f"{name} declares no expectations"
    for expectation in built.expectations:
        assert expectation.path in pages, f"{expectation.path} missing from the report"
        check_expectation(expectation.path, pages[expectation.path], dict(expectation.fields))
    # Every translated page in the scenario is reported, none invented.
    declared = {e.path for e in built.expectations}
    assert declared <= set(pages)


def test_demo_scenario_statuses(scenario_status: Any) -> None:
    from l10nsync.scenario import load_scenario

    demo = Path(__file__).resolve().parent.parent / "l10nsync" / "scenarios" / "demo.toml"
    built, pages = scenario_status(load_scenario(demo))
    for expectation in built.expectations:
        check_expectation(expectation.path, pages[expectation.path], dict(expectation.fields))
