"""The history rules on literal records: ancestry, rename following and counting, without git."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from l10nsync.history import (
    History,
    RawChange,
    ancestor_sets,
    follow_page,
    index_changes,
    is_ancestor,
    number_commits,
    path_at_commit,
    path_forward_at,
    state_at,
)


def make_history(
    lines: list[str], changes: dict[str, list[RawChange]], head: dict[str, str]
) -> History:
    commits, parents = number_commits(lines)
    history = History(commits=commits, parents=parents)
    history.changes = index_changes(changes.items(), history.position)
    history.head_blobs = head
    return history


def test_number_commits_keeps_topological_order_and_drops_unknown_parents() -> None:
    commits, parents = number_commits(["a", "b a", "c a", "d b c", "e d zzz"])
    assert commits == ["a", "b", "c", "d", "e"]
    assert parents == [(), (0,), (0,), (1, 2), (3,)]


def test_ancestor_sets_on_a_merge() -> None:
    # a - b - d - e     (c is a side branch from a, merged at d)
    #  \     /
    #   c ---
    _commits, parents = number_commits(["a", "b a", "c a", "d b c", "e d"])
    sets = ancestor_sets(parents, {1, 2, 4})
    assert [is_ancestor(n, sets[1]) for n in range(5)] == [True, True, False, False, False]
    assert [is_ancestor(n, sets[2]) for n in range(5)] == [True, False, True, False, False]
    assert all(is_ancestor(n, sets[4]) for n in range(5))


@given(st.lists(st.lists(st.integers(min_value=0, max_value=1000), max_size=2), min_size=1,
                max_size=40))
def test_ancestor_sets_match_a_plain_walk(raw_parents: list[list[int]]) -> None:
    # Any DAG numbered in topological order: parents point to earlier commits.
    parents = [tuple(sorted({p % n for p in ps})) if n else () for n, ps in enumerate(raw_parents)]
    sets = ancestor_sets(parents, range(len(parents)))
    for commit in range(len(parents)):
        seen, todo = set(), [commit]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(parents[current])
        assert {n for n in range(len(parents)) if is_ancestor(n, sets[commit])} == seen


def test_resolve_prefixes() -> None:
    history = History(commits=["abc1234000", "abc1299000", "ffff000000"], parents=[(), (0,), (1,)])
    assert history.resolve("abc12340") == ("abc1234000", False)
    assert history.resolve("ABC1234") == ("abc1234000", False)
    assert history.resolve("abc12") == (None, True)
    assert history.resolve("0000000") == (None, False)


LINEAR = ["c0", "c1 c0", "c2 c1", "c3 c2", "c4 c3", "c5 c4"]


def test_follow_counts_edits_and_ignores_pure_renames() -> None:
    history = make_history(
        LINEAR,
        {
            "c0": [RawChange("A", "p/a", new_blob="b0")],
            "c1": [RawChange("M", "p/a", new_blob="b1")],
            "c2": [RawChange("R", "p/b", "p/a", "b1", "b1", 100)],
            "c3": [RawChange("M", "p/b", new_blob="b3")],
            "c4": [RawChange("R", "p/c", "p/b", "b3", "b4", 80)],
        },
        {"p/c": "b4"},
    )
    sets = ancestor_sets(history.parents, {0, 2})
    lineage = follow_page(history, "p/a", sets[0])
    assert lineage.path_now == "p/c"
    assert sorted(lineage.changing_commits) == [1, 3, 4]
    assert path_at_commit(history, "p/c", sets[0]) == "p/a"
    assert path_at_commit(history, "p/c", sets[2]) == "p/b"
    assert state_at(history, "p/b", sets[2]) is not None
    assert state_at(history, "p/a", sets[2]) is None
    # From a name the page left, forward to where it was at a commit.
    assert path_forward_at(history, "p/a", sets[2]) == "p/b"
    assert path_forward_at(history, "p/a", sets[0]) == "p/a"
    assert path_forward_at(history, "p/x", sets[2]) is None


def test_deleted_page_is_not_confused_with_a_later_page() -> None:
    history = make_history(
        LINEAR,
        {
            "c0": [RawChange("A", "p/old", new_blob="same")],
            "c1": [RawChange("D", "p/old", old_blob="same")],
            "c2": [RawChange("A", "p/new", new_blob="same")],
        },
        {"p/new": "same"},
    )
    sets = ancestor_sets(history.parents, {0})
    lineage = follow_page(history, "p/old", sets[0])
    assert lineage.path_now is None
    assert lineage.last_path == "p/old"
    assert path_at_commit(history, "p/new", sets[0]) is None


def test_name_taken_by_another_page_after_a_rename_is_not_counted() -> None:
    history = make_history(
        LINEAR,
        {
            "c0": [RawChange("A", "p/a", new_blob="x")],
            "c1": [RawChange("R", "p/b", "p/a", "x", "x", 100)],
            "c2": [RawChange("A", "p/a", new_blob="unrelated")],
            "c3": [RawChange("M", "p/a", new_blob="unrelated2")],
        },
        {"p/b": "x", "p/a": "unrelated2"},
    )
    sets = ancestor_sets(history.parents, {0})
    lineage = follow_page(history, "p/a", sets[0])
    assert lineage.path_now == "p/b"
    assert lineage.changing_commits == frozenset()


def test_side_branch_edit_of_the_old_name_merged_after_the_rename_counts() -> None:
    # c0 adds p/a; c1 (main) renames it to p/b; c2 (side, from c0) edits p/a; c3 merges.
    history = make_history(
        ["c0", "c1 c0", "c2 c0", "c3 c1 c2"],
        {
            "c0": [RawChange("A", "p/a", new_blob="x")],
            "c1": [RawChange("R", "p/b", "p/a", "x", "x", 100)],
            "c2": [RawChange("M", "p/a", new_blob="y")],
        },
        {"p/b": "y"},
    )
    sets = ancestor_sets(history.parents, {0})
    lineage = follow_page(history, "p/a", sets[0])
    assert lineage.path_now == "p/b"
    assert lineage.changing_commits == frozenset({2})
