"""JavaScript object literals read without running them (jsliteral.py), as in
lunaria.config.ts and docusaurus.config.js. Whole sites in test_lunaria_sites.py."""

from __future__ import annotations

import pytest

from l10nsync.errors import ConfigError
from l10nsync.jsliteral import SPREAD, Unreadable, read_exported_object


def test_javascript_literals() -> None:
    data = read_exported_object("""
        /** @type {import('x').Config} */
        const config = {
          a: 'it\\'s', "b-c": [1, 2.5, -3, true, null], d: `plain`, e: `with ${x}`,
          f: someVariable, g() { return 1 }, [computed]: 1, h: { i: 'j' } as const,
          k: 'x' + y,
        };
        module.exports = config;
    """, "docusaurus.config.js")
    assert data["a"] == "it's"
    assert data["b-c"] == [1, 2.5, -3, True, None]
    assert data["d"] == "plain"
    assert data["h"] == {"i": "j"}
    for key in ("e", "f", "g", "k"):
        assert isinstance(data[key], Unreadable), key
    assert isinstance(data[SPREAD][0], Unreadable)
    with pytest.raises(ConfigError, match="no exported config object"):
        read_exported_object("const a = 1;", "lunaria.config.ts")
