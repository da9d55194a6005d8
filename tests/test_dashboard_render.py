"""The dashboard site: files, data scripts, and the safety of what reaches the browser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from l10nsync.model import DiffCommit, DiffHunk, PageDiff, Report, SectionRef, Status, Verdict
from l10nsync.render.dashboard import oldest_change_date, write_dashboard
from l10nsync.render.json import render_json

HEAD = "c" * 40
MARKER = "a" * 40
GENERATED_AT = "2024-06-02T08:00:00+00:00"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
HOSTILE = "files/fr/web/html/element/img/index.md"
SCRIPTED = "files/ja/web/html/element/script/index.md"
QUOTED = 'files/ja/glossary/"quoted"/index.md'
CAFE = "files/fr/glossary/café/index.md"
POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:"


def page(path: str, status: Status, **fields: Any) -> Verdict:
    locale = path.split("/")[1]
    source = path.replace(f"files/{locale}/", "files/en-us/")
    return Verdict(path=path, locale=locale, source_path=source, status=status, **fields)


def make_report() -> Report:
    pages = [
        page(CAFE, Status.OUTDATED, source_commit=MARKER, commits_behind=3, change_ratio=0.25,
             title="Café", message="3 English commits since the translation"),
        page("files/fr/glossary/cache/index.md", Status.UP_TO_DATE, source_commit=HEAD,
             commits_behind=0, change_ratio=0.0, title="Cache"),
        page(HOSTILE, Status.OUTDATED, source_commit=MARKER, commits_behind=1, change_ratio=0.5,
             title=IMG),
        page("files/fr/glossary/gone/index.md", Status.ORPHANED, title="Gone",
             message="the English page was deleted"),
        page("files/fr/glossary/new/index.md", Status.UNTRANSLATED),
        page("files/ja/glossary/moved/index.md", Status.MOVED, moved_to="files/en-us/other",
             title="移動"),
        page(QUOTED, Status.MISSING_SOURCE_COMMIT, title='"Quoted" & <b>bold</b>'),
        page(SCRIPTED, Status.OUTDATED, source_commit=MARKER, commits_behind=2,
             change_ratio=0.1, title=SCRIPT),
        page("files/ja/glossary/bad/index.md", Status.INVALID_SOURCE_COMMIT, source_commit="zz"),
        page("files/ja/glossary/unknown/index.md", Status.UNKNOWN_SOURCE_COMMIT,
             source_commit="b" * 40),
        page("files/ja/glossary/broken/index.md", Status.INVALID_FRONT_MATTER,
             message="front matter is not YAML"),
        page("files/ja/glossary/fine/index.md", Status.UP_TO_DATE, source_commit=HEAD,
             commits_behind=0, change_ratio=0.0, title="Fine"),
    ]
    return Report(source_root="/repos/content", source_head=HEAD,
                  pages=tuple(sorted(pages, key=lambda p: p.path)),
                  notes=("2 commits were ignored (.git-blame-ignore-revs)",), english_pages=8)


def commit(sha_char: str, date: str, subject: str, *, counted: bool = True) -> DiffCommit:
    return DiffCommit(sha=sha_char * 40, date=date, subject=subject, counted=counted)


def make_diff(path: str, commits: tuple[DiffCommit, ...]) -> PageDiff:
    source = path.replace(f"files/{path.split('/')[1]}/", "files/en-us/")
    return PageDiff(
        path=path, status=Status.OUTDATED, source_path=source, current_path=source,
        source_commit=MARKER, head_commit=HEAD, moved_to=None, commits=commits,
        hunks=(
            DiffHunk(old_start=3, old_lines=2, new_start=3, new_lines=3,
                     lines=(" context", f"-old {IMG}", "+new line", "+another"),
                     translation_section=SectionRef(heading="Syntaxe", start_line=10,
                                                    end_line=20, score=0.91),
                     best_score=0.91),
            DiffHunk(old_start=40, old_lines=1, new_start=41, new_lines=1,
                     lines=("-gone", "+here"), translation_section=None, best_score=0.3),
        ),
        change_ratio=0.25,
    )


def make_details() -> dict[str, PageDiff]:
    return {
        # The earliest commit is not counted; of the counted ones the earliest instant is the
        # one written with a +05:00 offset, although its text sorts after the other's.
        CAFE: make_diff(CAFE, (
            commit("1", "2024-05-01T10:00:00+00:00", "Newest"),
            commit("2", "2024-03-01T01:00:00+05:00", "Earliest counted"),
            commit("3", "2024-02-29T22:00:00+00:00", "Later than it looks"),
            commit("4", "2023-01-01T00:00:00+00:00", "Whitespace only", counted=False),
        )),
        HOSTILE: make_diff(HOSTILE, (commit("5", "2024-04-01T00:00:00Z", SCRIPT),)),
        SCRIPTED: make_diff(SCRIPTED, (commit("6", "2024-01-01T00:00:00+00:00", "x",
                                              counted=False),)),
        "files/de/not/in/report/index.md": make_diff("files/de/not/in/report/index.md", ()),
    }


def parse_script(text: str) -> tuple[str, str | None, Any]:
    """(target, key or None, value) of a data script, checking it holds nothing else."""
    decoder = json.JSONDecoder()
    lines = text.splitlines()
    assert text.endswith(";\n")
    if len(lines) == 1:
        target, _, rest = lines[0].partition(" = ")
        value, end = decoder.raw_decode(rest)
        assert rest[end:] == ";"
        return target, None, value
    store, statement = lines
    target = store.split(" = ")[0]
    assert store == f"{target} = {target} || Object.create(null);"
    assert statement.startswith(f"{target}[")
    key, end = decoder.raw_decode(statement, len(target) + 1)
    assert statement[end:end + 4] == "] = "
    value, end = decoder.raw_decode(statement, end + 4)
    assert statement[end:] == ";"
    return target, key, value


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, list[Path]]:
    output = tmp_path / "site"
    return output, write_dashboard(make_report(), make_details(), output,
                                   generated_at=GENERATED_AT, details_per_file=1)


def read_data(output: Path, name: str) -> tuple[str, str | None, Any]:
    return parse_script((output / "data" / name).read_text(encoding="utf-8"))


def test_writes_the_site_files(site: tuple[Path, list[Path]]) -> None:
    output, written = site
    names = sorted(path.relative_to(output).as_posix() for path in written)
    assert names == [
        "dashboard.css", "dashboard.js",
        "data/detail-0.js", "data/detail-1.js", "data/detail-2.js",
        "data/locale-0.js", "data/locale-1.js", "data/summary.js",
        "index.html", "status.json",
    ]
    assert len(set(written)) == len(written)
    assert all(path.is_file() for path in written)
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()) \
        == names


def test_status_json_is_the_json_contract(site: tuple[Path, list[Path]]) -> None:
    output, _ = site
    assert (output / "status.json").read_text(encoding="utf-8") == render_json(make_report())


def test_summary_counts_each_locale(site: tuple[Path, list[Path]]) -> None:
    output, _ = site
    target, key, summary = read_data(output, "summary.js")
    assert (target, key) == ("window.L10NSYNC_SUMMARY", None)
    assert summary["generated_at"] == GENERATED_AT
    assert summary["source"] == {"root": "/repos/content", "head": HEAD}
    assert summary["notes"] == ["2 commits were ignored (.git-blame-ignore-revs)"]
    assert summary["statuses"][0] == {"value": "outdated", "label": "outdated"}
    assert {s["value"]: s["label"] for s in summary["statuses"]}["missing_source_commit"] \
        == "no marker"
    assert summary["bar"] == ["up_to_date", "outdated", "moved", "orphaned",
                              "missing_source_commit", "untranslated"]
    fr, ja = summary["locales"]
    assert (fr["locale"], fr["data"], fr["total"]) == ("fr", 0, 5)
    assert fr["counts"] == make_report().summary()["fr"]
    # Shares of the 8 English pages: fr translates 3 of them (the orphan and the untranslated
    # page do not count) and 1 is up to date.
    assert (fr["translated"], fr["translated_percent"], fr["up_to_date_percent"]) \
        == (3, 37.5, 12.5)
    assert (ja["locale"], ja["data"], ja["total"]) == ("ja", 1, 7)
    assert (ja["translated"], ja["translated_percent"], ja["up_to_date_percent"]) \
        == (7, 87.5, 12.5)
    # Fewer than 300 English pages: a page x locale grid; the orphan has no English row.
    grid = summary["grid"]
    assert grid["locales"] == ["fr", "ja"]
    cells = {row["source"]: row["cells"] for row in grid["rows"]}
    assert cells["files/en-us/glossary/cache/index.md"] == [
        ["up_to_date", "files/fr/glossary/cache/index.md"], None]
    assert "files/en-us/glossary/gone/index.md" not in cells
    assert cells["files/en-us/other"] == [None, ["moved", "files/ja/glossary/moved/index.md"]]


def test_locale_data_has_one_record_per_page(site: tuple[Path, list[Path]]) -> None:
    output, _ = site
    report = make_report()
    for number, locale in enumerate(("fr", "ja")):
        target, key, records = read_data(output, f"locale-{number}.js")
        assert (target, key) == ("window.L10NSYNC_LOCALE", locale)
        expected = [p for p in report.pages if p.locale == locale]
        assert [r["path"] for r in records] == [p.path for p in expected]
        for record, status in zip(records, expected, strict=True):
            assert list(record) == ["path", "title", "status", "commits_behind", "change_ratio",
                                    "source_path", "moved_to", "message", "fix",
                                    "oldest_change_date", "detail", "links"]
            assert record["title"] == status.title
            assert record["status"] == status.status.value
            assert record["commits_behind"] == status.commits_behind
            assert record["change_ratio"] == status.change_ratio
            assert record["source_path"] == status.source_path
            assert record["moved_to"] == status.moved_to
            assert record["message"] == status.message
    _, _, fr = read_data(output, "locale-0.js")
    _, _, ja = read_data(output, "locale-1.js")
    by_path = {record["path"]: record for record in fr + ja}
    # Details are numbered in report order (sorted by path): café, img, then script.
    assert by_path[CAFE]["detail"] == 0
    assert by_path[HOSTILE]["detail"] == 1
    assert by_path[SCRIPTED]["detail"] == 2
    assert by_path[QUOTED]["detail"] is None
    assert by_path[CAFE]["oldest_change_date"] == "2024-03-01T01:00:00+05:00"
    assert by_path[HOSTILE]["oldest_change_date"] == "2024-04-01T00:00:00Z"
    assert by_path[SCRIPTED]["oldest_change_date"] is None  # its only commit is not counted
    assert by_path[QUOTED]["oldest_change_date"] is None  # no detail
    assert by_path[HOSTILE]["title"] == IMG
    assert by_path[SCRIPTED]["title"] == SCRIPT


def test_oldest_change_date_counts_counted_commits_only() -> None:
    details = make_details()
    assert oldest_change_date(details[CAFE]) == "2024-03-01T01:00:00+05:00"
    assert oldest_change_date(details[SCRIPTED]) is None
    assert oldest_change_date(None) is None
    undated = make_diff(CAFE, (commit("7", "", "summary missing"),
                               commit("8", "2024-02-02T00:00:00", "no offset: UTC")))
    assert oldest_change_date(undated) == "2024-02-02T00:00:00"


def test_detail_data_has_commits_hunks_and_sections(site: tuple[Path, list[Path]]) -> None:
    output, _ = site
    target, key, detail = read_data(output, "detail-0.js")
    assert (target, key) == ("window.L10NSYNC_DETAIL", CAFE)
    assert detail["path"] == CAFE
    assert detail["current_path"] == "files/en-us/glossary/café/index.md"
    assert [c["subject"] for c in detail["commits"]] == [
        "Newest", "Earliest counted", "Later than it looks", "Whitespace only"]
    assert [c["counted"] for c in detail["commits"]] == [True, True, True, False]
    first, second = detail["hunks"]
    assert first["text"] == f" context\n-old {IMG}\n+new line\n+another"
    assert first["translation_section"] == {"heading": "Syntaxe", "start_line": 10,
                                            "end_line": 20, "score": 0.91}
    assert (first["old_start"], first["old_lines"], first["new_start"], first["new_lines"]) \
        == (3, 2, 3, 3)
    assert second["translation_section"] is None
    assert second["best_score"] == 0.3
    _, key, hostile = read_data(output, "detail-1.js")
    assert key == HOSTILE
    assert hostile["commits"][0]["subject"] == SCRIPT


def test_data_files_are_ascii_without_raw_angle_brackets(
    site: tuple[Path, list[Path]],
) -> None:
    output, _ = site
    for path in (output / "data").iterdir():
        raw = path.read_bytes()
        assert raw.isascii(), path
        assert b"<" not in raw, path
    _, _, fr = read_data(output, "locale-0.js")
    assert "\\u003cimg src=x" in (output / "data" / "locale-0.js").read_text()
    assert "\\u00e9" in (output / "data" / "locale-0.js").read_text()  # café
    assert any(record["path"] == CAFE for record in fr)


def test_no_title_reaches_any_html_file(site: tuple[Path, list[Path]]) -> None:
    output, _ = site
    # status.json is the JSON contract, byte for byte: its readers escape what they show.
    for path in output.rglob("*"):
        if not path.is_file() or path.name == "status.json":
            continue
        text = path.read_text(encoding="utf-8")
        for hostile in ("<img", "<script>alert", "</script><script>", "<b>bold"):
            assert hostile not in text, (path, hostile)
    html_files = list(output.rglob("*.html"))
    assert html_files == [output / "index.html"]
    index = html_files[0].read_text(encoding="utf-8")
    for title in ("Café", "Gone", "移動", "quoted", "alert(1)"):
        assert title not in index


def test_index_is_a_static_page_under_a_strict_policy(site: tuple[Path, list[Path]]) -> None:
    output, _ = site
    index = (output / "index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">' in index
    assert "{{" not in index
    # No inline script or style: every script has a src and no body, no <style>, no style
    # attribute, no event handler attribute.
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", index, flags=re.DOTALL)
    assert scripts
    assert all(attributes.startswith(' src="') and not body for attributes, body in scripts)
    assert "<style" not in index
    assert " style=" not in index
    assert not re.search(r"<[^>]+\son[a-z]+=", index)
    # Every local file index.html refers to was written; nothing is fetched from elsewhere.
    references = re.findall(r'(?:src|href)="([^"#]+)"', index)
    assert references
    for reference in references:
        assert "//" not in reference
        assert (output / reference.split("?")[0]).is_file(), reference
    # The build token changes the URLs when the data changes, so static hosts do not serve
    # yesterday's script against today's page.
    tokens = set(re.findall(r"\?v=([0-9a-f]+)", index))
    assert len(tokens) == 1


def test_page_code_uses_no_html_sinks_and_no_network(site: tuple[Path, list[Path]]) -> None:
    output, _ = site
    script = (output / "dashboard.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "fetch(", "XMLHttpRequest", "setAttribute(\"style\"",
                 "setAttribute('style'", "javascript:"):
        assert sink not in script, sink
    for asset in ("dashboard.js", "dashboard.css", "index.html"):
        text = (output / asset).read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, asset
        assert "@import" not in text and "url(" not in text, asset


def test_dom_contract_hooks_are_in_place(site: tuple[Path, list[Path]]) -> None:
    output, _ = site
    index = (output / "index.html").read_text(encoding="utf-8")
    script = (output / "dashboard.js").read_text(encoding="utf-8")
    for hook in ('id="overview"', 'id="locales"', 'id="locale-view"', 'id="locale-title"',
                 'id="status-filter"', 'id="text-filter"', 'id="pages"', 'id="shown-count"',
                 'id="detail"', 'id="detail-title"', 'id="detail-commits"',
                 'id="detail-close"'):
        assert hook in index, hook
    for column in ("title", "status", "behind", "ratio", "date"):
        assert f'<th scope="col" data-sort="{column}"' in index
    assert re.search(r'<section id="locale-view"[^>]*\shidden>', index)
    assert re.search(r'<section id="detail"[^>]*\shidden>', index)
    for hook in ('"data-locale"', '"data-path"', '"data-status"', '"locale-link"',
                 '"page-link"', '"seg"', '"bar"', '"hunk"', '"where"', '"diff"', '"show-more"',
                 "no section matched", "PAGE_SIZE = 500", "createDocumentFragment"):
        assert hook in script, hook


def test_rewriting_is_reproducible_and_removes_only_stale_data(tmp_path: Path) -> None:
    output = tmp_path / "site"
    first = write_dashboard(make_report(), make_details(), output, generated_at=GENERATED_AT,
                            details_per_file=1)
    contents = {path: path.read_bytes() for path in first}
    keep = output / "CNAME"
    keep.write_text("l10n.example\n")
    (output / "data" / "notes.txt").write_text("mine\n")
    (output / "data" / "detail-99.js").write_text("window.L10NSYNC_DETAIL = 1;\n")
    again = write_dashboard(make_report(), make_details(), output, generated_at=GENERATED_AT,
                            details_per_file=1)
    assert again == first
    assert {path: path.read_bytes() for path in again} == contents
    assert keep.read_text() == "l10n.example\n"
    assert (output / "data" / "notes.txt").is_file()
    assert not (output / "data" / "detail-99.js").exists()

    later = write_dashboard(make_report(), {}, output, generated_at="2024-06-03T08:00:00+00:00")
    assert not list((output / "data").glob("detail-*.js"))
    assert (output / "index.html").read_bytes() != contents[output / "index.html"]
    assert len(later) == len(first) - 3


def test_an_empty_report_still_makes_a_site(tmp_path: Path) -> None:
    output = tmp_path / "deep" / "site"
    report = Report(source_root="/repos/content", source_head=HEAD, pages=())
    written = write_dashboard(report, {}, output, generated_at=GENERATED_AT)
    assert sorted(p.name for p in written) == ["dashboard.css", "dashboard.js", "index.html",
                                              "status.json", "summary.js"]
    _, _, summary = read_data(output, "summary.js")
    assert summary["locales"] == []


def test_details_share_data_files(tmp_path: Path) -> None:
    output = tmp_path / "chunked"
    write_dashboard(make_report(), make_details(), output, generated_at=GENERATED_AT,
                    details_per_file=2)
    assert sorted(p.name for p in (output / "data").glob("detail-*.js")) == [
        "detail-0.js", "detail-1.js"]
    first = (output / "data" / "detail-0.js").read_text(encoding="utf-8")
    assert first.count("window.L10NSYNC_DETAIL[") == 2
    _target, _key, pages = read_data(output, "locale-0.js")
    numbers = sorted(page["detail"] for page in pages if page["detail"] is not None)
    assert set(numbers) <= {0, 1}
