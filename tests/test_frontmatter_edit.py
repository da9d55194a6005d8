"""editing: front matter edits change the marker's bytes and nothing else, or refuse."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10nsync.errors import L10nSyncError
from l10nsync.frontmatter import parse_front_matter
from l10nsync.frontmatter_edit import EditError, remove_key, set_key, set_marker, write_atomically

KEY = "l10n.sourceCommit"
NEW = "0123456789abcdef0123456789abcdef01234567"  # all digits first: an octal int to YAML 1.1
BODY = "\nTexte.\n\nsourceCommit: deadbeef\n\n---\n\nl10n:\n  sourceCommit: cafebabe\n"


def page(front: str, body: str = BODY) -> bytes:
    return f"---\n{front}---\n{body}".encode()


def marker_of(data: bytes, key: str = KEY) -> str | None:
    result = parse_front_matter(data, key)
    assert result.error is None
    return result.marker


# --- setting an existing marker -----------------------------------------------------------------


MDN = "title: Cache\nslug: Glossary/Cache\nl10n:\n  sourceCommit: abcdef1\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(page(MDN), page(MDN.replace("abcdef1", NEW)), id="mdn"),
        pytest.param(
            page(MDN).replace(b"\n", b"\r\n"),
            page(MDN.replace("abcdef1", NEW)).replace(b"\n", b"\r\n"),
            id="crlf",
        ),
        pytest.param(
            b"\xef\xbb\xbf" + page(MDN), b"\xef\xbb\xbf" + page(MDN.replace("abcdef1", NEW)),
            id="bom",
        ),
        pytest.param(
            page(MDN, "Texte sans fin de ligne"),
            page(MDN.replace("abcdef1", NEW), "Texte sans fin de ligne"),
            id="no-final-newline",
        ),
        pytest.param(
            page('l10n:\n  sourceCommit: "abcdef1"\n'), page(f'l10n:\n  sourceCommit: "{NEW}"\n'),
            id="double-quoted",
        ),
        pytest.param(
            page("l10n:\n  sourceCommit: 'abcdef1'\n"), page(f"l10n:\n  sourceCommit: '{NEW}'\n"),
            id="single-quoted",
        ),
        pytest.param(
            page("# top\ntitle: Cache # title\nl10n:\n  # why\n  sourceCommit: abcdef1 # note\n"),
            page(f"# top\ntitle: Cache # title\nl10n:\n  # why\n  sourceCommit: {NEW} # note\n"),
            id="comments",
        ),
        pytest.param(
            page("l10n:\n  sourceCommit: abcdef1\n  other: x\npage-type: guide\n"),
            page(f"l10n:\n  sourceCommit: {NEW}\n  other: x\npage-type: guide\n"),
            id="keys-after",
        ),
        pytest.param(
            page("l10n:\n    sourceCommit: abcdef1\n"), page(f"l10n:\n    sourceCommit: {NEW}\n"),
            id="four-spaces",
        ),
        pytest.param(
            page("l10n:\n  sourceCommit:\nslug: s\n"),
            page(f"l10n:\n  sourceCommit: {NEW}\nslug: s\n"),
            id="empty-value",
        ),
        pytest.param(
            page("l10n:\n  sourceCommit: # to do\n"),
            page(f"l10n:\n  sourceCommit: {NEW} # to do\n"),
            id="empty-value-with-comment",
        ),
        pytest.param(
            page("l10n:\n  sourceCommit:\n    abcdef1\n"),
            page(f"l10n:\n  sourceCommit:\n    {NEW}\n"),
            id="value-on-next-line",
        ),
    ],
)
def test_set_marker_changes_only_the_value(before: bytes, after: bytes) -> None:
    assert set_marker(before, KEY, NEW) == after
    assert marker_of(after) == NEW


def test_set_marker_leaves_the_body_alone() -> None:
    data = page(MDN)
    result = set_marker(data, KEY, NEW)
    assert result.endswith(BODY.encode())
    assert b"deadbeef" in result
    assert b"cafebabe" in result


def test_set_marker_with_the_value_it_has_returns_the_input() -> None:
    data = page(MDN.replace("abcdef1", NEW)).replace(b"\n", b"\r\n")
    assert set_marker(data, KEY, NEW) == data


# --- adding a missing marker --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            page("title: Cache\nslug: Glossary/Cache\npage-type: glossary\n"),
            page(f"title: Cache\nslug: Glossary/Cache\nl10n:\n  sourceCommit: {NEW}\n"
                 "page-type: glossary\n"),
            id="after-slug",
        ),
        pytest.param(
            page("title: Cache\nslug: Glossary/Cache\n").replace(b"\n", b"\r\n"),
            page(f"title: Cache\nslug: Glossary/Cache\nl10n:\n  sourceCommit: {NEW}\n")
            .replace(b"\n", b"\r\n"),
            id="crlf",
        ),
        pytest.param(
            page("title: Cache\n# last\n"),
            page(f"title: Cache\n# last\nl10n:\n  sourceCommit: {NEW}\n"),
            id="no-slug-end-of-block",
        ),
        pytest.param(
            page("title: Cache\nl10n:\n  other: x\n  # comment\nslug: s\n"),
            page(f"title: Cache\nl10n:\n  other: x\n  sourceCommit: {NEW}\n  # comment\nslug: s\n"),
            id="l10n-without-marker",
        ),
        pytest.param(
            page("l10n:\n    other: x\n"), page(f"l10n:\n    other: x\n    sourceCommit: {NEW}\n"),
            id="l10n-four-spaces",
        ),
        pytest.param(
            page("meta:\n    lang: fr\nslug: s\n"),
            page(f"meta:\n    lang: fr\nslug: s\nl10n:\n    sourceCommit: {NEW}\n"),
            id="page-indentation",
        ),
        pytest.param(
            page("title: Cache\nl10n:\nslug: s\n"),
            page(f"title: Cache\nl10n:\n  sourceCommit: {NEW}\nslug: s\n"),
            id="empty-l10n",
        ),
        pytest.param(page(""), page(f"l10n:\n  sourceCommit: {NEW}\n"), id="empty-block"),
        pytest.param(
            page("title: x\nnotes: |\n  some text\n\n  more\nslug: s\n"),
            page(f"title: x\nnotes: |\n  some text\n\n  more\nslug: s\n"
                 f"l10n:\n  sourceCommit: {NEW}\n"),
            id="block-scalar-before",
        ),
        pytest.param(
            page("slug: s\ntags:\n  - a\n  - b\n"),
            page(f"slug: s\nl10n:\n  sourceCommit: {NEW}\ntags:\n  - a\n  - b\n"),
            id="list-after",
        ),
    ],
)
def test_set_marker_adds_a_missing_marker(before: bytes, after: bytes) -> None:
    assert set_marker(before, KEY, NEW) == after
    assert marker_of(after) == NEW


def test_set_marker_adds_a_top_level_key_after_slug() -> None:
    before = page("title: Cache\nslug: Glossary/Cache\nl10n:\n  sourceCommit: abcdef1\n")
    after = set_marker(before, "default_lang_commit", NEW)
    assert after == page(
        f"title: Cache\nslug: Glossary/Cache\ndefault_lang_commit: {NEW}\n"
        "l10n:\n  sourceCommit: abcdef1\n"
    )
    assert marker_of(after, "default_lang_commit") == NEW
    assert set_marker(after, "default_lang_commit", "abc1234") == page(
        "title: Cache\nslug: Glossary/Cache\ndefault_lang_commit: abc1234\n"
        "l10n:\n  sourceCommit: abcdef1\n"
    )


def test_insert_after_names_another_key() -> None:
    before = page("title: Cache\nslug: s\n")
    assert set_marker(before, KEY, NEW, insert_after="title") == page(
        f"title: Cache\nl10n:\n  sourceCommit: {NEW}\nslug: s\n"
    )


def test_set_key_writes_other_scalars() -> None:
    before = page(MDN)
    after = set_key(before, "drifted_from_default", "true")
    assert after == page(MDN.replace("Cache\nl10n", "Cache\ndrifted_from_default: true\nl10n"))
    assert set_key(after, "drifted_from_default", "true") == after
    assert set_key(before, "l10n.outdated_since", "abc1234") == page(
        MDN + "  outdated_since: abc1234\n"
    )


# --- removing keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "key", "after"),
    [
        pytest.param(page(MDN), KEY, page("title: Cache\nslug: Glossary/Cache\n"), id="last-child"),
        pytest.param(
            page("l10n:\n  sourceCommit: abc1 # x\n  other: y\nslug: s\n").replace(b"\n", b"\r\n"),
            KEY,
            page("l10n:\n  other: y\nslug: s\n").replace(b"\n", b"\r\n"),
            id="one-of-two-crlf",
        ),
        pytest.param(page(MDN), "l10n", page("title: Cache\nslug: Glossary/Cache\n"), id="parent"),
        pytest.param(page(MDN), "title", page(MDN.replace("title: Cache\n", "")), id="top-level"),
        pytest.param(
            page("a:\n  b:\n    c: 1\nslug: s\n"), "a.b.c", page("slug: s\n"), id="empty-chain",
        ),
        pytest.param(
            page("notes: |\n  text\n\n  more\nslug: s\n"), "notes", page("slug: s\n"),
            id="block-scalar",
        ),
        pytest.param(page(MDN), "l10n.missing", page(MDN), id="missing-child"),
        pytest.param(page(MDN), "missing", page(MDN), id="missing"),
        pytest.param(page("l10n: abc\n"), KEY, page("l10n: abc\n"), id="parent-is-scalar"),
    ],
)
def test_remove_key(before: bytes, key: str, after: bytes) -> None:
    assert remove_key(before, key) == after


def test_remove_key_then_set_key_restores_the_page() -> None:
    data = page("title: Cache\nslug: Glossary/Cache\nl10n:\n  sourceCommit: abcdef1\ntags: x\n")
    assert set_key(remove_key(data, KEY), KEY, "abcdef1") == data


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(page("l10n: {sourceCommit: abc1234}\n"), "line 2: 'l10n' is written in flow",
                     id="flow-parent"),
        pytest.param(page("{title: x}\n"), "line 2: the front matter is written in flow",
                     id="flow-root"),
        pytest.param(page("title: x\ntags: [a,\n"), "invalid YAML front matter: line 4:",
                     id="invalid-yaml"),
        pytest.param(page("title: x\n  bad: indent\n"), "invalid YAML front matter: line 3:",
                     id="bad-indentation"),
        pytest.param(page("- a\n- b\n"), "line 2: the front matter is not a mapping", id="list"),
        pytest.param(page("just text\n"), "line 2: the front matter is not a mapping",
                     id="scalar"),
        pytest.param(b"# Titre\n\nTexte.\n", "no front matter block", id="no-block"),
        pytest.param(b"---\ntitle: x\n", "not closed by a '---' line", id="unclosed"),
        pytest.param(b"---\ntitle: \xff\n---\n", "not UTF-8 text (byte 11)", id="not-utf8"),
        pytest.param(page("l10n: abc\n"), "line 2: 'l10n' is not a mapping", id="parent-scalar"),
        pytest.param(page("l10n: ~\n"), "line 2: 'l10n' is not a mapping", id="parent-null"),
        pytest.param(page("l10n:\n  - a\n"), "line 3: 'l10n' is not a mapping", id="parent-list"),
        pytest.param(page("l10n:\n  sourceCommit: [a]\n"), "holds a list", id="marker-list"),
        pytest.param(page("l10n:\n  sourceCommit:\n    a: b\n"), "holds a mapping",
                     id="marker-mapping"),
        pytest.param(page("l10n:\n  sourceCommit: |\n    abc\n"), "is a block scalar",
                     id="block-scalar"),
        pytest.param(page("l10n:\n  sourceCommit: !!str abc\n"), "tag or anchor", id="tag"),
        pytest.param(page("a: &x abc\nl10n:\n  sourceCommit: *x\n"), "line 4: 'l10n.sourceCommit'"
                     " is an alias (*x)", id="alias"),
        pytest.param(page("l10n:\n  sourceCommit: abc\n    def\n"), "spans several lines",
                     id="multi-line"),
        pytest.param(page("l10n:\n  sourceCommit: a\n  sourceCommit: b\n"),
                     "line 4: 'l10n.sourceCommit' is given twice", id="duplicate"),
        pytest.param(page("l10n:\n  sourceCommit: abc\nl10n:\n  x: y\n"),
                     "line 4: 'l10n' is given twice", id="duplicate-parent"),
    ],
)
def test_set_marker_refuses_what_it_cannot_edit_safely(data: bytes, message: str) -> None:
    with pytest.raises(EditError) as caught:
        set_marker(data, KEY, NEW)
    assert message in str(caught.value)


def test_edit_errors_are_front_matter_errors_for_the_cli() -> None:
    with pytest.raises(L10nSyncError):
        set_marker(page("l10n: {sourceCommit: abc}\n"), KEY, NEW)


@pytest.mark.parametrize("value", ["", "abc def", "a:b", "'abc'", "-abc", "abc\n"])
def test_values_that_would_need_quoting_are_refused(value: str) -> None:
    with pytest.raises(EditError, match="not a plain word"):
        set_marker(page(MDN), KEY, value)


@pytest.mark.parametrize("key", ["", "l10n.", "a b", "l10n..x", "#x"])
def test_keys_must_be_plain_names(key: str) -> None:
    with pytest.raises(EditError, match="is not a key name"):
        set_key(page(MDN), key, "abc")


@pytest.mark.parametrize("value", ["null", "NULL", "Null"])
def test_a_value_that_does_not_read_back_is_refused(value: str) -> None:
    with pytest.raises(EditError, match="would not read back"):
        set_marker(page(MDN), KEY, value)


def test_remove_key_refuses_flow_style_and_invalid_yaml() -> None:
    with pytest.raises(EditError, match="flow style"):
        remove_key(page("l10n: {sourceCommit: abc}\n"), KEY)
    with pytest.raises(EditError, match="line 3"):
        remove_key(page("title: x\n  bad: indent\n"), KEY)


def test_remove_key_refuses_to_break_an_alias() -> None:
    data = page("a: &x abc\nb: *x\n")
    with pytest.raises(EditError, match="would break the front matter"):
        remove_key(data, "a")


# --- properties over generated pages ------------------------------------------------------------

HEX = st.text(alphabet="0123456789abcdef", min_size=7, max_size=40)
EXTRAS = {  # extra top-level entries; "{i}" is the page's indentation
    "page-type": ["page-type: web-api-interface"],
    "status": ["status:", "{i}- experimental"],
    "browser-compat": ["browser-compat: api.Cache # bcd"],
    "meta": ["meta:", "{i}lang: fr", "{i}quoted: 'a # b'"],
    "spec-urls": ['spec-urls: "https://example.com/#x"'],
}
COMMENTS = ["# a comment", "  # an indented comment", "#"]
BODY_LINES = ["", "Texte.", "sourceCommit: deadbeef0", "---", "l10n:", "  sourceCommit: 1234567"]


@dataclass(frozen=True)
class Generated:
    data: bytes
    key: str
    old: str | None  # the marker's value, None when the page has no marker
    newline: str
    width: int
    has_slug: bool
    l10n_shape: str
    has_meta: bool


@st.composite
def generated_pages(draw: st.DrawFn) -> Generated:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    width = draw(st.integers(1, 4))
    indent = " " * width
    key = draw(st.sampled_from([KEY, "default_lang_commit"]))
    quote = draw(st.sampled_from(["", "'", '"']))
    old = draw(HEX)
    trailing = draw(st.sampled_from(["", " # note", "   #"]))
    shape = draw(st.sampled_from(["missing", "marker", "other", "marker+other", "other+marker"]))
    has_slug = draw(st.booleans())
    has_top_marker = draw(st.booleans())
    extras = draw(st.permutations(sorted(EXTRAS)))
    split = draw(st.integers(0, len(extras)))
    before, after = extras[:split], extras[split:]
    before = before[: draw(st.integers(0, len(before)))]
    after = after[: draw(st.integers(0, len(after)))]

    l10n_old = old if key == KEY else "feedface0"
    lines = ["title: Cache"]
    for name in before:
        lines += [line.format(i=indent) for line in EXTRAS[name]]
    if has_slug:
        lines.append("slug: Web/API/Cache")
    if shape != "missing":
        lines.append("l10n:")
        for part in shape.split("+"):
            if part == "marker":
                lines.append(f"{indent}sourceCommit: {quote}{l10n_old}{quote}{trailing}")
            else:
                lines.append(f"{indent}other: value")
    if has_top_marker:
        value = old if key != KEY else "feedface0"
        lines.append(f"default_lang_commit: {quote}{value}{quote}{trailing}")
    for name in after:
        lines += [line.format(i=indent) for line in EXTRAS[name]]
    # Comments anywhere between lines, and blank lines, are part of the block's bytes.
    with_comments: list[str] = []
    for line in lines:
        with_comments.append(line)
        if draw(st.integers(0, 4)) == 0:
            with_comments.append(draw(st.sampled_from([*COMMENTS, ""])))
    body = draw(st.lists(st.sampled_from(BODY_LINES), max_size=6))
    text = "---" + newline + newline.join(with_comments) + newline + "---"
    if body:
        text += newline + newline.join(body)
    if draw(st.booleans()):
        text += newline
    bom = "\ufeff" if draw(st.booleans()) else ""
    has_marker = ("marker" in shape) if key == KEY else has_top_marker
    return Generated(
        (bom + text).encode(), key, old if has_marker else None, newline, width, has_slug, shape,
        "meta" in before + after,
    )


def differing_lines(before: bytes, after: bytes) -> tuple[int, list[bytes], list[bytes]]:
    """Trim the lines both have in common at the start and at the end; return what is left."""
    a, b = before.split(b"\n"), after.split(b"\n")
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]


PROPERTY_SETTINGS = settings(max_examples=300, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(generated_pages(), HEX)
def test_set_marker_changes_exactly_the_marker(page: Generated, new: str) -> None:
    result = set_marker(page.data, page.key, new)
    assert marker_of(result, page.key) == new
    assert set_marker(result, page.key, new) == result
    if page.old == new:
        assert result == page.data
        return
    line_start, removed, added = differing_lines(page.data, result)
    cr = b"\r" if page.newline == "\r\n" else b""
    if page.old is not None:
        # One line differs, and only in the value: put the old value back and it is the input.
        assert len(removed) == 1
        assert len(added) == 1
        assert added[0].replace(new.encode(), page.old.encode()) == removed[0]
        return
    assert removed == []
    before_lines = page.data.split(b"\n")
    if page.key != KEY:
        assert added == [f"default_lang_commit: {new}".encode() + cr]
        anchor = b"slug: Web/API/Cache" if page.has_slug else None
    elif page.l10n_shape == "other":
        assert added == [f"{' ' * page.width}sourceCommit: {new}".encode() + cr]
        anchor = f"{' ' * page.width}other: value".encode()
    else:
        unit = page.width if page.has_meta else 2
        assert added == [b"l10n:" + cr, f"{' ' * unit}sourceCommit: {new}".encode() + cr]
        anchor = b"slug: Web/API/Cache" if page.has_slug else None
    if anchor is not None:  # right after the slug line, or after the parent's last child
        assert before_lines[line_start - 1] == anchor + cr
    else:  # at the end of the block
        assert before_lines[line_start].rstrip(b"\r") == b"---"


@PROPERTY_SETTINGS
@given(generated_pages(), HEX)
def test_remove_key_and_set_key_round_trip(page: Generated, new: str) -> None:
    removed = remove_key(page.data, page.key)
    assert marker_of(removed, page.key) is None
    _, gone, added = differing_lines(page.data, removed)
    assert added == []
    if page.old is None:
        assert removed == page.data
    else:
        assert gone, "the marker line is removed"
        assert b": " in gone[-1]
        assert page.old.encode() in gone[-1]
    # Adding the key to a page without it, then removing it, gives that page back byte for byte.
    restored = set_key(removed, page.key, new)
    assert marker_of(restored, page.key) == new
    assert remove_key(restored, page.key) == removed
    assert remove_key(removed, page.key) == removed


@PROPERTY_SETTINGS
@given(generated_pages())
def test_setting_the_old_value_back_is_a_no_op(page: Generated) -> None:
    if page.old is not None:
        assert set_marker(page.data, page.key, page.old) == page.data


# --- writing files ------------------------------------------------------------------------------


def test_write_atomically_replaces_the_content_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "index.md"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    write_atomically(path, b"new\r\ncontent")
    assert path.read_bytes() == b"new\r\ncontent"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.md"]


def test_write_atomically_creates_a_missing_file_with_the_usual_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.md"
    write_atomically(path, b"content")
    assert path.read_bytes() == b"content"
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_write_atomically_into_a_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "missing" / "index.md", b"x")
    assert list(tmp_path.iterdir()) == []


def test_write_atomically_failure_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index.md"
    path.write_bytes(b"original")

    def fail(source: str, target: str) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk on fire"):
        write_atomically(path, b"new")
    assert path.read_bytes() == b"original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.md"]


def test_write_atomically_onto_a_folder_fails_cleanly(tmp_path: Path) -> None:
    (tmp_path / "index.md").mkdir()
    with pytest.raises(OSError):
        write_atomically(tmp_path / "index.md", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.md"]


# Pieces of front matter, plain and odd, that the two YAML parsers are compared on. No tab
# and no byte order mark: text holding one is read by the pure-Python parser only.
YAML_PIECES = [
    "title: ", '"quoted \\" x"', "'single ''q'''", "plain text", "非同期", "😀 emoji", "é",
    "\n", "\r\n", "\r", "  ", "    ", "# comment", "l10n:\n  sourceCommit: abc", "- item",
    "key: [a, b]", "k: {a: 1}", "|\n  block\n", ">-\n  folded\n", "\x85", "\u2028",
    "a: &x 1\nb: *x", "slug: Web/API", "---", "...", "!!str 5", "? complex\n: value",
    'x: "multi\n  line"', "y: plain\n  continued", "%YAML 1.1\n---\n", "\\", ":", ",", "&a",
    "*a", "- - x\n", "  - y\n",
]
_END_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.DocumentEndEvent,
               yaml.StreamEndEvent)


def _event_facts(loader: Any, source: str) -> list[tuple[Any, ...]] | None:
    """What editing takes from each event (None when the text is not valid YAML)."""
    try:
        events = list(yaml.parse(source, Loader=loader))
        yaml.compose(source, Loader=loader)
    except yaml.YAMLError:
        return None
    return [(type(e).__name__, e.start_mark.index, e.end_mark.index,
             None if isinstance(e, _END_EVENTS) else e.start_mark.line,
             getattr(e, "value", None), getattr(e, "style", None) or None,
             getattr(e, "tag", None), getattr(e, "anchor", None),
             bool(getattr(e, "flow_style", None)), getattr(e, "explicit", None))
            for e in events]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(YAML_PIECES), min_size=1, max_size=14))
def test_libyaml_reads_front_matter_as_the_pure_parser_does(pieces: list[str]) -> None:
    """Editing reads front matter with libyaml when it can: it must accept, refuse and place
    every node exactly as the pure-Python parser does, or edits would land elsewhere."""
    source = "".join(pieces) + "\n"
    assert _event_facts(yaml.CSafeLoader, source) == _event_facts(yaml.SafeLoader, source)


# --- the simple-shape path agrees with the YAML path --------------------------------------------

# Lines of front matter, most of the simple shape (annotate's pages), some not: the simple path
# must answer only where the YAML path gives the same bytes, and leave the rest to it.
_SIMPLE_KEYS = st.sampled_from(["title", "slug", "outdated", "l10n", "sourceCommit", "other"])
_SIMPLE_VALUES = st.sampled_from([
    "", "true", "false", "abc1234", "Web/API/Cache", "'true'", '"true"', "'q'", '"a b"', "null",
    "~", "x #c", "a: b", "[1]", "&a x", "*a", "|", "é ü", "1e3", "  spaced", "true  ", "'it''s'",
])
_SIMPLE_LINES = st.one_of(
    st.tuples(st.sampled_from(["", "", "", "  ", "    ", " "]), _SIMPLE_KEYS, _SIMPLE_VALUES).map(
        lambda t: f"{t[0]}{t[1]}:{' ' + t[2] if t[2] else ''}"),
    st.sampled_from(["", "# comment", "  # indented", "- item", "...", "  continued", "\t",
                     "outdated: true\ttab", "x: \ufeff", "title: a\u2028b", "key : v"]),
)


@st.composite
def simple_pages(draw: st.DrawFn) -> bytes:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = draw(st.lists(_SIMPLE_LINES, max_size=7))
    opening = "---" + draw(st.sampled_from(["", "", " ", "----"])) + newline
    opening += newline * draw(st.integers(0, 2))  # blank lines the boundary takes
    body = draw(st.sampled_from(["", "Texte.", "outdated: true\nslug: x", "---\ntitle: y"]))
    bom = "\ufeff" if draw(st.booleans()) else ""
    text = bom + opening + "".join(line + newline for line in lines) + "---" + newline + body
    return text.replace("\n", newline).replace("\r\r\n", "\r\n").encode()


def _outcome(edit: Any, *args: Any, **options: Any) -> bytes | str:
    try:
        return bytes(edit(*args, **options))
    except EditError as error:
        return f"EditError: {error}"


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(simple_pages(), st.sampled_from(["outdated", "slug", "title", "l10n", "sourceCommit"]),
       st.sampled_from([None, "true", "0123abc", "null", "Web/API", "Web/CSS/:hover", "a:"]),
       st.sampled_from(["slug", "title", "outdated", "l10n"]))
def test_the_simple_path_gives_the_yaml_paths_bytes(data: bytes, key: str, value: str | None,
                                                    insert_after: str) -> None:
    """Where the text-level edit answers, the YAML path gives the same bytes (never an error);
    set_key and remove_key give what the YAML path gives, whichever path answered."""
    from l10nsync import frontmatter_edit as edit

    parts = (key,)
    quick = edit._simple_edit(data, parts, value, insert_after)
    if value is None:
        slow = _outcome(edit._remove_key_yaml, data, key, parts)
        assert _outcome(remove_key, data, key) == slow
    else:
        slow = _outcome(edit._set_scalar_yaml, data, parts, value, insert_after)
        if edit._VALUE.fullmatch(value):
            assert _outcome(set_key, data, key, value, insert_after=insert_after) == slow
    if quick is not None:
        assert quick == slow, data


def test_the_simple_path_takes_annotates_pages() -> None:
    """The pages annotate meets are answered without YAML: a key added after the slug, an
    absent key removed, a key that holds the value already."""
    from l10nsync import frontmatter_edit as edit

    mdn = page(MDN, "Texte.\n")
    added = edit._simple_edit(mdn, ("outdated",), "true", "slug")
    assert added == page(MDN.replace("Cache\nl10n", "Cache\noutdated: true\nl10n"), "Texte.\n")
    assert edit._simple_edit(mdn, ("outdated",), None, "") == mdn
    assert added is not None and edit._simple_edit(added, ("outdated",), "true", "slug") == added
    assert edit._simple_edit(added, ("outdated",), None, "") == mdn
    crlf = mdn.replace(b"\n", b"\r\n")
    assert edit._simple_edit(crlf, ("outdated",), "true", "slug") == added.replace(b"\n", b"\r\n")
