"""The cache entry format (cache/store.py): marshal data behind a key and a SHA-256."""

from __future__ import annotations

from pathlib import Path

from l10nsync.cache.store import cache_key, load_entry, store_entry


def test_cache_entry_round_trip_and_key_mismatch(tmp_path: Path) -> None:
    path = tmp_path / "entry.bin"
    key = cache_key("a", 1)
    assert store_entry(path, key, {"x": [1, 2, (3, "é")]})
    assert load_entry(path, key) == {"x": [1, 2, (3, "é")]}
    assert load_entry(path, cache_key("a", 2)) is None
    assert load_entry(tmp_path / "missing.bin", key) is None
