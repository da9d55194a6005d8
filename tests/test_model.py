"""The vocabulary (model.py) on literal records: a report's priority order."""

from __future__ import annotations

from typing import Any


def test_priority_formula_and_tie_breakers() -> None:
    from l10nsync.model import Drift, Report, SortOrder, Status, Verdict

    def page(path: str, status: Status, behind: int | None = None,
             ratio: float | None = None) -> Verdict:
        return Verdict(path, "fr", None, status, commits_behind=behind, change_ratio=ratio)

    pages = (
        page("a", Status.UP_TO_DATE, 0),
        page("b", Status.OUTDATED, 3, 0.2),
        page("c", Status.OUTDATED, 9, 0.1),
        page("d", Status.OUTDATED, 1, 0.1),
        page("e", Status.MOVED),
        page("f", Status.OUTDATED, 2, 0.5),
    )
    drift = {"a": Drift(0.4, ("{{Compat}}",), ()), "b": Drift(0.0, (), ()),
             "c": Drift(0.1, ("```js",), ()), "d": Drift(0.1, ("```js",), ())}
    popularity = {"a": 0.5, "b": 1.0, "c": 1.0, "d": 1.0, "e": 2.0, "f": None}
    report = Report("", "", pages, drift=drift, popularity=popularity)
    assert report.priority_of(pages[0]) == 0.5 * (0 + 0.4)
    assert report.priority_of(pages[1]) == 1.0 * (0.2 + 0.0)
    ordered = [p.path for p in report.sorted_by(SortOrder.priority).pages]
    # b, c and d tie on 0.2: most commits behind first (same popularity and status);
    # a then; e and f have no priority: e is the more popular, f is not in the file.
    assert ordered == ["c", "b", "d", "a", "e", "f"]
    assert [p.path for p in replace_popularity(report).sorted_by(SortOrder.priority).pages] == [
        "f", "a", "c", "b", "d", "e"]


def replace_popularity(report: Any) -> Any:
    """The report as if no popularity file was given: every page weighs 1."""
    from dataclasses import replace

    return replace(report, popularity=None)
